#include "service/application.h"

#include "notify/mailer.h"
#include "notify/notifier.h"
#include "pull/puller.h"
#include "service/localservice.h"
#include "store/databaseuri.h"
#include "store/taskstore.h"
#include "tasks/runners.h"
#include "tasks/scheduler.h"
#include "tasks/storetaskrecords.h"
#include "tasks/taskengine.h"
#include "util/tempfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTemporaryFile>

namespace baricadr {

Q_LOGGING_CATEGORY(lcApp, "baricadr.engine")

namespace {

RcloneOptions rcloneOptions(const Settings &s)
{
    RcloneOptions o;
    o.program = s.rclonePath;
    o.contimeoutSeconds = s.rcloneConTimeout;
    o.ioTimeoutSeconds = s.rcloneIoTimeout;
    o.watchdogSeconds = s.rcloneTimeout;
    o.niceIncrement = s.rcloneNice;
    return o;
}

} // namespace

Application::Application(const Settings &settings)
    : m_settings(settings)
{}

Application::~Application()
{
    shutdown();
}

BaricadrService *Application::service() const
{
    return m_service.get();
}

Result<std::unique_ptr<Application>> Application::create(const Settings &settings)
{
    std::unique_ptr<Application> app(new Application(settings));

    auto registry = RepoRegistry::load(settings.reposConf);
    if (!registry)
        return registry.error();
    app->m_registry = *registry;

    QString uriText = settings.databaseUri;
    if (uriText.isEmpty())
        uriText =
            QStringLiteral("sqlite:///") + QDir(settings.dataDir).filePath(QStringLiteral("baricadr.sqlite"));
    const auto uri = DatabaseUri::parse(uriText);
    if (!uri)
        return uri.error();

    // One engine per database. SQLite: the lock sits beside the file. PostgreSQL: in the data
    // dir, named after the database (engines on other hosts are not seen: run one per database).
    if (uri->isSqlite()) {
        app->m_lockPath = uri->sqlitePath + QStringLiteral(".lock");
    } else {
        const QByteArray key =
            QCryptographicHash::hash(uri->redacted().toUtf8(), QCryptographicHash::Sha1).toHex();
        app->m_lockPath =
            QDir(settings.dataDir)
                .filePath(QStringLiteral("engine-%1.lock").arg(QString::fromLatin1(key.left(16))));
    }
    if (!QDir().mkpath(QFileInfo(app->m_lockPath).absolutePath()))
        return Error(ErrorCode::Io, QStringLiteral("Cannot create the directory of %1").arg(app->m_lockPath));
    app->m_lock = std::make_unique<QLockFile>(app->m_lockPath);
    app->m_lock->setStaleLockTime(0); // a lock of a dead process is taken over; a live one never
    if (!app->m_lock->tryLock(0)) {
        if (app->m_lock->error() == QLockFile::LockFailedError) {
            qint64 pid = 0;
            QString host, appName;
            app->m_lock->getLockInfo(&pid, &host, &appName);
            return Error(
                ErrorCode::Conflict,
                QStringLiteral("Another Baricadr engine (%1, pid %2 on %3) already runs the task queue of "
                               "database %4 (lock %5). Stop it first, or point this one at another "
                               "DATABASE_URI.")
                    .arg(appName.isEmpty() ? QStringLiteral("unknown program") : appName)
                    .arg(pid)
                    .arg(host.isEmpty() ? QStringLiteral("an unknown host") : host, uri->redacted(),
                         app->m_lockPath));
        }
        return Error(ErrorCode::Io, QStringLiteral("Cannot create the engine lock %1").arg(app->m_lockPath));
    }

    // Files named by settings are read when used (a mail may be hours away): check now.
    if (settings.mailEnabled() && !settings.mailCaFile.isEmpty() &&
        !QFileInfo(settings.mailCaFile).isReadable())
        return Error(ErrorCode::Config,
                     QStringLiteral("MAIL_CA_FILE: cannot read \"%1\" (a PEM file of the CA "
                                    "certificates trusted for the mail server)")
                         .arg(settings.mailCaFile));

    // Every task writes its log there (what was asked, each file pulled, frozen or kept): a
    // service that cannot write it would freeze without a record of why. Refuse to start.
    if (!settings.taskLogDir.isEmpty()) {
        const QString dir = settings.taskLogDir;
        const auto refuse = [&dir](const QString &why) {
            return Error(ErrorCode::Config,
                         QStringLiteral("TASK_LOG_DIR: cannot write task logs in \"%1\": %2").arg(dir, why));
        };
        if (!QDir().mkpath(dir))
            return refuse(QFileInfo(dir).exists() && !QFileInfo(dir).isDir()
                              ? QStringLiteral("it is not a directory")
                              : QStringLiteral("the directory cannot be created"));
        QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".baricadr-write-test-XXXXXX")));
        if (!probe.open())
            return refuse(probe.errorString());
    }

    auto store = TaskStore::open(*uri);
    if (!store)
        return store.error();
    app->m_store = std::move(store).value();
    app->m_records = std::make_unique<StoreTaskRecords>(app->m_store.get());

    EngineSettings es;
    es.workers = settings.workers;
    es.taskLogDir = settings.taskLogDir;
    es.cleanupAgeSeconds = settings.cleanupAge;
    es.cleanupIntervalSeconds = int(std::min<qint64>(settings.cleanupInterval, 24LL * 24 * 3600));
    app->m_engine = std::make_unique<TaskEngine>(app->m_records.get(), app->m_registry.repos(),
                                                 makeRunnerFactory(rcloneOptions(settings)), es);

    // Recovery before anything runs: what a crashed process left is failed "interrupted", and
    // its partial pulls are repaired (staged files removed), so no truncated file is ever kept.
    // The lists a killed process left in the temporary directory (files to pull, to look up).
    if (const int n = tempfiles::removeLeftovers(); n > 0)
        qCInfo(lcApp).noquote() << "removed" << n
                                << "temporary file(s) left by a process that no longer runs";
    auto recovered = app->m_engine->recoverInterrupted();
    if (!recovered)
        return recovered.error();
    app->m_recovered = *recovered;
    for (const RepoConfig &repo : app->m_registry.repos()) {
        const auto repaired = Puller::recoverStaging(repo);
        if (!repaired)
            qCWarning(lcApp).noquote()
                << "cannot repair the staged pulls of" << repo.root << ":" << repaired.error().message;
    }

    app->m_service = std::make_unique<LocalService>(app->m_engine.get(), app->m_registry,
                                                    app->m_records.get(), rcloneOptions(settings));

    if (settings.mailEnabled())
        app->m_notifier = std::make_shared<Notifier>(settings); // owns its Mailer
    connect(app->m_engine.get(), &TaskEngine::taskFinished, app.get(), &Application::sendMails);

    SchedulerSettings ss;
    ss.watermarkCheckIntervalSeconds = settings.watermarkCheckInterval;
    app->m_scheduler = std::make_unique<Scheduler>(app->m_engine.get(), app->m_records.get(), ss);
    app->m_scheduler->start();

    if (settings.cleanupZombiesInterval > 0) {
        app->m_zombieTimer.setInterval(
            std::chrono::seconds(std::min<qint64>(settings.cleanupZombiesInterval, 24LL * 24 * 3600)));
        Application *raw = app.get();
        connect(&app->m_zombieTimer, &QTimer::timeout, raw, [raw] {
            const auto ids = raw->m_engine->cleanupZombies();
            if (!ids)
                qCWarning(lcApp).noquote() << "zombie cleanup failed:" << ids.error().message;
        });
        app->m_zombieTimer.start();
    }
    qCInfo(lcApp).noquote() << QStringLiteral("engine ready: %1 repo(s), database %2, %3 worker(s), %4 "
                                              "interrupted task(s) recovered")
                                   .arg(app->m_registry.repos().size())
                                   .arg(uri->redacted())
                                   .arg(settings.workers)
                                   .arg(app->m_recovered.size());
    return app;
}

