#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace baricadr {

enum class Backend
{
    Sftp,
    S3,
    Local,
    Rclone
};

// How a freeze verifies that the remote holds the same file.
enum class VerifyMode
{
    Size,     // same size, remote mtime not older than local mtime (within the backend's precision)
    Checksum, // the above plus a matching hash, read without disturbing the local atime
};

// One repository of repos.yml, as loaded and validated. Plain data: no I/O here.
// Secrets (password, secret_access_key) live only in this struct and in rclone's environment:
// never print it, log it or serialise it whole (publicSettings() in repo/repojson.h gives the
// user-facing view). Loaded by loadReposFile() in config/reposloader.h.
struct RepoConfig
{
    QString root; // canonical absolute local path (realpath), no trailing '/'

    QString sourceFile; // repos.yml it came from, and the 1-based line of its key: for messages
    int sourceLine = 0;

    Backend backend = Backend::Sftp;

    // sftp: url "host:prefix"
    QString host;
    QString remotePrefix;
    int port = 0; // 0 = backend default
    QString user;
    QString password;
    QString keyFile;

    // s3
    QString provider;
    QString endpoint;
    QString s3Path; // bucket/prefix
    QString accessKeyId;
    QString secretAccessKey;
    QString region;

    // local: a mounted filesystem holding the backup
    QString localPath;

    // rclone: any remote of an existing rclone.conf
    QString rcloneRemote; // "name:path"
    QString rcloneConfig; // path to rclone.conf

    QStringList exclude; // fnmatch globs against the full local path
    bool freezable = false;
    int freezeAge = 180; // days
    bool autoFreeze = false;
    int autoFreezeInterval = 7; // days
    std::optional<uint> chownUid;
    std::optional<uint> chownGid;
    bool disableAtimeTest = false;
    VerifyMode verify = VerifyMode::Size;

    // Watermark freezes (percent of the filesystem holding root); unset = off.
    std::optional<int> watermarkHigh;
    std::optional<int> watermarkLow;
    int freezeMinAge = 7; // days: a watermark freeze never takes files read more recently

    int verifyInterval = 0; // days between scheduled verify tasks, 0 = never
};

} // namespace baricadr
