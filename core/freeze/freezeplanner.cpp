#include "freeze/freezeplanner.h"

#include <algorithm>

namespace baricadr {

namespace {

QString trimSlashes(const QString &p)
{
    qsizetype b = 0;
    qsizetype e = p.size();
    while (b < e && p.at(b) == u'/')
        ++b;
    while (e > b && p.at(e - 1) == u'/')
        --e;
    return p.mid(b, e - b);
}

QString bytesText(qint64 n)
{
    return QString::number(n) + QStringLiteral(" B");
}

QString secondsText(qint64 ns)
{
    return QString::number(double(ns) / double(kNsPerSecond), 'f', 3) + QStringLiteral(" s");
}

} // namespace

PinSet::PinSet(const QStringList &pins)
{
    for (const QString &p : pins) {
        const QString t = trimSlashes(p);
        if (t.isEmpty())
            m_all = true;
        else
            m_pins.insert(t);
    }
}

bool PinSet::covers(const QString &relPath) const
{
    if (m_all)
        return true;
    if (m_pins.isEmpty())
        return false;
    // Every ancestor prefix that ends on a component boundary, then the path itself.
    for (qsizetype i = relPath.indexOf(u'/'); i >= 0; i = relPath.indexOf(u'/', i + 1)) {
        if (m_pins.contains(relPath.left(i)))
            return true;
    }
    return m_pins.contains(relPath);
}

std::optional<KeepReason> localKeepReason(const LocalEntry &e, const FreezePolicy &policy, const PinSet &pins)
{
    if (e.isSpecial)
        return KeepReason::NotRegularFile;
    if (policy.isExcluded && policy.isExcluded(e.relPath))
        return KeepReason::Excluded;
    if (pins.covers(e.relPath))
        return KeepReason::Pinned;
    // A watermark freeze keeps its minimum age even when forced: force lifts freeze_age only.
    if ((!policy.force || policy.watermark) && e.atimeNs >= policy.coldBeforeNs())
        return KeepReason::RecentlyAccessed;
    return std::nullopt;
}

std::optional<KeepReason> remoteKeepReason(const LocalEntry &e, const RemoteEntry *r,
                                           const FreezePolicy &policy, QString *detail)
{
    auto say = [detail](QString text) {
        if (detail)
            *detail = std::move(text);
    };
    if (!r || r->isDir) {
        say(r ? QStringLiteral("the remote holds a directory of that name") : QString());
        return KeepReason::NotOnRemote;
    }
    if (e.isSymlink != r->isSymlink) {
        say(e.isSymlink ? QStringLiteral("the remote holds a regular file, not the symlink (.rclonelink)")
                        : QStringLiteral("the remote holds a symlink, not the file"));
        return KeepReason::NotOnRemote;
    }
    if (r->size < 0) {
        say(QStringLiteral("the remote does not report a size"));
        return KeepReason::SizeMismatch;
    }
    if (r->size != e.size) {
        say(QStringLiteral("remote %1, local %2").arg(bytesText(r->size), bytesText(e.size)));
        return KeepReason::SizeMismatch;
    }
    if (r->mtimeNs + policy.mtimeToleranceNs < e.mtimeNs) {
        say(QStringLiteral("local mtime is %1 newer than the remote's (tolerance %2)")
                .arg(secondsText(e.mtimeNs - r->mtimeNs), secondsText(policy.mtimeToleranceNs)));
        return KeepReason::ModifiedLocally;
    }
    if (policy.checksum && r->hash.isEmpty()) {
        say(QStringLiteral("verify is checksum but the remote gave no hash"));
        return KeepReason::ChecksumUnavailable;
    }
    return std::nullopt;
}

std::vector<LocalEntry> selectCandidates(const std::vector<LocalEntry> &local, const FreezePolicy &policy)
{
    const PinSet pins(policy.pins);
    std::vector<LocalEntry> out;
    for (const LocalEntry &e : local) {
        if (!localKeepReason(e, policy, pins))
            out.push_back(e);
    }
    return out;
}

FreezePlan planFreeze(const std::vector<LocalEntry> &local, const QHash<QString, RemoteEntry> &remote,
                      const FreezePolicy &policy)
{
    FreezePlanner planner(policy);
    for (const LocalEntry &e : local)
        planner.addLocal(e);
    return planner.finish(remote);
}

FreezePlanner::FreezePlanner(FreezePolicy policy)
    : m_policy(std::move(policy))
    , m_pins(m_policy.pins)
{
    m_plan.histogram = emptyHistogram();
}

std::vector<AgeBucket> FreezePlanner::emptyHistogram()
{
    static const int edges[] = {0, 7, 30, 90, 180, 365, 730};
    std::vector<AgeBucket> h;
    const int n = int(std::size(edges));
    for (int i = 0; i < n; ++i) {
        AgeBucket b;
        b.minDays = edges[i];
        b.maxDays = i + 1 < n ? edges[i + 1] : -1;
        h.push_back(b);
    }
    return h;
}

int FreezePlanner::bucketIndex(qint64 ageNs)
{
    static const std::vector<AgeBucket> h = emptyHistogram();
    if (ageNs < 0)
        return 0;
    const qint64 days = ageNs / kNsPerDay;
    for (int i = int(h.size()) - 1; i > 0; --i) {
        if (days >= h[i].minDays)
            return i;
    }
    return 0;
}

void FreezePlanner::keep(FreezePlan &plan, const LocalEntry &e, KeepReason reason, QString detail) const
{
    plan.keptCounts[reason] += 1;
    plan.keptBytes[reason] += e.size;
    if (reason == KeepReason::RecentlyAccessed && !m_policy.listRecentlyAccessed)
        return;
    plan.kept.push_back(KeptFile{e.relPath, e.size, reason, std::move(detail)});
}

void FreezePlanner::addLocal(const LocalEntry &e)
{
    m_plan.localFiles += 1;
    m_plan.localBytes += e.size;
    m_filesSinceTake += 1;
    AgeBucket &bucket = m_plan.histogram[bucketIndex(m_policy.nowNs - e.atimeNs)];
    bucket.files += 1;
    bucket.bytes += e.size;
    if (const auto reason = localKeepReason(e, m_policy, m_pins))
        keep(m_plan, e, *reason);
    else {
        m_candidates.push_back(e);
        ++m_candidatesSeen;
    }
}

void FreezePlanner::addLocal(std::vector<LocalEntry> &&batch)
{
    for (LocalEntry &e : batch) {
        m_plan.localFiles += 1;
        m_plan.localBytes += e.size;
        m_filesSinceTake += 1;
        AgeBucket &bucket = m_plan.histogram[bucketIndex(m_policy.nowNs - e.atimeNs)];
        bucket.files += 1;
        bucket.bytes += e.size;
        if (const auto reason = localKeepReason(e, m_policy, m_pins))
            keep(m_plan, e, *reason);
        else {
            m_candidates.push_back(std::move(e));
            ++m_candidatesSeen;
        }
    }
    batch.clear();
}

QStringList FreezePlanner::candidatePaths() const
{
    QStringList out;
    out.reserve(qsizetype(m_candidates.size()));
    for (const LocalEntry &e : m_candidates)
        out.append(e.relPath);
    return out;
}

std::vector<LocalEntry> FreezePlanner::takeCandidates(qint64 *files)
{
    if (files)
        *files = m_filesSinceTake;
    m_filesSinceTake = 0;
    std::vector<LocalEntry> out;
    out.swap(m_candidates);
    return out;
}

void FreezePlanner::putBack(std::vector<LocalEntry> &&candidates, qint64 files)
{
    candidates.insert(candidates.end(), std::make_move_iterator(m_candidates.begin()),
                      std::make_move_iterator(m_candidates.end()));
    m_candidates = std::move(candidates);
    m_filesSinceTake += files;
}

std::vector<KeptFile> FreezePlanner::takeKept()
{
    std::vector<KeptFile> out;
    out.swap(m_plan.kept);
    return out;
}

void FreezePlanner::verify(std::vector<LocalEntry> &&candidates, const QHash<QString, RemoteEntry> &remote,
                           FreezePlan &into) const
{
    const bool watermark = m_policy.watermark.has_value();
    for (LocalEntry &e : candidates) {
        const auto it = remote.constFind(e.relPath);
        const RemoteEntry *r = it == remote.constEnd() ? nullptr : &it.value();
        QString detail;
        if (const auto reason = remoteKeepReason(e, r, m_policy, &detail)) {
            keep(into, e, *reason, std::move(detail));
            continue;
        }
        into.histogram[bucketIndex(m_policy.nowNs - e.atimeNs)].freezableBytes += e.size;
        if (!watermark)
            into.bytesToFreeze += e.size;
        into.toFreeze.push_back(FreezeCandidate{std::move(e), *r});
    }
    std::vector<LocalEntry>().swap(candidates);
}

FreezePlan FreezePlanner::finish(const QHash<QString, RemoteEntry> &remote)
{
    // Peak memory on big plans: verified files go straight into the plan, and the candidates
    // are released at once.
    FreezePlan verdicts;
    verdicts.histogram = emptyHistogram();
    verdicts.toFreeze.reserve(m_candidates.size());
    verify(takeCandidates(), remote, verdicts);
    verdicts.toFreeze.shrink_to_fit();
    return finish(std::move(verdicts));
}

FreezePlan FreezePlanner::finish(FreezePlan &&verdicts)
{
    FreezePlan plan = std::move(m_plan);
    m_plan = FreezePlan();
    m_plan.histogram = emptyHistogram();
    m_filesSinceTake = 0;

    plan.kept.insert(plan.kept.end(), std::make_move_iterator(verdicts.kept.begin()),
                     std::make_move_iterator(verdicts.kept.end()));
    for (const auto &[reason, n] : verdicts.keptCounts)
        plan.keptCounts[reason] += n;
    for (const auto &[reason, n] : verdicts.keptBytes)
        plan.keptBytes[reason] += n;
    for (size_t i = 0; i < plan.histogram.size() && i < verdicts.histogram.size(); ++i)
        plan.histogram[i].freezableBytes += verdicts.histogram[i].freezableBytes;

    if (!m_policy.watermark) {
        plan.toFreeze = std::move(verdicts.toFreeze);
        plan.bytesToFreeze = verdicts.bytesToFreeze;
        return plan;
    }
    // Oldest last access first; path as a tie-break so the plan is deterministic.
    std::vector<FreezeCandidate> verified = std::move(verdicts.toFreeze);
    std::sort(verified.begin(), verified.end(), [](const FreezeCandidate &a, const FreezeCandidate &b) {
        if (a.local.atimeNs != b.local.atimeNs)
            return a.local.atimeNs < b.local.atimeNs;
        return a.local.relPath < b.local.relPath;
    });
    qint64 freed = 0;
    for (FreezeCandidate &c : verified) {
        if (freed >= m_policy.watermark->bytesToFree) {
            keep(plan, c.local, KeepReason::WatermarkReached,
                 QStringLiteral("%1 already planned").arg(bytesText(freed)));
            continue;
        }
        freed += c.local.size;
        plan.bytesToFreeze += c.local.size;
        plan.toFreeze.push_back(std::move(c));
    }
    return plan;
}

} // namespace baricadr
