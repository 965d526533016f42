#include "freeze/freezejob.h"

#include "rclone/rcloneremote.h"
#include "rclone/remotelister.h"
#include "repo/exclude.h"
#include "util/paths.h"
#include "util/timespec.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QPromise>
#include <QScopedValueRollback>
#include <QThreadPool>
#include <QTimer>
#include <QWaitCondition>

#include <ctime>
#include <deque>

namespace baricadr {

namespace {

qint64 realtimeNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return toNs(ts);
}

// "a//b/" -> "a/b"; refuses "." and ".." components (a freeze never leaves its repo).
std::optional<QString> cleanRelPath(const QString &relPath)
{
    QStringList parts;
    for (const QString &p : relPath.split(u'/', Qt::SkipEmptyParts)) {
        if (p == u"." || p == u"..")
            return std::nullopt;
        parts.append(p);
    }
    return parts.join(u'/');
}

constexpr int kSliceMs = 20; // longest stretch of unlinks without returning to the event loop

} // namespace

// What the scan hands over while it runs: candidates (and listed kept files) in chunks.
struct PlanChunk
{
    std::vector<LocalEntry> candidates;
    std::vector<KeptFile> kept;
    qint64 files = 0;   // local entries planned since the previous chunk of candidates
    bool whole = false; // the last chunk, and no other held candidates: the scan's every one
};

// Chunks from the scan's pool thread to the job's thread. The scan hands a chunk over only when
// the job is idle (it waits on a condition while the previous chunk is being checked, holding
// the next one), so planning holds about two chunks whatever the size of the repo.
struct PlanFeed
{
    QMutex mutex;
    QWaitCondition room;
    std::deque<PlanChunk> ready;
    bool busy = false; // the job is checking a chunk
    bool stopped = false;
    bool pushedCandidates = false;
    std::function<void()> notify; // called with the mutex held; the job clears it on stop()

    // Scan thread. False once stopped (the chunk is dropped).
    bool push(PlanChunk &&chunk)
    {
        QMutexLocker lock(&mutex);
        while (!stopped && (busy || !ready.empty()))
            room.wait(&mutex);
        if (stopped)
            return false;
        pushedCandidates = pushedCandidates || !chunk.candidates.empty();
        ready.push_back(std::move(chunk));
        if (notify)
            notify();
        return true;
    }
    // Job thread, once the scan is over: never waits.
    void append(PlanChunk &&chunk)
    {
        QMutexLocker lock(&mutex);
        ready.push_back(std::move(chunk));
    }
    // Job thread: the next chunk; one with candidates makes the job busy until idle().
    std::optional<PlanChunk> take()
    {
        QMutexLocker lock(&mutex);
        if (ready.empty())
            return std::nullopt;
        PlanChunk c = std::move(ready.front());
        ready.pop_front();
        busy = !c.candidates.empty();
        room.wakeAll();
        return c;
    }
    void idle()
    {
        QMutexLocker lock(&mutex);
        busy = false;
        room.wakeAll();
    }
    bool isStopped()
    {
        QMutexLocker lock(&mutex);
        return stopped;
    }
    bool anyCandidatesPushed()
    {
        QMutexLocker lock(&mutex);
        return pushedCandidates;
    }
    void stop()
    {
        QMutexLocker lock(&mutex);
        stopped = true;
        notify = nullptr;
        ready.clear();
        room.wakeAll();
    }
};

