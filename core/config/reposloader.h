#pragma once

#include "repo/repoconfig.h"
#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace baricadr {

// What loading repos.yml may do besides parsing. The service uses the defaults; tools that only
// check a file (`baricadr check-config`, the GUI's preview, the fuzzer) turn the side effects off.
struct ReposLoadOptions
{
    bool createMissingDirs = true; // create a repo's local dir when missing (the original did)
    bool testAtime = true;  // freezable repos: check that reads update atime (unless disable_atime_test)
    bool checkFiles = true; // key_file, rclone_config, local backend path must exist
};

// Parses and validates a repos.yml (see docs/configuration.md). Every problem is reported, one
// per line, as "<file>:<line>: <repo>: <what is wrong>, got \"<value>\"" (secrets never shown);
// the error code is ErrorCode::Config. On success each RepoConfig has a canonical root.
Result<QList<RepoConfig>> loadReposFile(const QString &path, const ReposLoadOptions &options = {});

// The same from memory; `sourceName` is used in messages. Never crashes, whatever the bytes.
Result<QList<RepoConfig>> loadReposText(const QByteArray &yaml, const QString &sourceName,
                                        const ReposLoadOptions &options = {});

// The keys a repo may have in repos.yml, per backend and common (for docs and tests).
QStringList reposCommonKeys();
QStringList reposBackendKeys(Backend backend);
QStringList reposAllKeys(); // "backend", the common keys and every backend's keys, no duplicates

QString backendName(Backend backend);    // "sftp", "s3", "local", "rclone"
QString verifyModeName(VerifyMode mode); // "size", "checksum"

} // namespace baricadr
