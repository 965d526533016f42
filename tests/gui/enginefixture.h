#pragma once

#include "freeze/freezejob.h"
#include "repo/repoconfig.h"
#include "sftpserver.h"
#include "util/result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace baricadr::test {

// One repo of a repos.yml written by EngineFixture: its backup is `remoteSubdir` on the
// fixture's loopback SFTP server.
struct RepoSpec
{
    QString root;
    QString remoteSubdir;
    QString exclude;
    int freezeAge = 180;
};

// What the GUI tests run the window against: the real engine (local mode opens a repos.yml
// exactly as File → Open configuration does) and a real `rclone serve sftp` on 127.0.0.1.
//
//   EngineFixture fx;
//   QVERIFY(fx.start());
//   QVERIFY(makeAgedOriginalLayout(fx.path("repo"), fx.remoteDir("backup")));
//   const QString yml = fx.writeRepos({{fx.path("repo"), "backup", "*.xml , *.tsv"}});
//   window.openConfiguration(yml);
//
// start() points BARICADR_DATA_DIR and TASK_LOG_DIR (the engine's database, lock and task logs)
// into the fixture's temporary directory.
class EngineFixture
{
public:
    // `tempTemplate`: where the repos and the server's files go (QTemporaryDir template).
    explicit EngineFixture(const QString &tempTemplate = QString());
    ~EngineFixture();

    // Starts the SFTP server (options: e.g. a bandwidth limit). False with a warning if it cannot.
    bool start(const SftpServer::Options &options = SftpServer::Options());
    SftpServer &server() { return *m_server; }
    // A path inside the fixture's temporary directory.
    QString path(const QString &name) const;
    // Where `remoteSubdir` of the server lives on disk.
    QString remoteDir(const QString &remoteSubdir) const;

    // The RepoConfig the engine reads from writeRepos() for `spec` (port 0: this server's).
    RepoConfig repoConfig(const RepoSpec &spec, quint16 port = 0) const;
    // Writes a repos.yml with `repos` (port 0: this server's) and returns its path.
    QString writeRepos(const QList<RepoSpec> &repos, const QString &fileName = QStringLiteral("repos.yml"),
                       quint16 port = 0) const;

    // Forgets what a previous test left: remembered session/layout (QSettings) and the engine's
    // database and task logs, so that each test starts a fresh engine.
    void resetEngineState() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SftpServer> m_server;
};

// The original Baricadr test layout, aged, under `local`, and its backup under `remote`:
//   cold (read 400 days ago, same on the remote): file.txt, subdir/subsubdir/subsubfile.txt,
//     subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file
//   hot (read 3 days ago): subdir/subfile.txt
//   modified locally (bigger and newer than the backup): file2.txt
//   local only (not backed up): results/new.txt
//   remote only (frozen earlier): subdir/subsubdir2/subsubfile.txt
//   excluded with "*.xml , *.tsv": the poutrelle.* files
bool makeAgedOriginalLayout(const QString &local, const QString &remote);
QStringList agedLayoutColdFiles();

// What the engine itself would freeze now: a FreezeJob dry run of `repo`/`relPath` (waits, at
// most two minutes).
Result<FreezeOutcome> dryRunFreeze(const RepoConfig &repo, const QString &relPath = QString());

} // namespace baricadr::test