FreezeJob::FreezeJob(FreezeJobRequest request, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
{
    connect(&m_scanWatcher, &QFutureWatcher<ScanSummary>::finished, this, &FreezeJob::onScanDone);
    connect(&m_hashWatcher, &QFutureWatcher<void>::finished, this, &FreezeJob::onChunkHashed);
}

FreezeJob::~FreezeJob()
{
    // The pool tasks only hold shared state (never `this`): cancelling is enough, no wait.
    if (m_feed)
        m_feed->stop(); // also forgets `this`
    m_scanFuture.cancel();
    m_hashFuture.cancel();
}

FreezePolicy FreezeJob::policy() const
{
    FreezePolicy p;
    p.nowNs = m_nowNs;
    p.freezeAgeDays = m_request.repo.freezeAge;
    p.force = m_request.force;
    p.pins = m_request.pins;
    p.checksum = m_request.repo.verify == VerifyMode::Checksum;
    p.watermark = m_request.watermark;
    p.listRecentlyAccessed = m_request.listRecentlyAccessed;
    // One second for every backend: SFTP keeps mtimes to the second (the coarsest of the
    // backends Baricadr drives); local and S3 keep nanoseconds, where 1 s is still safe
    // because the size and (on verify=checksum) the hash must match too.
    p.mtimeToleranceNs = kNsPerSecond;
    const RepoConfig repo = m_request.repo;
    if (!repo.exclude.isEmpty()) {
        p.isExcluded = [repo](const QString &rel) { return isExcluded(repo, paths::join(repo.root, rel)); };
    }
    return p;
}

void FreezeJob::start()
{
    if (m_running || m_phase != Phase::Idle)
        return;
    m_running = true;
    m_outcome.dryRun = m_request.dryRun;
    const RepoConfig &repo = m_request.repo;
    if (!repo.freezable) {
        QTimer::singleShot(0, this, [this] {
            fail(
                Error(ErrorCode::NotFreezable,
                      QStringLiteral("repository %1 is not freezable (freezable: false in its configuration)")
                          .arg(m_request.repo.root)));
        });
        return;
    }
    const auto rel = cleanRelPath(m_request.relPath);
    if (!rel) {
        QTimer::singleShot(0, this, [this] {
            fail(Error(ErrorCode::InvalidInput, QStringLiteral("path \"%1\" leaves the repository %2")
                                                    .arg(m_request.relPath, m_request.repo.root)));
        });
        return;
    }
    m_request.relPath = *rel;
    if (!m_request.dryRun && !m_request.record) {
        QTimer::singleShot(0, this, [this] {
            fail(Error(ErrorCode::Internal, QStringLiteral("freeze without a journal to record into")));
        });
        return;
    }
    m_nowNs = m_request.nowNs ? m_request.nowNs : realtimeNs();
    // Pins as the store keeps them (absolute paths inside the repo) become repo-relative. Any
    // other pin is kept as a repo-relative one: pinning too much is safe, dropping a pin is not.
    QStringList pins;
    for (const QString &pin : std::as_const(m_request.pins)) {
        const auto abs = pin.startsWith(u'/') ? paths::normalize(pin) : Result<QString>(Error());
        if (abs && paths::contains(repo.root, abs.value()))
            pins.append(paths::relative(repo.root, abs.value()));
        else
            pins.append(pin);
    }
    m_request.pins = pins;
    if (!m_request.isPinnedNow) {
        auto pins = std::make_shared<PinSet>(m_request.pins);
        m_request.isPinnedNow = [pins](const QString &p) { return pins->covers(p); };
    }
    m_phase = Phase::Scanning;
    m_planner = std::make_shared<FreezePlanner>(policy());
    Q_EMIT logMessage(QStringLiteral("info"),
                      QStringLiteral("%1 freeze of %2 (freeze_age %3 days%4)")
                          .arg(m_request.dryRun ? QStringLiteral("dry-run") : QStringLiteral("starting"),
                               paths::join(repo.root, m_request.relPath))
                          .arg(repo.freezeAge)
                          .arg(m_request.force ? QStringLiteral(", forced") : QString()));
    ScanOptions so;
    so.root = repo.root;
    so.subPath = m_request.relPath;
    auto planner = m_planner;
    m_feed = std::make_shared<PlanFeed>();
    m_feed->notify = [this] { QMetaObject::invokeMethod(this, &FreezeJob::drainFeed, Qt::QueuedConnection); };
    auto feed = m_feed;
    const size_t chunk = size_t(std::max(1, m_request.planChunkCandidates));
    m_scanFuture = LocalScanner::start(so, [planner, feed, chunk](std::vector<LocalEntry> &&batch) {
        if (feed->isStopped())
            return;
        planner->addLocal(std::move(batch));
        const bool full = planner->candidates().size() >= chunk;
        if (!full && planner->keptListed() < chunk)
            return;
        PlanChunk c;
        c.kept = planner->takeKept();
        if (!full) {
            feed->push(std::move(c)); // waits while the previous chunk is still waiting
            return;
        }
        // A batch may bring more than a chunk: pieces of `chunk` candidates, each with its share
        // of the files scanned; the rest stays for the next chunk.
        qint64 files = 0;
        std::vector<LocalEntry> all = planner->takeCandidates(&files);
        const size_t n = all.size();
        size_t from = 0;
        for (; n - from >= chunk; from += chunk) {
            c.candidates.assign(std::make_move_iterator(all.begin() + qsizetype(from)),
                                std::make_move_iterator(all.begin() + qsizetype(from + chunk)));
            c.files = files * qint64(chunk) / qint64(n);
            if (!feed->push(std::move(c))) // waits while the previous chunk is being checked
                return;
            c = PlanChunk();
        }
        if (from < n) {
            all.erase(all.begin(), all.begin() + qsizetype(from));
            planner->putBack(std::move(all), files - files * qint64(from) / qint64(n));
        }
    });
    m_scanWatcher.setFuture(m_scanFuture);
}

void FreezeJob::cancel()
{
    if (!m_running)
        return;
    m_cancelled = true;
    if (m_feed)
        m_feed->stop();
    m_scanFuture.cancel();
    m_hashFuture.cancel();
    if (m_lister)
        m_lister->cancel();
    // Scanning and hashing end through their watchers; a running rclone through statFinished;
    // executing stops at the next file.
}

void FreezeJob::onScanDone()
{
    if (!m_running)
        return;
    if (m_cancelled || m_scanFuture.isCanceled() || m_scanFuture.resultCount() == 0) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("freeze cancelled while scanning; nothing was frozen")));
        return;
    }
    const ScanSummary s = m_scanFuture.result();
    m_scanFuture = QFuture<ScanSummary>();
    const QString where = paths::join(m_request.repo.root, m_request.relPath);
    if (s.rootMissing) {
        fail(Error(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(where)));
        return;
    }
    if (!s.fatal.isEmpty()) {
        fail(Error(s.throughSymlink ? ErrorCode::InvalidInput : ErrorCode::Io, s.fatal));
        return;
    }
    for (const ScanError &e : s.errors) {
        Q_EMIT logMessage(QStringLiteral("warning"),
                          QStringLiteral("%1: %2 (left alone)")
                              .arg(paths::join(m_request.repo.root, e.relPath), e.message));
    }
    for (const QString &m : s.otherFilesystems) {
        Q_EMIT logMessage(
            QStringLiteral("info"),
            QStringLiteral("%1 is another filesystem: not entered").arg(paths::join(m_request.repo.root, m)));
    }
    m_outcome.scanErrors = s.errors;
    m_outcome.otherFilesystems = s.otherFilesystems;
    m_outcome.scanned = s.files;
    m_scanFiles = s.files;
    m_scanDirectories = s.directories;
    Q_EMIT logMessage(QStringLiteral("info"),
                      QStringLiteral("scanned %1 files in %2 directories: %3 candidates")
                          .arg(s.files)
                          .arg(s.directories)
                          .arg(m_planner->candidatesSeen()));
    // The rest of the candidates is the last chunk; when no chunk went before it, it holds every
    // candidate and the whole subtree may be listed at once.
    PlanChunk last;
    last.kept = m_planner->takeKept();
    last.candidates = m_planner->takeCandidates(&last.files);
    last.whole = !m_feed->anyCandidatesPushed();
    m_feed->append(std::move(last));
    m_scanDone = true;
    m_phase = Phase::PlanningRemote;
    drainFeed();
}

