#pragma once

#include "rclone/rcloneoptions.h"
#include "repo/repoconfig.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTemporaryFile>

#include <memory>

namespace baricadr {

class RcloneJob;
class RcloneRemote;
class RemoteLister;

struct PullOptions
{
    bool dryRun = false;
    QStringList files; // explicit repo-relative files (thaw); empty = everything under relPath
    QString taskId;    // names the staging directory; empty = a fresh id
    // Plan from a listing of the remote even when the target is absent locally (no direct
    // copy): for tests and benchmarks comparing both ways.
    bool alwaysList = false;
};

struct PullOutcome
{
    qint64 files = 0; // pulled (or, on a dry run, that would be)
    qint64 bytes = 0;
    QStringList pulled;      // repo-relative paths placed in the repo
    QStringList wouldPull;   // dry run: what would be pulled
    QStringList keptLocal;   // appeared locally while pulling: the local one was kept
    QStringList notOnRemote; // explicit files the remote does not have
    QStringList notPulled;   // "path: why" of each file the remote has that could not be placed
};

// Pulls files from a repo's remote into the repo, never overwriting anything local.
//
// - What: every remote file under relPath ("" = the whole repo) that is absent locally (lstat:
//   a locally modified file is kept, a locally deleted one is pulled again, local-only files
//   are untouched), minus the repo's excludes; a single file asked explicitly is pulled even
//   if excluded (as the original did), and so are the explicit `files` of a thaw.
// - How: rclone 1.60 killed mid-copy leaves a truncated file under its final name, so rclone
//   never writes into the repo. It copies (`--files-from-raw --no-traverse --links`) into
//   `<repo>/.baricadr-staging/<taskId>/` (same filesystem); each complete file, checked
//   against the size the listing announced, is renamed into place with RENAME_NOREPLACE (an
//   existing local file always wins). Then its atime is set to now (mtime kept, as rclone set
//   it from the remote) and chown_uid/gid are applied to it and to the directories created.
// - Direct copy (sftp and local backends): when relPath does not exist locally at all (and is
//   not excluded), nothing local
//   can be overwritten or be in the way, so there is no listing first: rclone copies relPath
//   (`copyto`, a file or a directory) into staging and reports each complete file ("Copied"
//   in its JSON log); each is renamed into place as above (RENAME_NOREPLACE still: a file that
//   appears locally meanwhile wins), excludes are applied there (the simple "*suffix" ones
//   also given to rclone, so it does not download them), and what rclone copied without
//   saying so is placed once it has exited 0. rclone checks each file's size itself. When
//   the remote has nothing under that name (a link stored as "name.rclonelink", or absent),
//   the pull falls back to the listing.
// - Interrupted (cancel, error, disk full, kill -9): what is in place is complete; what is in
//   staging is removed now or, after a crash, by recoverStaging() / the next pull.
// - Dry run: the list of what would be pulled; nothing written.
// One pull per instance.
class Puller : public QObject
{
    Q_OBJECT
public:
    // The staging directory's name under a repo root. Listings, scans and freezes must skip it,
    // and backups of the repo must exclude it.
    static constexpr QStringView kStagingDirName = u".baricadr-staging";

    explicit Puller(const RcloneOptions &options, QObject *parent = nullptr);
    ~Puller() override;

    void start(const RepoConfig &repo, const QString &relPath, const PullOptions &options);
    // Stops the pull; finished(Cancelled) follows once rclone is gone and staging is cleaned.
    // `graceful`: SIGTERM with a grace period; otherwise SIGKILL at once.
    void cancel(bool graceful = true);

    // Removes what interrupted pulls left in the repo's staging directory (skipping the
    // staging of pulls still running, in this process or another: each holds a lock).
    // For the engine's crash recovery; also done at the start of every pull.
    // Returns how many leftover staging directories were removed.
    static Result<int> recoverStaging(const RepoConfig &repo);

Q_SIGNALS:
    void progress(const baricadr::TaskProgress &progress);
    void fileDone(const QString &relPath, qint64 bytes);
    // Human-readable lines for the task log (never a secret).
    void logMessage(const QString &message);
    void finished(const baricadr::Result<baricadr::PullOutcome> &result);

private:
    struct Planned
    {
        QString localRel;  // repo-relative local path
        QString remoteRel; // remote object, "x.rclonelink" for a link
        qint64 size = 0;
        bool isLink = false;
    };

    bool canCopyDirectly() const;
    void startListing();
    void startDirect();
    // An rclone copy into staging (args complete), its log lines forwarded; callers connect
    // fileCopied, progress and finished.
    RcloneJob *newCopyJob(const QStringList &args, const RcloneRemote &remote);
    void onDirectFinished(const Status &status);
    void placeDirect(const QString &object);
    void placeRemainingDirect();
    void fallBackToListing(const QString &why);
    void consider(const QString &localRel, bool isLink, qint64 size, bool explicitRequest);
    // A file the remote has that this pull leaves out, with why: in the log and the outcome.
    void notPulled(const QString &localRel, const QString &why);
    void planDone(const Status &status);
    bool openStaging(QString *error);
    void startNextChunk();
    bool rcloneRunEnded();
    void onChunkFinished(const Status &status);
    void placeFile(const QString &remoteRel);
    // Moves one complete staged file or link into place; p.size < 0: unknown (direct copy:
    // excludes and names are checked here instead of at planning).
    void placeStaged(const QString &staged, const Planned &p);
    bool ensureParentDirs(const QString &localRel, QString *error);
    void fail(const Error &error);
    void succeed();
    void cleanupStaging();

    RcloneOptions m_options;
    RepoConfig m_repo;
    QString m_relPath;
    PullOptions m_pullOptions;
    QString m_stagingRoot; // <root>/.baricadr-staging
    QString m_staging;     // <root>/.baricadr-staging/<taskId>
    int m_lockFd = -1;
    QPointer<RemoteLister> m_lister;
    QPointer<RcloneJob> m_job;

    // The plan, spooled to a temp file so a pull of millions of files stays small in memory.
    std::unique_ptr<QTemporaryFile> m_planFile;
    qint64 m_planned = 0;
    qint64 m_plannedBytes = 0;

    // The chunk rclone is copying: remoteRel -> planned entry.
    QHash<QString, Planned> m_chunk;
    std::unique_ptr<QTemporaryFile> m_filesFrom;
    qint64 m_bytesBeforeChunk = 0;
    PullOutcome m_outcome;
    QStringList m_createdDirs;
    bool m_cancelled = false;
    bool m_done = false;

    // Direct copy (no listing): where rclone writes relPath in staging, and what it is there.
    QString m_directDest;
    enum class DirectShape
    {
        Unknown,
        Directory,
        File
    } m_directShape = DirectShape::Unknown;
    qint64 m_directSeen = 0; // files rclone copied (placed or not)
    // rclone 1.60 refuses any filter when copying a single file: the direct copy of a file is
    // retried without the exclude rules (the file itself is not excluded, canCopyDirectly()).
    bool m_directWithoutExcludes = false;
};

} // namespace baricadr
