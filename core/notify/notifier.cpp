#include "notify/notifier.h"

#include "config/settings.h"
#include "notify/humansize.h"

#include <QLoggingCategory>
#include <QPromise>

Q_DECLARE_LOGGING_CATEGORY(lcMail)

namespace baricadr {

namespace {

QString gerund(TaskType type)
{
    switch (type) {
    case TaskType::Pull:
        return QStringLiteral("pulling");
    case TaskType::Freeze:
        return QStringLiteral("freezing");
    case TaskType::Verify:
        return QStringLiteral("verifying");
    }
    return QString();
}

QString participle(TaskType type)
{
    switch (type) {
    case TaskType::Pull:
        return QStringLiteral("pulled");
    case TaskType::Freeze:
        return QStringLiteral("frozen");
    case TaskType::Verify:
        return QStringLiteral("verified");
    }
    return QString();
}

QString absolute(const TaskInfo &task, const QString &path)
{
    if (path.startsWith(QLatin1Char('/')) || task.repoRoot.isEmpty())
        return path;
    return task.repoRoot + (task.repoRoot.endsWith(QLatin1Char('/')) ? QString() : QStringLiteral("/")) +
           path;
}

QString fileList(const TaskInfo &task, const QStringList &files, qint64 total)
{
    QString out;
    for (const QString &f : files)
        out += QStringLiteral("  ") + absolute(task, f) + QLatin1Char('\n');
    if (total > files.size())
        out +=
            QStringLiteral("  … and %1 more (the full list is in the task log)\n").arg(total - files.size());
    return out;
}

MailMessage successMail(const TaskInfo &task, const QStringList &allFiles)
{
    const QString dry = task.options.dryRun ? QStringLiteral(" (DRY RUN)") : QString();
    const QString verb = task.options.dryRun ? QStringLiteral("would be") : QStringLiteral("were");
    const QStringList files = allFiles.isEmpty() ? task.result.affected : allFiles;
    const qint64 total =
        std::max<qint64>({task.result.affectedCount, task.result.files, qint64(files.size())});

    MailMessage m;
    m.to = {task.options.email};
    m.subject = QStringLiteral("BARICADR: finished %1%2 %3").arg(gerund(task.type), dry, task.path);
    QString body =
        QStringLiteral("Hello,\n\nAs you asked, BARICADR has finished %1 the following path%2: %3\n\n")
            .arg(gerund(task.type), dry, task.path);
    if (task.type == TaskType::Verify) {
        body += QStringLiteral("%1 frozen files were checked against the remote.\n").arg(task.result.files);
        if (task.result.problems == 0) {
            body += QStringLiteral("All of them are still on the remote, unchanged.\n");
        } else {
            body += QStringLiteral(
                        "%1 of them are missing or different on the remote; their local copies are gone, "
                        "so this data would be lost if the backup was pruned:\n\n")
                        .arg(task.result.problems);
            body += fileList(task, files, std::max<qint64>(total, task.result.problems));
        }
    } else if (total == 0) {
        body += QStringLiteral("No files %1 %2.\n").arg(verb, participle(task.type));
    } else {
        body += QStringLiteral("The following files %1 %2 (total size: %3):\n\n")
                    .arg(verb, participle(task.type), humanSize(task.result.bytes));
        body += fileList(task, files, total);
    }
    if (task.type == TaskType::Freeze && task.result.keptFiles > 0)
        body += QStringLiteral("\n%1 files were kept; the task log says why for each.\n")
                    .arg(task.result.keptFiles);
    body += QStringLiteral("\nTask id: %1\n\nCheers\n").arg(task.id);
    m.body = body;
    return m;
}

MailMessage failureMail(const TaskInfo &task)
{
    MailMessage m;
    m.to = {task.options.email};
    const QString type = toString(task.type);
    if (task.status == TaskStatus::Cancelled) {
        m.subject = QStringLiteral("BARICADR: %1 task on %2 was cancelled").arg(type, task.path);
        m.body = QStringLiteral(
                     "Hello,\nOne of your BARICADR %1 task on path '%2' was cancelled before it finished.\n")
                     .arg(type, task.path);
        if (!task.error.isEmpty())
            m.body += QStringLiteral("\n%1\n").arg(task.error);
    } else {
        m.subject = QStringLiteral("BARICADR: %1 task on %2 failed").arg(type, task.path);
        m.body =
            QStringLiteral("Hello,\nOne of your BARICADR %1 task on path '%2' failed, with the following "
                           "error:\n\n%3\n")
                .arg(type, task.path,
                     task.error.isEmpty() ? QStringLiteral("(no error message)") : task.error);
    }
    if (task.options.dryRun) {
        m.subject += QStringLiteral(" (DRY RUN)");
        m.body += QStringLiteral("\nIt was a dry run: nothing would have been changed anyway.\n");
    }
    m.body +=
        QStringLiteral("\nTask id: %1\nContact the administrator for more info.\nCheers\n").arg(task.id);
    return m;
}

MailMessage adminMail(const TaskInfo &task, const QStringList &admins)
{
    MailMessage m;
    m.to = admins;
    m.subject =
        QStringLiteral("BARICADR: scheduled %1 task on %2 failed").arg(toString(task.type), task.path);
    m.body =
        QStringLiteral(
            "Hello,\n\nThe scheduled BARICADR %1 task on path '%2' (repository %3) failed, with the "
            "following error:\n\n%4\n\nTask id: %5\nStarted: %6\nFinished: %7\n\nThe task log has the "
            "details.\n")
            .arg(toString(task.type), task.path, task.repoRoot,
                 task.error.isEmpty() ? QStringLiteral("(no error message)") : task.error, task.id,
                 task.started.toUTC().toString(Qt::ISODate), task.finished.toUTC().toString(Qt::ISODate));
    return m;
}

} // namespace

Notifier::Notifier(Mailer *mailer)
    : m_mailer(mailer)
{}

Notifier::Notifier(const MailSettings &settings)
    : m_ownedMailer(std::make_unique<Mailer>(settings))
    , m_mailer(m_ownedMailer.get())
{}

Notifier::Notifier(const Settings &settings)
    : Notifier(mailSettings(settings))
{}

Notifier::~Notifier() = default;

MailSettings Notifier::mailSettings(const Settings &settings)
{
    MailSettings m;
    m.server = settings.mailServer;
    m.port = settings.mailPort;
    m.useSsl = settings.mailUseSsl;
    m.useTls = settings.mailUseTls;
    m.caFile = settings.mailCaFile;
    m.sender = settings.mailSender;
    m.username = settings.mailUsername;
    m.password = settings.mailPassword;
    m.admins = settings.mailAdmin;
    return m;
}

void Notifier::taskDone(const TaskInfo &task, const QStringList &recipients)
{
    if (recipients.isEmpty() || !isFinal(task.status))
        return;
    QList<MailMessage> mails;
    if (recipients == QStringList{task.options.email}) {
        TaskInfo user = task;
        user.scheduled = false; // the admins' mail is asked for separately
        mails = compose(user, {});
    } else if (task.scheduled && task.status == TaskStatus::Failed) {
        TaskInfo admin = task;
        admin.options.email.clear();
        mails = compose(admin, recipients);
    }
    if (mails.isEmpty())
        return;
    const QString id = task.id;
    m_mailer->send(mails).then([id](const Status &s) {
        if (!s)
            qCWarning(lcMail).noquote() << "task" << id << ":" << s.error().message;
    });
}

QList<MailMessage> Notifier::compose(const TaskInfo &task, const QStringList &admins,
                                     const QStringList &files)
{
    QList<MailMessage> mails;
    if (!isFinal(task.status))
        return mails;
    if (!task.options.email.isEmpty())
        mails.append(task.status == TaskStatus::Finished ? successMail(task, files) : failureMail(task));
    if (task.scheduled && task.status == TaskStatus::Failed && !admins.isEmpty())
        mails.append(adminMail(task, admins));
    return mails;
}

QFuture<Status> Notifier::notify(const TaskInfo &task, const QStringList &files)
{
    const QList<MailMessage> mails = compose(task, m_mailer->settings().admins, files);
    if (mails.isEmpty() || !m_mailer->settings().isEnabled()) {
        QPromise<Status> done;
        done.start();
        if (mails.isEmpty())
            done.addResult(Status());
        else
            done.addResult(
                Error(ErrorCode::Config, QStringLiteral("Could not send the mail \"%1\": no mail server "
                                                        "is configured (MAIL_SERVER)")
                                             .arg(mails.first().subject)));
        done.finish();
        return done.future();
    }
    return m_mailer->send(mails);
}

} // namespace baricadr
