#pragma once

#include "rclone/rcloneoptions.h"
#include "repo/repoconfig.h"
#include "scan/fileentry.h"
#include "util/result.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTemporaryFile>

#include <memory>

namespace baricadr {

class RcloneJob;

// Remote metadata of given repo-relative files only (freeze candidates), in one
// `rclone lsjson -R --files-from-raw LIST --files-only --links [--hash]` run. The -R matters:
// without it rclone 1.60 only answers for the names at the top level of the remote root and
// silently drops "dir/file" entries (which a freeze would then keep as not_on_remote). Each path
// is asked for as itself and as "path.rclonelink" (a symlink stored by `--links`); a path absent
// from the answer is not on the remote. One run per instance; finished() exactly once.
// (Same job as RemoteLister::stat; kept here until that one recurses into directories.)
class CandidateStat : public QObject
{
    Q_OBJECT
public:
    CandidateStat(const RcloneOptions &options, QObject *parent = nullptr);
    ~CandidateStat() override;

    void start(const RepoConfig &repo, const QStringList &relPaths, bool withHash);
    // The same answer from one streaming `lsjson -R` of the remote directory `relDir` (""
    // = the repo's remote root), keeping only the `wanted` repo-relative paths. Cheaper than
    // asking for each file when candidates are a large part of the tree (one listing call per
    // directory instead of one stat per file). A remote directory that does not exist answers
    // "none of them" (the freeze then keeps them as not_on_remote).
    void startListing(const RepoConfig &repo, const QString &relDir, QSet<QString> wanted);
    void cancel();

Q_SIGNALS:
    void finished(const baricadr::Result<QHash<QString, baricadr::RemoteEntry>> &result);

private:
    void run(const RepoConfig &repo, const QStringList &args, const QString &what, const QString &prefix,
             bool notFoundIsEmpty);
    void finishLater(const Result<QHash<QString, RemoteEntry>> &r);

    RcloneOptions m_options;
    QPointer<RcloneJob> m_job;
    std::unique_ptr<QTemporaryFile> m_list;
    QHash<QString, RemoteEntry> m_result;
    QSet<QString> m_asked;
};

} // namespace baricadr