// Takes the chunks the scan handed over, one remote check at a time; once the scan is over and
// every chunk checked, the plan is complete.
void FreezeJob::drainFeed()
{
    // A check may complete inside checkChunk() (the local backend's lookups can be answered
    // before the job is back in its event loop) and call back in here: the outer loop carries on,
    // and the plan is finished once, by whichever call sees the end.
    if (m_draining)
        return;
    const QScopedValueRollback<bool> draining(m_draining, true);
    const auto planning = [this] {
        return m_running && (m_phase == Phase::Scanning || m_phase == Phase::PlanningRemote) && m_feed;
    };
    if (!planning())
        return;
    while (!m_checking) {
        std::optional<PlanChunk> c = m_feed->take();
        if (!c)
            break;
        listKept(std::move(c->kept));
        if (!c->candidates.empty())
            checkChunk(std::move(c->candidates), c->files, c->whole);
        if (!planning()) // failed (or cancelled) during the check
            return;
    }
    // Once the scan is over nothing more arrives: the feed is empty for good.
    if (!m_checking && m_scanDone)
        onPlanned();
}

void FreezeJob::listKept(std::vector<KeptFile> &&kept)
{
    const qsizetype cap = m_request.planListCap;
    for (KeptFile &k : kept) {
        Q_EMIT fileKept(k.relPath, k.reason, k.detail);
        if (cap < 0 || qsizetype(m_verdicts.kept.size()) < cap)
            m_verdicts.kept.push_back(std::move(k));
    }
}

