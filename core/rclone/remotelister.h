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
#include <QSet>
#include <QTemporaryFile>
#include <QTimer>

#include <memory>
#include <optional>

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

    // How stat() asks the remote for the names.
    enum class Lookup
    {
        // One lookup per name (`--no-traverse --files-from-raw`: rclone's NewObject for each
        // name, --checkers of them at a time): cost ~ the names asked, whatever the size of the
        // directories holding them. Best for a few names spread over many directories.
        PerFile,
        // `--files-from-raw` alone: rclone lists every directory that holds a name. Best when
        // the names fill the directories they are in.
        ListDirectories,
    };
    struct StatOptions
    {
        bool withHash = false; // ask the remote for hashes (slow on sftp: it runs md5sum)
        Lookup lookup = Lookup::PerFile;
        // Set: the names that are symlinks locally. Only those are asked both as "x" and as
        // "x.rclonelink"; every other name only as itself (half the lookups of a freeze, and a
        // regular file is never matched by a link). Unset: every name is asked both ways.
        std::optional<QSet<QString>> localSymlinks;
        // PerFile: after this long without an answer, ask again by listing the directories
        // (-1: 20 s plus 0.25 s per name a parallel lookup has to ask). rclone 1.60 never ends
        // a --no-traverse run in which as many lookups failed as there are --checkers (its
        // feeder blocks on a full queue once every lookup goroutine has returned): a remote
        // that holds directories under several of the names, or a connection lost mid-run.
        int perFileStallMs = -1;
    };

    // Metadata of the given repo-relative files only (freeze candidates, verifications, pulls
    // of named files); the names go to rclone in a 0600 temp file. A path absent from the
    // answer is not on the remote (also a name that cannot be asked for: line breaks; on the
    // local backend leading/trailing blanks); an answer to a name not asked is dropped. A
    // symlink stored as "name.rclonelink" is found under "name" (isSymlink set); when both
    // "x" and "x.rclonelink" exist, the regular file wins.
    // The local backend is answered without rclone: one lstat per name (and its ".rclonelink"
    // twin), on a pool thread, as rclone's local backend would present it (never through a
    // symlinked directory); with hashes it uses anchored `--include-from` rules over a listing
    // (there --files-from misses symlinks, and a per-file lookup of "x.rclonelink" answers with
    // a regular file "x"); rules cost names x rules, so keep those chunks to a few thousand.
    // PerFile falls back to ListDirectories once when a name is a directory on the remote
    // (rclone then fails the whole lookup with "is a directory not a file").
    // Emits statFinished() once; any rclone error fails the whole answer.
    void stat(const RepoConfig &repo, const QStringList &relPaths, const StatOptions &options);
    void stat(const RepoConfig &repo, const QStringList &relPaths, bool withHash)
    {
        StatOptions o;
        o.withHash = withHash;
        stat(repo, relPaths, o);
    }
    // The same answer for the `wanted` repo-relative files from one streaming `lsjson -R` of the
    // remote directory `relDir` ("" = the repo's remote root): cheaper than stat() when the
    // names are a large part of the tree (one listing instead of a lookup per file). Never
    // with hashes (that would hash every remote file). A remote directory that does not exist
    // answers "none of them". Emits statFinished() once.
    void statByListing(const RepoConfig &repo, const QString &relDir, QSet<QString> wanted);

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
    void runStat(const QStringList &args, const QString &what, const QString &prefix, bool notFoundIsEmpty);
    void onStatLines(const QList<QByteArray> &lines);
    void finishStatLater(const Result<QHash<QString, RemoteEntry>> &result);

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
    // stat(): the names asked (repo-relative, ".rclonelink" removed) -> whether a symlink
    // answer counts. statByListing(): the wanted names (any answer counts).
    QHash<QString, bool> m_asked;
    QString m_statPrefix; // statByListing(): what rclone's Paths are relative to
    bool m_cancelled = false;
    QTimer *m_stallTimer = nullptr; // per-file lookups: see StatOptions::perFileStallMs
    bool m_stalled = false;
    int m_stallMs = 0;
    QString m_listDir;                    // the directory rclone's Paths are relative to
    bool m_linkRetry = false;             // looking for relPath or relPath.rclonelink in its parent
    std::optional<Status> m_firstAttempt; // what the listing of the plain name said
};

} // namespace baricadr
