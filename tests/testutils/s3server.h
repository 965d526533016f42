#pragma once

#include "loopbackserver.h"
#include "repo/repoconfig.h"

#include <QString>
#include <QTemporaryDir>

namespace baricadr::test {

// A real S3 server on 127.0.0.1 for tests of the s3 backend: s3rver 3.7.1 from npm (Debian has
// no S3 server and rclone 1.60 has no `serve s3`), installed by packaging/install-deps.sh into
// <source>/tests/s3/node_modules. Path-style, region us-east-1, credentials S3RVER/S3RVER (it
// does not check the secret). Objects live in s3rver's own on-disk format: fill the bucket with
// upload(), which runs `rclone copy --links` (symlinks become ".rclonelink" objects, as a backup
// made with `rclone sync --links` stores them).
class S3Server
{
public:
    explicit S3Server(const QString &bucket = QStringLiteral("backup"));
    ~S3Server();
    S3Server(const S3Server &) = delete;
    S3Server &operator=(const S3Server &) = delete;

    // Empty when s3rver (and node) can run here, otherwise why not (for QSKIP).
    static QString unavailableReason();
    static QString s3rverProgram();

    // Starts on a free loopback port and waits (at most ~20 s) until it listens.
    bool start();
    void stop();
    void kill(); // SIGKILL: the remote goes away
    bool isRunning() const;

    quint16 port() const { return m_server.port(); }
    QString bucket() const { return m_bucket; }
    QString endpoint() const;
    qint64 pid() const;

    // A ready s3 RepoConfig: local root `localRoot`, remote `bucket/prefix`.
    RepoConfig repoFor(const QString &localRoot, const QString &prefix) const;
    // Copies `localDir` to `bucket/prefix` with rclone (links as .rclonelink). Returns rclone's
    // output on failure, an empty string on success.
    QString upload(const QString &localDir, const QString &prefix) const;

    QString serverLog() const;

private:
    QString m_bucket;
    QTemporaryDir m_data;
    LoopbackServer m_server;
};

} // namespace baricadr::test
