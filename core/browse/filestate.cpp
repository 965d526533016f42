#include "browse/filestate.h"

#include <QDateTime>
#include <QFile>

#include <fnmatch.h>

namespace baricadr {

QString toString(FileState state)
{
    switch (state) {
    case FileState::Hot:
        return QStringLiteral("hot");
    case FileState::Cold:
        return QStringLiteral("cold");
    case FileState::LocalOnly:
        return QStringLiteral("local_only");
    case FileState::Modified:
        return QStringLiteral("modified");
    case FileState::RemoteOnly:
        return QStringLiteral("remote_only");
    case FileState::Excluded:
        return QStringLiteral("excluded");
    }
    return QStringLiteral("unknown");
}

std::optional<FileState> fileStateFromString(const QString &name)
{
    for (FileState s : kAllFileStates) {
        if (toString(s) == name)
            return s;
    }
    return std::nullopt;
}

QStringList BrowsePolicy::parseExclude(const QString &value)
{
    QStringList out;
    const QStringList parts = value.split(u',', Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        const QString t = p.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

bool isExcluded(const BrowsePolicy &policy, const QString &relPath)
{
    if (policy.exclude.isEmpty())
        return false;
    const QByteArray full =
        QFile::encodeName(relPath.isEmpty() ? policy.repoRoot : policy.repoRoot + u'/' + relPath);
    for (const QString &glob : policy.exclude) {
        // No FNM_PATHNAME: like Python's fnmatch, '*' matches across '/'.
        if (::fnmatch(QFile::encodeName(glob).constData(), full.constData(), 0) == 0)
            return true;
    }
    return false;
}

int ageDays(qint64 atimeNs, qint64 nowNs)
{
    constexpr qint64 kDayNs = 86'400'000'000'000LL;
    if (nowNs <= atimeNs)
        return 0;
    return int((nowNs - atimeNs) / kDayNs);
}

FileState classify(const LocalEntry *local, const RemoteEntry *remote, const BrowsePolicy &policy)
{
    const QString &rel = local ? local->relPath : remote->relPath;
    if (isExcluded(policy, rel))
        return FileState::Excluded;
    if (!local)
        return FileState::RemoteOnly;
    if (!remote)
        return FileState::LocalOnly;
    if (remote->size >= 0 && remote->size != local->size)
        return FileState::Modified;
    if (local->mtimeNs > remote->mtimeNs + policy.mtimeToleranceNs)
        return FileState::Modified;
    const qint64 now = policy.nowNs ? policy.nowNs : QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    constexpr qint64 kDayNs = 86'400'000'000'000LL;
    // Same rule as the planner: last access strictly before now - freeze_age.
    return local->atimeNs < now - qint64(policy.freezeAgeDays) * kDayNs ? FileState::Cold : FileState::Hot;
}

} // namespace baricadr