void Application::sendMails(const TaskInfo &task)
{
    // The notifier picks the recipients: the task's email, and MAIL_ADMIN for a failed
    // scheduled task. Mails go out on its own threads; a failure is logged, never fatal.
    if (!m_notifier)
        return;
    const QString id = task.id;
    m_notifier->notify(task).then(this, [id](const Status &s) {
        if (!s)
            qCWarning(lcApp).noquote() << "mail about task" << id << "not sent:" << s.error().message;
    });
}

void Application::shutdown(int timeoutMs)
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    m_zombieTimer.stop();
    if (m_scheduler)
        m_scheduler->stop();
    if (m_engine) {
        m_engine->shutdown();
        if (!m_engine->isDrained()) {
            // Event-driven wait: rclone processes report their exit through the event loop.
            QEventLoop loop;
            QTimer timeout;
            timeout.setSingleShot(true);
            connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
            connect(m_engine.get(), &TaskEngine::drained, &loop, &QEventLoop::quit);
            timeout.start(timeoutMs);
            loop.exec();
            if (!m_engine->isDrained())
                qCWarning(lcApp) << "some tasks did not stop within" << timeoutMs
                                 << "ms; they are killed with the process";
        }
    }
    m_service.reset();
    m_scheduler.reset();
    m_notifier.reset(); // its Mailer waits for mails in flight (bounded by the mail timeouts)
    m_engine.reset();
    m_records.reset();
    m_store.reset();
    if (m_lock)
        m_lock->unlock();
}

} // namespace baricadr
