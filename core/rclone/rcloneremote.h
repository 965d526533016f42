#pragma once

#include "repo/repoconfig.h"

#include <QProcessEnvironment>
#include <QString>

namespace baricadr {

// How rclone reaches one repo's remote: the remote spec for command lines (no secrets in it)
// and the environment carrying the remote definition and its credentials.
//
// sftp, s3 and local remotes are defined entirely in the environment as the remote
// "baricadr_remote" (RCLONE_CONFIG_BARICADR_REMOTE_*; the sftp password obscured in-process),
// with RCLONE_CONFIG=/dev/null so rclone never reads or writes ~/.config/rclone. The `rclone`
// backend uses the repo's own remote string with RCLONE_CONFIG=<rclone_config>.
// The environment is built from scratch: only PATH, HOME, TMPDIR and LANG are inherited
// (variables such as AWS_CA_BUNDLE or RCLONE_* in the service's own environment would change
// what rclone does).
class RcloneRemote
{
public:
    static constexpr QStringView kRemoteName = u"baricadr_remote";

    explicit RcloneRemote(const RepoConfig &repo);

    // "baricadr_remote:prefix/relPath" (relPath repo-relative, "" = the repo's remote root).
    QString spec(const QString &relPath = QString()) const;

    // The environment for an rclone process talking to this remote.
    QProcessEnvironment environment() const;

    // Where the remote is, for logs and messages, never with a secret:
    // "sftp://user@host:port/prefix/relPath", "s3://endpoint/bucket/prefix", "local:/mnt/backup",
    // "rclone:name:path".
    QString describeForLog(const QString &relPath = QString()) const;

    const RepoConfig &repo() const { return m_repo; }

private:
    QString remoteRoot() const; // part after "name:" for the repo root

    RepoConfig m_repo;
};

} // namespace baricadr
