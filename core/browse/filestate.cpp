#include "browse/filestate.h"

#include "freeze/freezeplanner.h"
#include "repo/exclude.h"
#include "repo/repoconfig.h"

#include <QDateTime>

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
    return splitExcludeList(value);
}

void BrowsePolicy::compile()
{
    auto repo = std::make_shared<RepoConfig>();
    repo->root = repoRoot;
    repo->exclude = exclude;
    excludeRepo = std::move(repo);
}

bool isExcluded(const BrowsePolicy &policy, const QString &relPath)
{
    if (policy.exclude.isEmpty())
        return false;
    const QString full = relPath.isEmpty() ? policy.repoRoot : policy.repoRoot + u'/' + relPath;
    if (policy.excludeRepo)
        return isExcluded(*policy.excludeRepo, full);
    RepoConfig repo;
    repo.root = policy.repoRoot;
    repo.exclude = policy.exclude;
    return isExcluded(repo, full);
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
    FreezePolicy fp;
    fp.mtimeToleranceNs = policy.mtimeToleranceNs;
    if (const auto reason = remoteKeepReason(*local, remote, fp))
        return *reason == KeepReason::NotOnRemote ? FileState::LocalOnly : FileState::Modified;
    const qint64 now = policy.nowNs ? policy.nowNs : QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    // Same rule as the planner: last access strictly before now - freeze_age.
    return local->atimeNs < now - qint64(policy.freezeAgeDays) * kNsPerDay ? FileState::Cold : FileState::Hot;
}

} // namespace baricadr
