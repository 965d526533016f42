#pragma once

#include "scan/fileentry.h"

#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>

namespace baricadr {

struct RepoConfig;

// What a file is, from the point of view of a freeze. Core exposes meaning; front ends map it to
// icons, colours and words. Wire names (API, logs) are the snake_case words.
enum class FileState
{
    Hot,        // hot: local, read within freeze_age
    Cold,       // cold: local, not read for freeze_age days, same file on the remote -> freezable now
    LocalOnly,  // local_only: not on the remote -> NOT BACKED UP
    Modified,   // modified: local and remote differ (size, or local mtime newer than the remote's)
    RemoteOnly, // remote_only: frozen, or never pulled
    Excluded,   // excluded: matches an exclude glob of the repo (never frozen)
};

inline constexpr int kFileStateCount = 6;
inline constexpr std::array<FileState, kFileStateCount> kAllFileStates = {
    FileState::Hot,      FileState::Cold,       FileState::LocalOnly,
    FileState::Modified, FileState::RemoteOnly, FileState::Excluded,
};

QString toString(FileState state);
std::optional<FileState> fileStateFromString(const QString &name);

// The repo settings a classification needs (a subset of RepoConfig, also buildable from the
// public settings a remote service reports).
struct BrowsePolicy
{
    QString repoRoot;    // absolute, normalised: exclude globs match the full local path
    QStringList exclude; // fnmatch globs, as in repos.yml
    int freezeAgeDays = 180;
    qint64 nowNs = 0;                        // "now" for ages; 0 = the current time when the policy is used
    qint64 mtimeToleranceNs = 1'000'000'000; // SFTP keeps mtimes to the second

    // Parses the comma-separated `exclude:` value of repos.yml ("*.xml , *.tsv").
    static QStringList parseExclude(const QString &value);

    // root + exclude as a RepoConfig for the repo area's matcher (repo/exclude.h, which caches
    // the compiled globs); set by compile(), built per call otherwise.
    std::shared_ptr<const RepoConfig> excludeRepo;
    void compile();
};

// True when repoRoot/relPath matches one of the policy's globs (Python fnmatch semantics, like
// the original and the freeze planner: '*' also matches '/').
bool isExcluded(const BrowsePolicy &policy, const QString &relPath);

// Pure classification of one path, with the freeze planner's own rules (remoteKeepReason):
// excluded first; then absent locally -> remote_only; absent remotely (or a directory, or a
// symlink/file mismatch) -> local_only; remote size different or unknown, or local mtime newer
// than the remote's by more than the tolerance -> modified; otherwise last access older than
// freeze_age -> cold (exactly what a freeze would take, pins aside), else hot.
// Precondition: local or remote.
FileState classify(const LocalEntry *local, const RemoteEntry *remote, const BrowsePolicy &policy);

// Days since `atimeNs` relative to `nowNs` (floored, never negative).
int ageDays(qint64 atimeNs, qint64 nowNs);

} // namespace baricadr
