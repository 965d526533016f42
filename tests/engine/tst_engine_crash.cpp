// kill -9 of the engine's process in the middle of a pull (real child process, real rclone, real
// SFTP on loopback, real SQLite): after a restart no task is left running, the interrupted one is
// failed "interrupted", no truncated file is in the repo, the engine lock of the dead process is
// taken over, and a new pull brings the whole file.
#include "service/application.h"
#include "sftpserver.h"
#include "store/taskstore.h"
#include "tasks/taskengine.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;

class TestEngineCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killNineMidPull();
};

void TestEngineCrash::killNineMidPull()
{
    QTemporaryDir dir;
    const QString local = dir.filePath(u"local"_qs);
    const QString served = dir.filePath(u"served"_qs);
    QVERIFY(QDir().mkpath(local));
    QVERIFY(QDir().mkpath(served + u"/backup/big"_qs));
    constexpr qint64 kSize = 512LL * 1024 * 1024;
    {
        QFile big(served + u"/backup/big/blob.bin"_qs);
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(kSize)); // sparse on the server's disk, real bytes on the wire
    }
    test::SftpServer server(served);
    QVERIFY(server.start());
    const RepoConfig r = server.repoFor(local, u"backup"_qs);
    auto quote = [](QString s) -> QString { return u'\'' + s.replace(u'\'', u"''"_qs) + u'\''; };
    QFile yml(dir.filePath(u"repos.yml"_qs));
    QVERIFY(yml.open(QIODevice::WriteOnly));
    yml.write((local + u":\n    backend: sftp\n    url: "_qs + quote(r.host + u':' + r.remotePrefix) +
               u"\n    port: "_qs + QString::number(r.port) + u"\n    user: "_qs + quote(r.user) +
               u"\n    password: "_qs + quote(r.password) + u"\n"_qs)
                  .toUtf8());
    yml.close();

    Settings s;
    s.reposConf = yml.fileName();
    s.taskLogDir = dir.filePath(u"logs"_qs);
    s.dataDir = dir.filePath(u"data"_qs);
    s.databaseUri = u"sqlite:///"_qs + dir.filePath(u"data/baricadr.sqlite"_qs);

    QProcess host;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"BARICADR_REPOS_CONF"_qs, s.reposConf);
    env.insert(u"TASK_LOG_DIR"_qs, s.taskLogDir);
    env.insert(u"BARICADR_DATA_DIR"_qs, s.dataDir);
    env.insert(u"DATABASE_URI"_qs, s.databaseUri);
    const QString tmp = dir.filePath(u"tmp"_qs); // where the pull keeps its lists of files
    QVERIFY(QDir().mkpath(tmp));
    env.insert(u"TMPDIR"_qs, tmp);
    host.setProcessEnvironment(env);
    host.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    host.start(QCoreApplication::applicationDirPath() + u"/enginehost"_qs, {local + u"/big"_qs});
    QVERIFY(host.waitForStarted());
    QString taskId;
    QDeadlineTimer deadline(30000);
    while (taskId.isEmpty() && !deadline.hasExpired() && host.state() == QProcess::Running) {
        host.waitForReadyRead(200);
        while (host.canReadLine()) {
            const QString line = QString::fromUtf8(host.readLine()).trimmed();
            if (line.startsWith(u"TASK "))
                taskId = line.mid(5);
        }
    }
    QVERIFY2(!taskId.isEmpty(), "the engine host did not submit its pull");

    // Kill it once bytes are really arriving in the repo's staging area.
    const QString staging = local + u"/.baricadr-staging"_qs;
    qint64 staged = 0;
    deadline.setRemainingTime(60000);
    while (staged == 0 && !deadline.hasExpired() && host.state() == QProcess::Running) {
        QTest::qWait(20);
        for (QDirIterator it(staging, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
             it.hasNext();)
            staged += QFileInfo(it.next()).size();
    }
    QVERIFY2(staged > 0 && staged < kSize, qPrintable(u"staged %1 bytes"_qs.arg(staged)));
    const qint64 deadPid = host.processId();
    host.kill(); // SIGKILL: nothing recorded, nothing cleaned
    QVERIFY(host.waitForFinished(10000));
    QTest::qWait(500); // rclone dies with its parent (PR_SET_PDEATHSIG)
    // A pull of many files keeps its lists there (this one, a single file, is copied directly):
    // one such list of the killed process, and one of a process that still runs.
    const auto leftovers = [&tmp] {
        return QDir(tmp).entryList({u"baricadr-*"_qs}, QDir::Files | QDir::Hidden);
    };
    const QString live = u"baricadr-%1-pull-files-Ab12Cd"_qs.arg(::getppid());
    for (const QString &name : {u"baricadr-%1-pull-files-Xy34Zw"_qs.arg(deadPid), live}) {
        QFile f(tmp + u'/' + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
    }

    const QString target = local + u"/big/blob.bin"_qs;
    QVERIFY2(!QFileInfo::exists(target) || QFileInfo(target).size() == kSize,
             "a truncated file is in the repo");

    // Restart: the dead process's lock is taken over, the task is failed, staging is repaired,
    // and the temporary files the killed process left are removed.
    const QByteArray oldTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", tmp.toLocal8Bit());
    auto app = Application::create(s);
    QCOMPARE(leftovers(), QStringList{live}); // the dead one's removed, the live one's kept
    if (oldTmp.isEmpty())
        qunsetenv("TMPDIR");
    else
        qputenv("TMPDIR", oldTmp);
    QVERIFY2(app.ok(), app ? "" : qPrintable(app.error().message));
    QCOMPARE((*app)->recoveredTasks(), QStringList{taskId});
    const auto t = (*app)->store()->task(taskId);
    QCOMPARE(toString(t->status), u"failed"_qs);
    QCOMPARE(t->error, u"interrupted"_qs);
    QVERIFY((*app)->store()->unfinishedTasks()->isEmpty());
    qint64 left = 0;
    for (QDirIterator it(staging, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext();)
        left += QFileInfo(it.next()).size();
    QCOMPARE(left, 0);
    QVERIFY(!QFileInfo::exists(target) || QFileInfo(target).size() == kSize);

    // A new pull brings the whole file.
    PullRequest req;
    req.path = local + u"/big"_qs;
    const auto again = (*app)->service()->submitPull(req).result();
    QVERIFY(again.ok());
    QTRY_VERIFY_WITH_TIMEOUT(!(*app)->engine()->liveTask(*again), 120000);
    QCOMPARE(toString((*app)->store()->task(*again)->status), u"finished"_qs);
    QCOMPARE(QFileInfo(target).size(), kSize);
}

QTEST_GUILESS_MAIN(TestEngineCrash)
#include "tst_engine_crash.moc"