void FreezeJob::failPlanning(const Error &error)
{
    if (m_cancelled) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("freeze cancelled while checking the remote; nothing was frozen")));
        return;
    }
    fail(Error(error.code,
               QStringLiteral("cannot check the freeze candidates on the remote: %1. Nothing was frozen.")
                   .arg(error.message)));
}

void FreezeJob::checkChunk(std::vector<LocalEntry> &&candidates, qint64 files, bool whole)
{
    m_checking = true;
    m_checkCandidates = std::move(candidates);
    m_remote.clear();
    m_candidatePaths.clear();
    m_candidateSymlinks.clear();
    m_statOffset = 0;
    m_candidatePaths.reserve(qsizetype(m_checkCandidates.size()));
    for (const LocalEntry &e : m_checkCandidates) {
        m_candidatePaths.append(e.relPath);
        if (e.isSymlink)
            m_candidateSymlinks.insert(e.relPath);
    }
    // Few candidates: one lookup each (cost ~ candidates). Many: listing is cheaper (cost ~
    // remote files, far less per entry than a lookup): one streaming listing of the subtree
    // when this chunk is every candidate, else a listing of the directories holding them. Never
    // with hashes: a listing with --hash would hash every remote file, not only the candidates.
    const qsizetype n = m_candidatePaths.size();
    const bool many = m_request.repo.verify != VerifyMode::Checksum && n >= m_request.listingMinCandidates &&
                      double(n) >= m_request.listingMinFraction * double(files);
    if (many && whole && m_scanDirectories > 0) {
        Q_EMIT logMessage(QStringLiteral("info"),
                          QStringLiteral("checking the candidates with one listing of the remote"));
        auto *lister = new RemoteLister(m_request.rclone, this);
        m_lister = lister;
        connect(lister, &RemoteLister::statFinished, this,
                [this, lister](const Result<QHash<QString, RemoteEntry>> &r) {
                    lister->deleteLater();
                    if (m_lister == lister)
                        m_lister = nullptr;
                    if (!m_running)
                        return;
                    if (m_cancelled || !r) {
                        failPlanning(r ? Error() : r.error());
                        return;
                    }
                    m_remote = r.value();
                    onChunkChecked();
                });
        QSet<QString> wanted(m_candidatePaths.cbegin(), m_candidatePaths.cend());
        m_candidatePaths = QStringList(); // the set holds the same strings
        lister->statByListing(m_request.repo, m_request.relPath, std::move(wanted));
        return;
    }
    if (many && !whole && m_request.repo.backend != Backend::Local) {
        Q_EMIT logMessage(QStringLiteral("info"),
                          QStringLiteral("checking %1 candidates with listings of the remote directories "
                                         "holding them")
                              .arg(n));
        statPaths(m_candidatePaths, RemoteLister::Lookup::ListDirectories,
                  [this](const Result<QHash<QString, RemoteEntry>> &r) {
                      if (m_cancelled || !r) {
                          failPlanning(r ? Error() : r.error());
                          return;
                      }
                      m_remote = r.value();
                      onChunkChecked();
                  });
        return;
    }
    statNextPlanningChunk();
}

void FreezeJob::statPaths(const QStringList &paths, RemoteLister::Lookup lookup,
                          std::function<void(const Result<QHash<QString, RemoteEntry>> &)> done)
{
    auto *lister = new RemoteLister(m_request.rclone, this);
    m_lister = lister;
    connect(lister, &RemoteLister::statFinished, this,
            [this, lister, done = std::move(done)](const Result<QHash<QString, RemoteEntry>> &r) {
                lister->deleteLater();
                if (m_lister == lister)
                    m_lister = nullptr;
                if (!m_running)
                    return;
                done(r);
            });
    RemoteLister::StatOptions o;
    o.withHash = m_request.repo.verify == VerifyMode::Checksum;
    o.lookup = lookup;
    QSet<QString> links;
    for (const QString &p : paths)
        if (m_candidateSymlinks.contains(p))
            links.insert(p);
    o.localSymlinks = std::move(links);
    lister->stat(m_request.repo, paths, o);
}

