#include "session.h"

#include "browse/reposcan.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>

namespace baricadr::gui {

Session::Session(Mode mode, QString description, BaricadrService *service, std::shared_ptr<void> keepAlive,
                 QObject *parent)
    : QObject(parent)
    , m_mode(mode)
    , m_description(std::move(description))
    , m_service(service)
    , m_keepAlive(std::move(keepAlive))
{}

Session::~Session() = default;

RepoScan::RemoteListFn Session::remoteLister(const QString &repoRoot) const
{
    QPointer<BaricadrService> service = m_service;
    return [service, repoRoot]() -> QFuture<Result<QList<RemoteEntry>>> {
        if (!service) {
            return QtFuture::makeReadyFuture(Result<QList<RemoteEntry>>(Error(
                ErrorCode::Internal, QCoreApplication::translate("Session", "The connection was closed."))));
        }
        ListRequest req;
        req.path = repoRoot;
        req.maxDepth = 0;
        req.fromRoot = true;
        req.full = true;
        // Converting a big listing is real work: do it on a pool thread, not the GUI's.
        return service->list(req).then(QtFuture::Launch::Async, [](const Result<QList<ListEntry>> &r) {
            if (!r.ok())
                return Result<QList<RemoteEntry>>(r.error());
            QList<RemoteEntry> out;
            out.reserve(r->size());
            for (const ListEntry &e : r.value())
                out.append(remoteEntryFromJson(e.full, e.path));
            return Result<QList<RemoteEntry>>(std::move(out));
        });
    };
}

RepoScan *Session::createScan(const QString &repoRoot) const
{
    if (m_streamFactory) {
        if (RepoScan::RemoteStreamFn stream = m_streamFactory(this, repoRoot))
            return new RepoScan(localRootFor(repoRoot), std::move(stream));
    }
    return new RepoScan(localRootFor(repoRoot), remoteLister(repoRoot));
}

QString Session::localRootFor(const QString &repoRoot) const
{
    if (m_mode == Mode::Local)
        return repoRoot;
    return QFileInfo(repoRoot).isDir() ? repoRoot : QString();
}

} // namespace baricadr::gui
