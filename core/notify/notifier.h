#pragma once

#include "notify/mailer.h"
#include "tasks/task.h"

#include <QFuture>
#include <QList>
#include <QStringList>

#include <memory>

namespace baricadr {

struct Settings;

// Composes and sends the mails about finished tasks, in the words of the original Baricadr:
// to the task's email when it finished (the files pulled/frozen and their total size, "(DRY RUN)"
// marked), failed (the error) or was cancelled; to the admins (MAIL_ADMIN) when a scheduled task
// failed.
class Notifier
{
public:
    explicit Notifier(Mailer *mailer);               // not owned; admins come from its settings
    explicit Notifier(const MailSettings &settings); // owns a Mailer with these settings
    explicit Notifier(const Settings &settings);     // owns a Mailer with the MAIL_* settings
    ~Notifier();
    Notifier(const Notifier &) = delete;
    Notifier &operator=(const Notifier &) = delete;

    Mailer *mailer() const { return m_mailer; }
    // `files` is the complete list of affected paths when the engine has it (from the task log);
    // otherwise the capped list stored with the task is used and the rest counted.
    QFuture<Status> notify(const TaskInfo &task, const QStringList &files = {});

    // Sends the mail about a finished `task` to `recipients` and logs the outcome (for callers that
    // choose recipients themselves): the task's own mail when they are the task's email, the
    // admins' report of a failed scheduled task otherwise.
    void taskDone(const TaskInfo &task, const QStringList &recipients);

    // MAIL_SERVER, MAIL_PORT, MAIL_USE_SSL, MAIL_USE_TLS, MAIL_SENDER, MAIL_USERNAME,
    // MAIL_PASSWORD, MAIL_ADMIN.
    static MailSettings mailSettings(const Settings &settings);

    // Pure: the mails a task calls for (none while it is unfinished or when nobody is to be told).
    static QList<MailMessage> compose(const TaskInfo &task, const QStringList &admins,
                                      const QStringList &files = {});

private:
    std::unique_ptr<Mailer> m_ownedMailer;
    Mailer *m_mailer;
};

} // namespace baricadr