void FreezeJob::statNextPlanningChunk()
{
    const QStringList chunk = m_candidatePaths.mid(m_statOffset, m_request.chunkSize);
    statPaths(chunk, m_request.lookup,
              [this, n = chunk.size()](const Result<QHash<QString, RemoteEntry>> &r) {
                  if (m_cancelled || !r) {
                      failPlanning(r ? Error() : r.error());
                      return;
                  }
                  for (auto it = r.value().constBegin(); it != r.value().constEnd(); ++it)
                      m_remote.insert(it.key(), it.value());
                  m_statOffset += n;
                  if (m_statOffset < m_candidatePaths.size())
                      statNextPlanningChunk();
                  else
                      onChunkChecked();
              });
}

// The chunk's verdicts join the plan; the chunk and its remote answers are released.
void FreezeJob::onChunkChecked()
{
    m_candidatePaths = QStringList();
    m_candidateSymlinks.clear();
    const size_t keptBefore = m_verdicts.kept.size();
    const size_t plannedBefore = m_verdicts.toFreeze.size();
    if (m_verdicts.histogram.empty())
        m_verdicts.histogram = FreezePlanner::emptyHistogram();
    // verify() only reads the planner's policy: safe while the scan thread feeds it.
    m_planner->verify(std::move(m_checkCandidates), m_remote, m_verdicts);
    m_checkCandidates = std::vector<LocalEntry>();
    m_remote = QHash<QString, RemoteEntry>();
    m_feed->idle();
    const qsizetype cap = m_request.planListCap;
    for (size_t i = keptBefore; i < m_verdicts.kept.size(); ++i)
        Q_EMIT fileKept(m_verdicts.kept[i].relPath, m_verdicts.kept[i].reason, m_verdicts.kept[i].detail);
    if (cap >= 0 && qsizetype(m_verdicts.kept.size()) > cap)
        m_verdicts.kept.resize(size_t(cap));
    if (!m_request.watermark) {
        // A watermark freeze picks its files once every candidate is verified (onPlanned).
        m_plannedFiles += qint64(m_verdicts.toFreeze.size() - plannedBefore);
        for (size_t i = plannedBefore; i < m_verdicts.toFreeze.size(); ++i)
            Q_EMIT filePlanned(m_verdicts.toFreeze[i]);
        if (m_request.dryRun && cap >= 0 && qsizetype(m_verdicts.toFreeze.size()) > cap)
            m_verdicts.toFreeze.resize(size_t(cap));
    }
    m_checking = false;
    drainFeed();
}

