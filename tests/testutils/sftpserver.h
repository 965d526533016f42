#pragma once

#include "loopbackserver.h"
#include "repo/repoconfig.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace baricadr::test {

// A real SFTP server on 127.0.0.1: `rclone serve sftp` over a local directory, for tests.
//
//   SftpServer server;                 // serves a fresh temp dir (server.root())
//   QVERIFY(server.start());
//   RepoConfig repo = server.repoFor(localRoot, "backup"); // remote = root()/backup
//
// Credentials go to rclone through its environment (RCLONE_USER/RCLONE_PASS), never argv.
// The listing cache is 1 s (--dir-cache-time 1s) so files written straight into root() show up.
// With `links` (default), on-disk symlinks are served as "name.rclonelink" objects, which is
// how a backup made with `rclone sync --links` stores them.
class SftpServer
{
public:
    struct Options
    {
        bool links = true;
        QString user = QStringLiteral("bkpuser");
        QString password = QStringLiteral("s3cr3t-pa$$ 'word\"");
        QString authorizedKeys; // file with public keys for key auth; empty = keys refused
        QString bwlimit;        // rclone --bwlimit of the server ("8M"): slow transfers a test acts during
    };

    // Serves `root` (created if missing); empty = a temp dir owned by the fixture.
    explicit SftpServer(const QString &root = QString());
    SftpServer(const QString &root, const Options &options);
    ~SftpServer();

    SftpServer(const SftpServer &) = delete;
    SftpServer &operator=(const SftpServer &) = delete;

    // Starts on a free loopback port and waits (at most ~15 s) until it accepts connections.
    // Returns false (with a warning naming the cause) if it could not.
    bool start();
    // SIGTERM, then SIGKILL if still there after 5 s.
    void stop();
    // SIGKILL at once (the remote "goes away" for fault tests).
    void kill();
    // Starts again on the same port (after stop() or kill()).
    bool restart();

    bool isRunning() const;
    quint16 port() const { return m_port; }
    QString user() const { return m_options.user; }
    QString password() const { return m_options.password; }
    QString root() const { return m_root; }
    qint64 pid() const;

    // A ready sftp RepoConfig: local root `localRoot`, remote `root()/remoteSubdir` (created).
    RepoConfig repoFor(const QString &localRoot, const QString &remoteSubdir = QString()) const;

    // stderr of the server so far (for diagnosing a failed test).
    QString serverLog() const;

private:
    bool startOnPort(quint16 port);

    Options m_options;
    std::unique_ptr<QTemporaryDir> m_ownedRoot;
    QTemporaryDir m_cacheDir;
    QString m_root;
    quint16 m_port = 0;
    LoopbackServer m_server;
};

} // namespace baricadr::test
