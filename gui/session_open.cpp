// Opening a session: the only file that knows how the engine (local mode) and the HTTP client
// (remote mode) are built. The parts land in core as the team builds them; until then, opening
// says so in plain words instead of failing to build.
#include "session.h"

// BARICADR_HAVE_APPLICATION / BARICADR_HAVE_REMOTESERVICE: set by gui/CMakeLists.txt when core
// builds service/application.cpp / client/remoteservice.cpp.
#ifdef BARICADR_HAVE_APPLICATION
#include "config/settings.h"
#include "rclone/remotelister.h"
#include "repo/reporegistry.h"
#include "service/application.h"

#include <QDir>
#include <QStandardPaths>
#endif
#ifdef BARICADR_HAVE_REMOTESERVICE
#include "client/remoteservice.h"
#endif

#include <QCoreApplication>
#include <QFileInfo>

namespace baricadr::gui {

#ifdef BARICADR_HAVE_APPLICATION
namespace {
// Local mode streams the remote listing straight from rclone (bounded memory, first entries at
// once) instead of one big list() answer.
RepoScan::RemoteStreamFn streamFor(const Session *session, const QString &repoRoot)
{
    auto app = std::static_pointer_cast<Application>(session->keepAlive());
    const RepoConfig *repo = nullptr;
    for (const RepoConfig &r : app->registry().repos()) {
        if (r.root == repoRoot)
            repo = &r;
    }
    if (!repo)
        return {};
    const Settings &s = app->settings();
    RcloneOptions options;
    options.program = s.rclonePath;
    options.contimeoutSeconds = s.rcloneConTimeout;
    options.ioTimeoutSeconds = s.rcloneIoTimeout;
    options.watchdogSeconds = s.rcloneTimeout;
    const RepoConfig config = *repo;
    std::weak_ptr<Application> alive = app;
    return [options, config, alive](RepoScan *scan) {
        if (alive.expired()) {
            scan->finishRemote(Error(ErrorCode::Internal, QCoreApplication::translate(
                                                              "Session", "The configuration was closed.")));
            return;
        }
        auto *lister = new RemoteLister(options, scan);
        QObject::connect(lister, &RemoteLister::entries, scan,
                         [scan](const QList<RemoteEntry> &batch, const QList<QJsonObject> &) {
                             scan->addRemoteBatch(batch);
                         });
        QObject::connect(lister, &RemoteLister::listFinished, scan,
                         [scan](const Status &status) { scan->finishRemote(status); });
        RemoteLister::ListOptions lo;
        lo.filesOnly = false; // directories too: frozen-empty and remote-only folders show up
        lo.batchSize = 2000;
        lister->list(config, QString(), lo);
    };
}
} // namespace
#endif

Result<Session *> Session::openLocal(const QString &path, QObject *parent)
{
    const QFileInfo fi(path);
    if (!fi.isFile() || !fi.isReadable()) {
        return Error(
            ErrorCode::Config,
            QCoreApplication::translate("Session", "Cannot read the configuration file %1.").arg(path));
    }
#ifdef BARICADR_HAVE_APPLICATION
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString suffix = fi.suffix().toLower();
    const bool reposFile = suffix == u"yml" || suffix == u"yaml";
    // A baricadr.conf is read as the service reads it; a bare repos.yml gets per-user places
    // for the database and task logs (a desktop user cannot write /var/lib/baricadr).
    Result<Settings> settings =
        reposFile ? Settings::load(QString(), false, env) : Settings::load(path, true, env);
    if (!settings.ok())
        return settings.error();
    Settings s = settings.value();
    if (reposFile) {
        s.reposConf = fi.absoluteFilePath();
        const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (!env.contains(QStringLiteral("BARICADR_DATA_DIR")))
            s.dataDir = data;
        if (!env.contains(QStringLiteral("TASK_LOG_DIR")))
            s.taskLogDir = data + QStringLiteral("/tasks");
        if (!env.contains(QStringLiteral("DATABASE_URI")) &&
            !env.contains(QStringLiteral("SQLALCHEMY_DATABASE_URI")))
            s.databaseUri = QStringLiteral("sqlite://") + s.dataDir + QStringLiteral("/baricadr.sqlite");
        QDir().mkpath(s.taskLogDir);
    }
    Result<std::unique_ptr<Application>> app = Application::create(s);
    if (!app.ok())
        return app.error();
    std::shared_ptr<Application> owned(std::move(app.value()));
    auto *session = new Session(Mode::Local, fi.absoluteFilePath(), owned->service(), owned, parent);
    session->setRemoteStreamFactory(&streamFor);
    return session;
#else
    Q_UNUSED(parent);
    return Error(ErrorCode::Internal,
                 QCoreApplication::translate("Session",
                                             "This build has no local engine: connect to a server instead."));
#endif
}

Result<Session *> Session::openRemote(const QUrl &url, const QString &user, const QString &password,
                                      QObject *parent)
{
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty()) {
        return Error(
            ErrorCode::InvalidInput,
            QCoreApplication::translate("Session", "“%1” is not a server address: use http://host:port.")
                .arg(url.toDisplayString()));
    }
#ifdef BARICADR_HAVE_REMOTESERVICE
    ClientConfig config;
    QUrl server = url;
    server.setUserInfo(QString()); // credentials travel in the Authorization header only
    config.server = server;
    config.user = user;
    config.password = password;
    auto service = std::make_shared<RemoteService>(config);
    return new Session(Mode::Remote, server.toDisplayString(), service.get(), service, parent);
#else
    Q_UNUSED(user);
    Q_UNUSED(password);
    Q_UNUSED(parent);
    return Error(ErrorCode::Internal, QCoreApplication::translate(
                                          "Session", "This build has no HTTP client for a Baricadr server."));
#endif
}

} // namespace baricadr::gui