void FreezeJob::onPlanned()
{
    if (!m_planner) // planned already
        return;
    m_candidatePaths.clear();
    m_candidateSymlinks.clear();
    if (m_verdicts.histogram.empty())
        m_verdicts.histogram = FreezePlanner::emptyHistogram();
    const size_t keptListed = m_verdicts.kept.size(); // announced already
    FreezePlan plan = m_planner->finish(std::move(m_verdicts));
    m_verdicts = FreezePlan();
    m_planner.reset();
    m_remote.clear();
    for (size_t i = keptListed; i < plan.kept.size(); ++i) // a watermark's unpicked files
        Q_EMIT fileKept(plan.kept[i].relPath, plan.kept[i].reason, plan.kept[i].detail);
    const qsizetype cap = m_request.planListCap;
    if (cap >= 0 && qsizetype(plan.kept.size()) > cap)
        plan.kept.resize(size_t(cap));
    if (m_request.watermark) {
        m_plannedFiles = qint64(plan.toFreeze.size());
        for (const FreezeCandidate &c : plan.toFreeze)
            Q_EMIT filePlanned(c);
        if (m_request.dryRun && cap >= 0 && qsizetype(plan.toFreeze.size()) > cap)
            plan.toFreeze.resize(size_t(cap));
    }
    m_outcome.keptByReason = plan.keptCounts;
    m_outcome.keptFiles = plan.keptTotal();
    m_plannedBytes = plan.bytesToFreeze;
    Q_EMIT logMessage(QStringLiteral("info"), QStringLiteral("plan: %1 files (%2 bytes) to freeze, %3 kept")
                                                  .arg(m_plannedFiles)
                                                  .arg(m_plannedBytes)
                                                  .arg(m_outcome.keptFiles));
    m_outcome.plan = std::move(plan);
    if (m_request.dryRun) {
        m_outcome.files = m_plannedFiles;
        m_outcome.bytes = m_plannedBytes;
        succeed();
        return;
    }

    FreezerOptions fo;
    fo.root = m_request.repo.root;
    fo.taskId = m_request.taskId;
    fo.remoteBase = RcloneRemote(m_request.repo).describeForLog();
    const FreezePolicy p = policy();
    fo.coldBeforeNs = p.coldBeforeNs();
    fo.force = p.force && !p.watermark;
    fo.isExcluded = p.isExcluded;
    fo.isPinned = m_request.isPinnedNow;
    fo.record = m_request.record;
    fo.retract = m_request.retract;
    fo.checksum = p.checksum;
    fo.useNoAtime = m_request.useNoAtime;
    m_freezer = std::make_unique<Freezer>(fo);
    if (const Status st = m_freezer->open(); !st) {
        fail(st.error());
        return;
    }
    m_phase = Phase::Executing;
    m_chunkStart = 0;
    emitProgress();
    startChunk();
}

void FreezeJob::startChunk()
{
    const auto &all = m_outcome.plan.toFreeze;
    if (m_chunkStart >= all.size()) {
        succeed();
        return;
    }
    if (m_cancelled) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("freeze cancelled after %1 files").arg(m_outcome.files)));
        return;
    }
    m_chunkEnd = std::min(all.size(), m_chunkStart + size_t(std::max(1, m_request.chunkSize)));
    QStringList paths;
    paths.reserve(qsizetype(m_chunkEnd - m_chunkStart));
    m_candidateSymlinks.clear();
    for (size_t i = m_chunkStart; i < m_chunkEnd; ++i) {
        paths.append(all[i].local.relPath);
        if (all[i].local.isSymlink)
            m_candidateSymlinks.insert(all[i].local.relPath);
    }
    statPaths(paths, m_request.lookup,
              [this](const Result<QHash<QString, RemoteEntry>> &r) { onChunkRemote(r); });
}

void FreezeJob::onChunkRemote(const Result<QHash<QString, RemoteEntry>> &remote)
{
    if (m_cancelled) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("freeze cancelled after %1 files").arg(m_outcome.files)));
        return;
    }
    if (!remote) {
        fail(
            Error(remote.error().code,
                  QStringLiteral("cannot check the remote again before freezing: %1. Nothing more was frozen "
                                 "(%2 files frozen before the failure).")
                      .arg(remote.error().message)
                      .arg(m_outcome.files)));
        return;
    }
    // The remote rules once more, on metadata fetched a moment ago.
    const FreezePolicy p = policy();
    m_chunk.clear();
    m_next = 0;
    for (size_t i = m_chunkStart; i < m_chunkEnd; ++i) {
        const LocalEntry &e = m_outcome.plan.toFreeze[i].local;
        const auto it = remote.value().constFind(e.relPath);
        const RemoteEntry *fresh = it == remote.value().constEnd() ? nullptr : &it.value();
        QString detail;
        if (const auto reason = remoteKeepReason(e, fresh, p, &detail)) {
            keep(KeptFile{e.relPath, e.size, *reason,
                          QStringLiteral("on the check right before freezing") +
                              (detail.isEmpty() ? QString() : u": " + detail)});
            ++m_doneFiles;
            continue;
        }
        m_chunk.push_back(FreezeCandidate{e, *fresh});
    }
    if (p.checksum && !m_chunk.empty()) {
        // Hashing reads whole files: off this thread, one chunk at a time.
        auto hashes = std::make_shared<std::vector<LocalHash>>(m_chunk.size());
        m_hashes = hashes;
        auto promise = std::make_shared<QPromise<void>>();
        m_hashFuture = promise->future();
        promise->start();
        std::vector<std::pair<LocalEntry, QString>> work;
        for (const FreezeCandidate &c : m_chunk)
            work.emplace_back(c.local, c.remote.hashType);
        const QString root = m_request.repo.root;
        const bool noAtime = m_request.useNoAtime;
        QThreadPool::globalInstance()->start([promise, hashes, work = std::move(work), root, noAtime]() {
            for (size_t i = 0; i < work.size() && !promise->isCanceled(); ++i)
                (*hashes)[i] = Freezer::hashLocal(root, work[i].first, work[i].second, noAtime);
            promise->finish();
        });
        m_hashWatcher.setFuture(m_hashFuture);
        return;
    }
    m_hashes.reset();
    executeSlice();
}

