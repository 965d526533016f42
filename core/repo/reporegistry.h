#pragma once

#include "repo/repoconfig.h"
#include "util/result.h"

#include <QList>
#include <QString>

namespace baricadr {

// The configured repositories, loaded and validated (no two overlap). A value type: cheap to copy
// (implicitly shared list), safe to read from any thread once built.
class RepoRegistry
{
public:
    RepoRegistry() = default;

    // Loads repos.yml with the service's options (create missing dirs, test atime).
    static Result<RepoRegistry> load(const QString &reposFile);
    // From repos already validated (tests, tools); the caller guarantees they do not overlap.
    static RepoRegistry fromRepos(QList<RepoConfig> repos);

    const QList<RepoConfig> &repos() const { return m_repos; }
    bool isEmpty() const { return m_repos.isEmpty(); }

    // The repo whose root is `normalisedAbsPath` or one of its ancestors, compared by whole
    // components ("/data/a" never matches "/data/ab"); nullptr when none. The pointer stays valid
    // as long as this registry (or a copy sharing its data) is neither modified nor destroyed.
    const RepoConfig *find(const QString &normalisedAbsPath) const;

    // Normalises a user's path (os.path.abspath semantics, no symlink resolution) and finds its
    // repo; otherwise ErrorCode::InvalidInput with the original's exact message:
    // Could not find baricadr repository for path "<normalised path>/"
    Result<const RepoConfig *> resolve(const QString &userPath) const;

private:
    QList<RepoConfig> m_repos;
};

} // namespace baricadr
