#pragma once

#include "freeze/freezeplan.h"
#include "scan/fileentry.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace baricadr {

constexpr qint64 kNsPerSecond = 1'000'000'000LL;
constexpr qint64 kNsPerDay = 86'400LL * kNsPerSecond;

// A watermark freeze: free at least `bytesToFree`, oldest last access first, never touching a
// file read less than `minAgeDays` ago. Replaces the freeze_age rule while set.
struct WatermarkPolicy
{
    qint64 bytesToFree = 0;
    int minAgeDays = 7;
};

// Everything the planner needs to decide, as plain data: no I/O, no clock.
struct FreezePolicy
{
    qint64 nowNs = 0;        // "now", nanoseconds since the epoch
    int freezeAgeDays = 180; // a file is cold when its last access is older than this
    bool force = false;      // skips the last-access rule only; never a remote rule, never a pin
    // Repo-relative path → excluded by the repo's globs. Unset = nothing excluded.
    std::function<bool(const QString &relPath)> isExcluded;
    // Repo-relative pinned paths (files or directories), matched by whole components:
    // "a" covers "a" and "a/x", never "ab". "" or "/" pins the whole repo.
    QStringList pins;
    // How much older the remote mtime may be than the local one and still count as the same
    // file. 1 s by default: SFTP (rclone's sftp backend, OpenSSH setstat) keeps mtimes to the
    // second, so a faithful backup of a file modified at 12.7 s reads back as 12 s. Local and
    // S3 keep nanoseconds and could use 0; the 1 s default is safe for all (a file modified less
    // than a second after its backup still differs in size in practice, and is then re-checked).
    qint64 mtimeToleranceNs = kNsPerSecond;
    // verify: checksum. The planner requires a remote hash; the freezer compares it with the
    // local content right before the unlink (the plan itself never reads file contents).
    bool checksum = false;
    std::optional<WatermarkPolicy> watermark;
    // When false, recently_accessed files (usually the bulk of a repo) are only counted in
    // FreezePlan::keptCounts, not listed in FreezePlan::kept, to keep memory small on big repos.
    bool listRecentlyAccessed = true;

    // The last-access threshold in force (freeze_age, or the watermark's min age).
    int ageDays() const { return watermark ? watermark->minAgeDays : freezeAgeDays; }
    qint64 coldBeforeNs() const { return nowNs - qint64(ageDays()) * kNsPerDay; }
};

// Component-wise pin matching with O(depth) hashed lookups.
class PinSet
{
public:
    PinSet() = default;
    explicit PinSet(const QStringList &pins);
    bool covers(const QString &relPath) const;
    bool isEmpty() const { return m_pins.isEmpty() && !m_all; }

private:
    QSet<QString> m_pins;
    bool m_all = false;
};

// The local rules only (type, excluded, pinned, last access): the reason to keep `e`, or
// nullopt when `e` is a candidate whose fate depends on the remote.
std::optional<KeepReason> localKeepReason(const LocalEntry &e, const FreezePolicy &policy,
                                          const PinSet &pins);

// The remote rules for one candidate (presence, type, size, mtime, hash presence): the reason
// to keep it, or nullopt when the remote holds the same file. `detail` gets plain words.
std::optional<KeepReason> remoteKeepReason(const LocalEntry &e, const RemoteEntry *remote,
                                           const FreezePolicy &policy, QString *detail = nullptr);

// Files that pass the local rules: the only ones the remote needs to be asked about.
std::vector<LocalEntry> selectCandidates(const std::vector<LocalEntry> &local, const FreezePolicy &policy);

// The whole plan: a pure function, O(n) hashed lookups (plus a sort of the verified files for
// a watermark freeze). Every local entry ends either in toFreeze or kept (with a reason).
// `remote` is keyed by repo-relative path (symlinks under the link's name, isSymlink set).
FreezePlan planFreeze(const std::vector<LocalEntry> &local, const QHash<QString, RemoteEntry> &remote,
                      const FreezePolicy &policy);

// The same plan built incrementally, for repos too big to hold every LocalEntry: feed scan
// batches (only candidates are kept in memory, the rest is counted and histogrammed), ask the
// remote about candidates(), then finish(). planFreeze() is this in one call.
// In chunks (bounded memory): takeCandidates() hands over what was gathered so far, verify()
// applies the remote rules to one such chunk, finish(verdicts) merges them. addLocal() and the
// take*() calls may run on one thread (the scan's) while verify() runs on another: verify()
// only reads the policy.
class FreezePlanner
{
public:
    explicit FreezePlanner(FreezePolicy policy);

    void addLocal(std::vector<LocalEntry> &&batch);
    void addLocal(const LocalEntry &entry);
    const std::vector<LocalEntry> &candidates() const { return m_candidates; }
    QStringList candidatePaths() const;

    // The candidates gathered since the last call; `files` gets the number of local entries
    // planned since then (the candidates' share of them chooses how to ask the remote).
    std::vector<LocalEntry> takeCandidates(qint64 *files = nullptr);
    // Gives back (some of) what takeCandidates() took, with the files they stand for: they come
    // first in the next take.
    void putBack(std::vector<LocalEntry> &&candidates, qint64 files);
    // The kept files listed since the last call (their counts stay in the plan).
    std::vector<KeptFile> takeKept();
    size_t keptListed() const { return m_plan.kept.size(); }
    qint64 candidatesSeen() const { return m_candidatesSeen; }

    // The remote rules for one chunk of candidates, appended to `into` (toFreeze, kept and
    // their counts, freezable bytes; for a watermark the verified files wait in toFreeze for
    // finish() to pick). `into.histogram` must be emptyHistogram()-shaped.
    void verify(std::vector<LocalEntry> &&candidates, const QHash<QString, RemoteEntry> &remote,
                FreezePlan &into) const;
    // The local part of the plan merged with the verdicts of every chunk; a watermark freeze
    // picks its files here (oldest last access first).
    FreezePlan finish(FreezePlan &&verdicts);
    // verify() of every candidate, then finish(). Consumes the candidates.
    FreezePlan finish(const QHash<QString, RemoteEntry> &remote);

    // Histogram bucket edges in days: 0–7, 7–30, 30–90, 90–180, 180–365, 365–730, 730+.
    static std::vector<AgeBucket> emptyHistogram();
    static int bucketIndex(qint64 ageNs);

private:
    void keep(FreezePlan &plan, const LocalEntry &e, KeepReason reason, QString detail = {}) const;

    FreezePolicy m_policy;
    PinSet m_pins;
    FreezePlan m_plan;
    std::vector<LocalEntry> m_candidates;
    qint64 m_filesSinceTake = 0;
    qint64 m_candidatesSeen = 0;
};

} // namespace baricadr
