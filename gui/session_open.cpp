// Opening a session: the only file that knows how the engine (local mode) and the HTTP client
// (remote mode) are built. The parts land in core as the team builds them; until then, opening
// says so in plain words instead of failing to build.
#include "session.h"

#if __has_include("service/application.h") && __has_include("config/settings.h")
#define BARICADR_HAVE_APPLICATION 1
#include "config/settings.h"
#include "service/application.h"
#endif
#if __has_include("client/remoteservice.h")
#define BARICADR_HAVE_REMOTESERVICE 1
#include "client/remoteservice.h"
#endif

#include <QCoreApplication>
#include <QFileInfo>

namespace baricadr::gui {

Result<Session *> Session::openLocal(const QString &path, QObject *parent)
{
    const QFileInfo fi(path);
    if (!fi.isFile() || !fi.isReadable()) {
        return Error(
            ErrorCode::Config,
            QCoreApplication::translate("Session", "Cannot read the configuration file %1.").arg(path));
    }
#ifdef BARICADR_HAVE_APPLICATION
    return Error(ErrorCode::Internal, QStringLiteral("local mode not wired yet"));
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
