#pragma once

#include "rclone/rcloneoptions.h"
#include "repo/repoconfig.h"
#include "scan/fileentry.h"
#include "util/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTemporaryFile>

#include <memory>

namespace baricadr {

class RcloneJob;

// Streams a remote listing (`rclone lsjson -R`, one object per line) in batches: memory stays
// bounded by the batch size whatever the size of the remote. One operation per instance.
class RemoteLister : public QObject
{
    Q_OBJECT
public:
    struct ListOptions
    {
        int maxDepth = 0;         // 0 = unlimited, 1 = the directory's own entries
        bool filesOnly = true;    // directories are not reported
        bool withHash = false;    // ask the remote for hashes (slow on sftp: it runs md5sum)
        bool keepObjects = false; // also deliver rclone's raw objects (for /list "full")
        int batchSize = 1000;
    };

    explicit RemoteLister(const RcloneOptions &options, QObject *parent = nullptr);
    ~RemoteLister() override;

    // Lists `relPath` (repo-relative, "" = the whole remote) recursively. Entries' relPath is
    // repo-relative. When `relPath` names a single remote file, that one file is delivered.
    // Emits entries() zero or more times, then listFinished() once.
    void list(const RepoConfig &repo, const QString &relPath, const ListOptions &options);

    // Metadata of the given repo-relative files only (freeze candidates): `lsjson -R
    // --files-from-raw` (sftp, s3, rclone remotes) or anchored `--include-from` rules (local
    // backend, where --files-from misses symlinks), the names in a 0600 temp file. A path
    // absent from the answer is not on the remote (also a name that cannot be asked for: line
    // breaks; on the local backend leading/trailing blanks). A symlink stored as
    // "name.rclonelink" is found under "name" (isSymlink set). Call again for further chunks
    // (a few thousand names each: the local backend's rules cost names x rules).
    // Emits statFinished() once; any rclone error fails the whole answer.
    void stat(const RepoConfig &repo, const QStringList &relPaths, bool withHash);

    void cancel();
    // Lines of rclone output that were neither an entry nor a bracket.
    qint64 garbageLines() const { return m_garbage; }
    QString commandLineForLog() const;

Q_SIGNALS:
    // `objects` is empty unless keepObjects; otherwise objects[i] belongs to batch[i], with
    // "Path" still as rclone printed it.
    void entries(const QList<baricadr::RemoteEntry> &batch, const QList<QJsonObject> &objects);
    void listFinished(const baricadr::Status &status);
    void statFinished(const baricadr::Result<QHash<QString, baricadr::RemoteEntry>> &result);

private:
    void onListLines(const QList<QByteArray> &lines);
    void onListDone(const Status &status);
    void deliver(const RemoteEntry &entry, const QJsonObject &object);
    void flush();
    void startStatOfSingle();
    void startList(const QString &dir, const QStringList &filters);

    RcloneOptions m_options;
    RepoConfig m_repo;
    QString m_relPath;
    ListOptions m_listOptions;
    QPointer<RcloneJob> m_job;
    std::unique_ptr<QTemporaryFile> m_filesFrom;
    QList<RemoteEntry> m_batch;
    QList<QJsonObject> m_objects;
    // The first entry is held back: when it is the only one and its name is the last
    // component of relPath, relPath may be a file (or a directory holding a same-named file).
    std::optional<std::pair<RemoteEntry, QJsonObject>> m_heldFirst;
    qint64 m_seen = 0;
    qint64 m_garbage = 0;
    QHash<QString, RemoteEntry> m_statResult;
    bool m_cancelled = false;
    QString m_listDir;                    // the directory rclone's Paths are relative to
    bool m_linkRetry = false;             // looking for relPath or relPath.rclonelink in its parent
    std::optional<Status> m_firstAttempt; // what the listing of the plain name said
};

} // namespace baricadr
