#include "tasks/pathlocks.h"

#include <algorithm>

namespace baricadr {

namespace {

// "/a/b/c" -> "/a/b" -> "/a" -> "/" -> empty.
QString parentOf(const QString &path)
{
    if (path == QLatin1String("/"))
        return QString();
    const qsizetype slash = path.lastIndexOf(u'/');
    if (slash <= 0)
        return QStringLiteral("/");
    return path.left(slash);
}

} // namespace

template<typename F> void PathLocks::forEachAtOrAbove(const QString &path, F &&f) const
{
    for (QString p = path; !p.isEmpty(); p = parentOf(p)) {
        const auto it = m_byPath.find(p);
        if (it == m_byPath.end())
            continue;
        for (const quint64 seq : it->second)
            f(seq);
    }
}

template<typename F> void PathLocks::forEachBelow(const QString &path, F &&f) const
{
    const QString prefix = path == QLatin1String("/") ? path : path + u'/';
    for (auto it = m_byPath.lower_bound(prefix); it != m_byPath.end() && it->first.startsWith(prefix); ++it) {
        if (it->first == path)
            continue;
        for (const quint64 seq : it->second)
            f(seq);
    }
}

std::optional<QString> PathLocks::findCovering(TaskType type, const QString &path,
                                               const QString &dedupKey) const
{
    std::optional<quint64> best;
    forEachAtOrAbove(path, [&](quint64 seq) {
        const Request &r = m_nodes.at(seq).request;
        if (r.dedupable && r.type == type && r.dedupKey == dedupKey && (!best || seq < *best))
            best = seq;
    });
    if (!best)
        return std::nullopt;
    return m_nodes.at(*best).request.id;
}

int PathLocks::add(const Request &request)
{
    const quint64 seq = m_nextSeq++;
    Node node;
    node.request = request;

    auto block = [&](quint64 earlier) {
        ++node.blockers;
        m_nodes.at(earlier).dependents.push_back(seq);
    };
    forEachAtOrAbove(request.path, block);
    forEachBelow(request.path, block);

    const int blockers = node.blockers;
    m_nodes.emplace(seq, std::move(node));
    m_seqById.insert(request.id, seq);
    m_byPath[request.path].push_back(seq);
    if (blockers == 0)
        m_ready.insert(seq);
    return blockers;
}

QString PathLocks::takeNextReady()
{
    if (m_ready.empty())
        return QString();
    const quint64 seq = *m_ready.begin();
    m_ready.erase(m_ready.begin());
    Node &node = m_nodes.at(seq);
    node.running = true;
    return node.request.id;
}

QStringList PathLocks::finish(const QString &id)
{
    QStringList released;
    const auto idIt = m_seqById.constFind(id);
    if (idIt == m_seqById.constEnd())
        return released;
    const quint64 seq = *idIt;
    m_seqById.erase(idIt);
    m_ready.erase(seq);

    auto nodeIt = m_nodes.find(seq);
    const Node node = std::move(nodeIt->second);
    m_nodes.erase(nodeIt);

    auto pathIt = m_byPath.find(node.request.path);
    auto &seqs = pathIt->second;
    seqs.erase(std::remove(seqs.begin(), seqs.end(), seq), seqs.end());
    if (seqs.empty())
        m_byPath.erase(pathIt);

    std::vector<quint64> freed;
    for (const quint64 dep : node.dependents) {
        auto depIt = m_nodes.find(dep);
        if (depIt == m_nodes.end())
            continue; // finished (e.g. cancelled while waiting) before this one
        if (--depIt->second.blockers == 0) {
            m_ready.insert(dep);
            freed.push_back(dep);
        }
    }
    std::sort(freed.begin(), freed.end());
    for (const quint64 dep : freed)
        released.append(m_nodes.at(dep).request.id);
    return released;
}

void PathLocks::stopDeduplicating(const QString &id)
{
    const auto it = m_seqById.constFind(id);
    if (it != m_seqById.constEnd())
        m_nodes.at(*it).request.dedupable = false;
}

bool PathLocks::isRunning(const QString &id) const
{
    const auto it = m_seqById.constFind(id);
    return it != m_seqById.constEnd() && m_nodes.at(*it).running;
}

int PathLocks::blockerCount(const QString &id) const
{
    const auto it = m_seqById.constFind(id);
    return it == m_seqById.constEnd() ? -1 : m_nodes.at(*it).blockers;
}

QStringList PathLocks::blockersOf(const QString &id) const
{
    QStringList out;
    const auto it = m_seqById.constFind(id);
    if (it == m_seqById.constEnd())
        return out;
    const quint64 seq = *it;
    std::vector<quint64> earlier;
    auto collect = [&](quint64 other) {
        if (other < seq)
            earlier.push_back(other);
    };
    const QString &path = m_nodes.at(seq).request.path;
    forEachAtOrAbove(path, collect);
    forEachBelow(path, collect);
    std::sort(earlier.begin(), earlier.end());
    for (const quint64 other : earlier)
        out.append(m_nodes.at(other).request.id);
    return out;
}

} // namespace baricadr
