#pragma once

#include "browse/reposcan.h"
#include "service/baricadrservice.h"
#include "util/result.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace baricadr::gui {

// One open configuration (local mode: the engine runs inside the GUI) or one server connection
// (remote mode: a running `baricadr serve` over HTTP). Both give the window the same
// BaricadrService, so every window works the same way in both modes.
class Session : public QObject
{
    Q_OBJECT
public:
    enum class Mode
    {
        Local,
        Remote
    };

    // `keepAlive` owns whatever owns the service (the engine Application, the HTTP client…).
    Session(Mode mode, QString description, BaricadrService *service, std::shared_ptr<void> keepAlive,
            QObject *parent = nullptr);
    ~Session() override;

    // Local mode: `path` is a settings INI file (baricadr.conf) or a repos.yml.
    static Result<Session *> openLocal(const QString &path, QObject *parent = nullptr);
    // Remote mode: a server URL, with optional HTTP Basic credentials.
    static Result<Session *> openRemote(const QUrl &url, const QString &user, const QString &password,
                                        QObject *parent = nullptr);

    Mode mode() const { return m_mode; }
    QString description() const { return m_description; }
    BaricadrService *service() const { return m_service; }

    // A scan of a repo for the browser: the local walk, and the remote listing — streamed from
    // rclone in local mode, through the service's listing (POST /list, from the repo root,
    // unlimited depth, full metadata) in remote mode.
    RepoScan *createScan(const QString &repoRoot) const;
    RepoScan::RemoteListFn remoteLister(const QString &repoRoot) const;
    // Where the repo's local files can be walked from this computer; empty when they cannot
    // (a remote server whose disks are not mounted here).
    QString localRootFor(const QString &repoRoot) const;

private:
    Mode m_mode;
    QString m_description;
    BaricadrService *m_service;
    std::shared_ptr<void> m_keepAlive;
    RepoScan::RemoteStreamFn (*m_streamFactory)(const Session *, const QString &) = nullptr;

public:
    // Local mode: how to stream a repo's remote listing (set by openLocal).
    void setRemoteStreamFactory(RepoScan::RemoteStreamFn (*factory)(const Session *, const QString &))
    {
        m_streamFactory = factory;
    }
    std::shared_ptr<void> keepAlive() const { return m_keepAlive; }
};

} // namespace baricadr::gui
