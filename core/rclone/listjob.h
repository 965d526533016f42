#pragma once

#include "rclone/rcloneoptions.h"
#include "repo/repoconfig.h"
#include "service/baricadrservice.h"
#include "util/result.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace baricadr {

class RemoteLister;

// The original `/list` and `/tree` as a core job: the remote files under a path, with
// - Path relative to the request path, or to the repo root with fromRoot; when the path is a
//   single remote file, that one file (Path = its name, or its repo path with fromRoot);
// - a ".rclonelink" suffix removed (the link's local name);
// - missing = absent locally (lstat: a dangling symlink present locally is not missing);
//   with request.missing only those;
// - full = rclone's lsjson object with Path rewritten as above;
// - maxDepth as given, 0 = unlimited.
class ListJob : public QObject
{
    Q_OBJECT
public:
    explicit ListJob(const RcloneOptions &options, QObject *parent = nullptr);
    // Bound to one request; run it with start().
    ListJob(const RepoConfig &repo, const ListRequest &request, const RcloneOptions &options,
            QObject *parent = nullptr);
    ~ListJob() override;

    // `request.path` must be absolute and normalised, inside `repo.root`.
    void start(const RepoConfig &repo, const ListRequest &request);
    void start(); // the request given to the constructor
    void cancel();

Q_SIGNALS:
    void finished(const baricadr::Result<QList<baricadr::ListEntry>> &result);

private:
    RcloneOptions m_options;
    RepoConfig m_repo;
    ListRequest m_request;
    QPointer<RemoteLister> m_lister;
    QList<ListEntry> m_result;
};

} // namespace baricadr
