#pragma once

#include "freeze/freezeplan.h"
#include "freeze/freezeplanner.h"
#include "freeze/freezer.h"
#include "freeze/journalentry.h"
#include "rclone/rcloneoptions.h"
#include "rclone/remotelister.h"
#include "repo/repoconfig.h"
#include "scan/localscanner.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace baricadr {

struct PlanFeed;

struct FreezeJobRequest
{
    RepoConfig repo;
    QString relPath; // repo-relative dir or file to freeze ("" = the whole repo)
    QString taskId;
    bool dryRun = false;
    bool force = false; // skips the last-access rule only
    std::optional<WatermarkPolicy> watermark;
    QStringList pins; // pinned paths at planning time: repo-relative, or absolute inside the repo
    // Asked right before each unlink (pins added during the freeze count). Unset: `pins`.
    std::function<bool(const QString &relPath)> isPinnedNow;
    // Records each file right before its removal; a failure stops the freeze and fails the job.
    // Required unless dryRun.
    std::function<Status(const JournalEntry &)> record;
    // Takes back a record whose file was kept after all (see FreezerOptions::retract). Optional.
    std::function<Status(const JournalEntry &)> retract;
    RcloneOptions rclone;
    int chunkSize = 5000; // paths per remote lookup (RemoteLister::stat), and files per execution chunk
    // How the candidates are looked up on the remote (RemoteLister::stat).
    RemoteLister::Lookup lookup = RemoteLister::Lookup::PerFile;
    // Planning asks the remote with one streaming listing of the subtree instead of per-file
    // lookups when there are at least this many candidates and they are at least this fraction
    // of the files scanned. Measured on loopback SFTP (tests/bench/README.md): a lookup costs
    // ~30-40 listed entries, so listing pays from ~3 % of the files on.
    int listingMinCandidates = 100;
    double listingMinFraction = 0.03;
    // Planning memory is bounded by chunks of this many candidates: the scan hands them over
    // as it goes (and waits while one chunk is being checked and the next is ready), each chunk
    // is checked on the remote (per-file lookups, or listings of the directories holding them
    // when they are many) and its verdicts kept, then it is released. A scan with fewer
    // candidates is checked in one go (one listing of the subtree, or per-file lookups).
    int planChunkCandidates = 25000;
    // At most this many files in the plan's toFreeze (dry runs only: a real freeze needs them
    // all) and kept lists; -1 = all. Every file still goes through filePlanned()/fileKept(),
    // and the totals (outcome files/bytes, keptByReason) stay complete.
    qsizetype planListCap = -1;
    qint64 nowNs = 0; // 0 = the current time (tests pass a fixed one)
    // List recently_accessed files in the plan (dry runs of small trees). Off: counted only.
    bool listRecentlyAccessed = false;
    bool useNoAtime = true; // tests only: exercise the atime-restoring fallback
};

struct FreezeOutcome
{
    bool dryRun = false;
    qint64 files = 0; // frozen (dry run: would be)
    qint64 bytes = 0; // freed (dry run: would be)
    std::map<KeepReason, qint64> keptByReason;
    qint64 keptFiles = 0;
    qint64 scanned = 0;                // local entries planned
    std::vector<ScanError> scanErrors; // unreadable directories/entries: left alone
    QStringList otherFilesystems;      // mount points not entered
    FreezePlan plan;                   // the plan (dry run: what would happen); histogram always set
};

// One freeze of `repo`/`relPath`, start to end:
//   scan (pool thread, streaming into a FreezePlanner: only candidates stay in memory)
//   → remote metadata for the candidates only (RemoteLister::stat, chunkSize per call; or one
//     streaming listing of the subtree when candidates are a large part of it)
//   → plan → [dry run: stop here, with the plan]
//   → per chunk: remote metadata fetched again right before the chunk (so the remote check is
//     fresh, not only as old as the plan), local hashes off-thread on verify=checksum repos,
//     then per file on this thread: re-check (Freezer), unlink, journal.
// If the remote is unreachable or rclone fails, nothing (more) is frozen and finished() carries
// rclone's error in plain words. cancel() stops between files (or stops the scan/rclone).
// Runs on the thread it lives in (the engine's); files are processed in short slices so the
// event loop stays responsive.
class FreezeJob : public QObject
{
    Q_OBJECT
public:
    explicit FreezeJob(FreezeJobRequest request, QObject *parent = nullptr);
    ~FreezeJob() override;

