#include "listjob.h"

#include "rclone/parsers.h"
#include "rclone/remotelister.h"
#include "util/paths.h"

#include <QFile>
#include <QJsonObject>

#include <sys/stat.h>

namespace baricadr {

namespace {

bool existsLocally(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

} // namespace

ListJob::ListJob(const RcloneOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{}

ListJob::ListJob(const RepoConfig &repo, const ListRequest &request, const RcloneOptions &options,
                 QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_repo(repo)
    , m_request(request)
{}

ListJob::~ListJob() = default;

void ListJob::start()
{
    start(m_repo, m_request);
}

void ListJob::cancel()
{
    if (m_lister)
        m_lister->cancel();
}

void ListJob::start(const RepoConfig &repo, const ListRequest &request)
{
    if (!paths::contains(repo.root, request.path)) {
        const Error err(ErrorCode::InvalidInput,
                        QStringLiteral("%1 is not inside the repository %2").arg(request.path, repo.root));
        QMetaObject::invokeMethod(
            this, [this, err] { Q_EMIT finished(err); }, Qt::QueuedConnection);
        return;
    }
    const QString rel = paths::relative(repo.root, request.path);
    m_result.clear();

    RemoteLister::ListOptions opts;
    opts.maxDepth = qMax(0, request.maxDepth);
    opts.filesOnly = true;
    opts.keepObjects = request.full;
    m_lister = new RemoteLister(m_options, this);
    connect(m_lister, &RemoteLister::entries, this,
            [this, repo, request, rel](const QList<RemoteEntry> &batch, const QList<QJsonObject> &objects) {
                for (qsizetype i = 0; i < batch.size(); ++i) {
                    const RemoteEntry &e = batch[i];
                    ListEntry out;
                    out.missing = !existsLocally(paths::join(repo.root, e.relPath));
                    if (request.missing && !out.missing)
                        continue;
                    if (request.fromRoot)
                        out.path = e.relPath;
                    else if (e.relPath == rel ||
                             (e.isSymlink && rel.endsWith(rclone::kLinkSuffix) &&
                              QStringView(rel).chopped(rclone::kLinkSuffix.size()) == e.relPath))
                        // the request path is this one file (a link may be asked by its stored name)
                        out.path = e.relPath.mid(e.relPath.lastIndexOf(u'/') + 1);
                    else
                        out.path = rel.isEmpty() ? e.relPath : e.relPath.mid(rel.size() + 1);
                    if (request.full && i < objects.size()) {
                        out.full = objects[i];
                        out.full.insert(QStringLiteral("Path"), out.path);
                    }
                    m_result.append(out);
                }
            });
    connect(m_lister, &RemoteLister::listFinished, this, [this](const Status &status) {
        m_lister->deleteLater();
        if (!status.ok()) {
            m_result.clear();
            Q_EMIT finished(status.error());
            return;
        }
        QList<ListEntry> result;
        result.swap(m_result);
        Q_EMIT finished(result);
    });
    m_lister->list(repo, rel, opts);
}

} // namespace baricadr
