#include "repo/reporegistry.h"

#include "config/reposloader.h"
#include "util/paths.h"

namespace baricadr {

Result<RepoRegistry> RepoRegistry::load(const QString &reposFile)
{
    auto repos = loadReposFile(reposFile);
    if (!repos)
        return repos.error();
    return fromRepos(std::move(repos).value());
}

RepoRegistry RepoRegistry::fromRepos(QList<RepoConfig> repos)
{
    RepoRegistry r;
    r.m_repos = std::move(repos);
    return r;
}

const RepoConfig *RepoRegistry::find(const QString &normalisedAbsPath) const
{
    // Repos never nest, so at most one contains the path; a linear scan over a handful of repos
    // is faster than any index.
    for (const RepoConfig &repo : m_repos) {
        if (paths::contains(repo.root, normalisedAbsPath))
            return &repo;
    }
    return nullptr;
}

Result<const RepoConfig *> RepoRegistry::resolve(const QString &userPath) const
{
    const auto norm = paths::normalize(userPath);
    if (!norm)
        return Error(ErrorCode::InvalidInput, norm.error().message);
    if (const RepoConfig *repo = find(*norm))
        return repo;
    return Error(ErrorCode::InvalidInput,
                 QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(*norm));
}

} // namespace baricadr