    void start();
    void cancel();

    bool isRunning() const { return m_running; }
    // What happened so far (also after a failure or cancel: files frozen before it).
    const FreezeOutcome &outcome() const { return m_outcome; }

Q_SIGNALS:
    void progress(const baricadr::TaskProgress &progress);
    void fileFrozen(const baricadr::JournalEntry &entry);
    void fileKept(const QString &relPath, baricadr::KeepReason reason, const QString &detail);
    // Each file the plan freezes (dry run: would freeze), as soon as it is verified (a
    // watermark freeze: once the files are picked, after the whole scan).
    void filePlanned(const baricadr::FreezeCandidate &candidate);
    // Human-readable lines for the task log ("info", "warning", "error").
    void logMessage(const QString &level, const QString &message);
    void finished(const baricadr::Result<baricadr::FreezeOutcome> &result);

private:
    enum class Phase
    {
        Idle,
        Scanning,
        PlanningRemote,
        Executing,
        Done
    };
    void onScanDone();
    void drainFeed();
    void checkChunk(std::vector<LocalEntry> &&candidates, qint64 files, bool whole);
    void statNextPlanningChunk();
    void onChunkChecked();
    void failPlanning(const Error &error);
    void listKept(std::vector<KeptFile> &&kept);
    void onPlanned();
    void startChunk();
    void onChunkRemote(const Result<QHash<QString, RemoteEntry>> &remote);
    void onChunkHashed();
    void executeSlice();
    void statPaths(const QStringList &paths, RemoteLister::Lookup lookup,
                   std::function<void(const Result<QHash<QString, RemoteEntry>> &)> done);
    void keep(const KeptFile &k);
    void fail(const Error &error);
    void succeed();
    void emitProgress();
    FreezePolicy policy() const;

    FreezeJobRequest m_request;
    FreezeOutcome m_outcome;
    Phase m_phase = Phase::Idle;
    bool m_running = false;
    bool m_cancelled = false;
    qint64 m_nowNs = 0;

    // Shared with the scan's pool thread until the scan future finishes.
    std::shared_ptr<FreezePlanner> m_planner;
    std::shared_ptr<PlanFeed> m_feed; // chunks of candidates from the scan thread
    bool m_scanDone = false;
    bool m_checking = false;                   // a chunk is being checked on the remote
    bool m_draining = false;                   // in drainFeed(): a nested call leaves it to the outer one
    std::vector<LocalEntry> m_checkCandidates; // … that chunk
    FreezePlan m_verdicts;                     // the remote verdicts of the chunks checked so far
    QFutureWatcher<ScanSummary> m_scanWatcher;
    QFuture<ScanSummary> m_scanFuture;

    QPointer<RemoteLister> m_lister;
    QStringList m_candidatePaths;
    QSet<QString> m_candidateSymlinks; // of the paths being looked up: symlinks locally
    qsizetype m_statOffset = 0;
    QHash<QString, RemoteEntry> m_remote;

    std::unique_ptr<Freezer> m_freezer;
    size_t m_chunkStart = 0; // index in m_outcome.plan.toFreeze
    size_t m_chunkEnd = 0;
    std::vector<FreezeCandidate>
        m_chunk; // candidates of the current chunk that passed the fresh remote check
    std::shared_ptr<std::vector<LocalHash>> m_hashes;
    QFutureWatcher<void> m_hashWatcher;
    QFuture<void> m_hashFuture;
    size_t m_next = 0; // next index in m_chunk
    qint64 m_scanFiles = 0;
    qint64 m_scanDirectories = 0;
    qint64 m_plannedFiles = 0;
    qint64 m_plannedBytes = 0;
    qint64 m_doneFiles = 0;
};

} // namespace baricadr