void FreezeJob::onChunkHashed()
{
    if (!m_running)
        return;
    if (m_cancelled || m_hashFuture.isCanceled()) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("freeze cancelled after %1 files").arg(m_outcome.files)));
        return;
    }
    executeSlice();
}

void FreezeJob::executeSlice()
{
    if (!m_running)
        return;
    QElapsedTimer slice;
    slice.start();
    while (m_next < m_chunk.size()) {
        if (m_cancelled) {
            fail(Error(ErrorCode::Cancelled,
                       QStringLiteral("freeze cancelled after %1 files").arg(m_outcome.files)));
            return;
        }
        const size_t i = m_next++;
        const FreezeStep step = m_freezer->freezeOne(m_chunk[i], m_hashes ? &(*m_hashes)[i] : nullptr);
        ++m_doneFiles;
        switch (step.kind) {
        case FreezeStep::Frozen:
            m_outcome.files += 1;
            m_outcome.bytes += step.journal.size;
            Q_EMIT fileFrozen(step.journal);
            break;
        case FreezeStep::Kept:
            keep(step.kept);
            break;
        case FreezeStep::Stop:
            fail(step.error);
            return;
        }
        if (slice.elapsed() >= kSliceMs && m_next < m_chunk.size()) {
            emitProgress();
            QTimer::singleShot(0, this, &FreezeJob::executeSlice);
            return;
        }
    }
    emitProgress();
    m_chunk.clear();
    m_hashes.reset();
    m_chunkStart = m_chunkEnd;
    startChunk();
}

void FreezeJob::keep(const KeptFile &k)
{
    m_outcome.keptByReason[k.reason] += 1;
    m_outcome.keptFiles += 1;
    if (m_request.planListCap < 0 || qsizetype(m_outcome.plan.kept.size()) < m_request.planListCap)
        m_outcome.plan.kept.push_back(k);
    Q_EMIT fileKept(k.relPath, k.reason, k.detail);
}

void FreezeJob::emitProgress()
{
    TaskProgress p;
    p.files = m_doneFiles;
    p.totalFiles = m_plannedFiles;
    p.bytes = m_outcome.bytes;
    p.totalBytes = m_plannedBytes;
    Q_EMIT progress(p);
}

void FreezeJob::fail(const Error &error)
{
    if (!m_running)
        return;
    m_running = false;
    m_phase = Phase::Done;
    if (m_feed)
        m_feed->stop();
    m_scanFuture.cancel();
    m_hashFuture.cancel();
    if (m_lister)
        m_lister->cancel();
    m_freezer.reset();
    Q_EMIT logMessage(QStringLiteral("error"), error.message);
    Q_EMIT finished(error);
}

void FreezeJob::succeed()
{
    if (!m_running)
        return;
    m_running = false;
    m_phase = Phase::Done;
    m_freezer.reset();
    if (!m_request.dryRun) {
        // Executed plans keep only what was kept; the frozen files are in the journal.
        m_outcome.plan.toFreeze.clear();
        m_outcome.plan.toFreeze.shrink_to_fit();
    }
    Q_EMIT logMessage(QStringLiteral("info"),
                      QStringLiteral("%1 %2 files (%3 bytes), kept %4")
                          .arg(m_request.dryRun ? QStringLiteral("would freeze") : QStringLiteral("froze"))
                          .arg(m_outcome.files)
                          .arg(m_outcome.bytes)
                          .arg(m_outcome.keptFiles));
    Q_EMIT finished(m_outcome);
}

} // namespace baricadr
