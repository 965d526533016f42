// RcloneJob against a real loopback SFTP server: secrets stay off command lines, failures come
// back typed and in plain words, fast; cancel and watchdog stop rclone; garbage is survived.
#include "rclone/rclonejob.h"
#include "rclone/rcloneremote.h"
#include "sftpserver.h"
#include "testhelpers.h"
#include "testtree.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/resource.h>

using namespace baricadr;
using namespace baricadr::test;

class TestRcloneJob : public QObject
{
    Q_OBJECT

    QString writeScript(const QTemporaryDir &dir, const QByteArray &body)
    {
        const QString path = dir.filePath(QStringLiteral("fake-rclone.sh"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return QString();
        f.write("#!/bin/sh\n" + body);
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        return path;
    }

    static Status run(RcloneJob &job, int timeoutMs = 60000)
    {
        bool done = false;
        Status status;
        QObject::connect(&job, &RcloneJob::finished, [&](const Status &s) {
            done = true;
            status = s;
        });
        job.start();
        QElapsedTimer t;
        t.start();
        while (!done && t.elapsed() < timeoutMs)
            QTest::qWait(20);
        if (!done)
            return Error(ErrorCode::Internal, QStringLiteral("test: job did not finish in time"));
        return status;
    }

private Q_SLOTS:
    void credentialsOnlyInEnvironment()
    {
        SftpServer server;
        QVERIFY(writeFile(server.root() + QStringLiteral("/backup"), QStringLiteral("big.bin"),
                          QByteArray(600 * 1024, 'x')));
        QVERIFY(server.start());
        QTemporaryDir local;
        const RepoConfig repo = server.repoFor(local.path(), QStringLiteral("backup"));
        const RcloneRemote remote(repo);
        QVERIFY(!remote.describeForLog().contains(server.password()));
        QCOMPARE(remote.describeForLog(),
                 QStringLiteral("sftp://%1@127.0.0.1:%2/backup").arg(server.user()).arg(server.port()));

        RcloneOptions opts;
        opts.extraFlags = {QStringLiteral("--bwlimit"), QStringLiteral("100k")};
        RcloneJob job(opts, {QStringLiteral("copy"), remote.spec(), local.path()}, remote.environment(),
                      QStringLiteral("pulling"));
        QList<TaskProgress> progress;
        connect(&job, &RcloneJob::progress, this, [&](const TaskProgress &p) { progress << p; });
        bool done = false;
        Status status;
        connect(&job, &RcloneJob::finished, this, [&](const Status &s) {
            done = true;
            status = s;
        });
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(job.pid() > 0, 10000);
        // While it runs: the password is neither on its command line nor (obscured) either.
        QTest::qWait(500);
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(job.pid()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray args = cmdline.readAll();
        QVERIFY2(args.contains("copy"), args.constData());
        QVERIFY(!args.contains(server.password().toUtf8()));
        QVERIFY(!args.contains(server.user().toUtf8())); // even the user name stays in the env
        QVERIFY(!args.contains("-vv"));
        QFile environ(QStringLiteral("/proc/%1/environ").arg(job.pid()));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QList<QByteArray> envVars = environ.readAll().split('\0');
        QVERIFY(envVars.contains("RCLONE_CONFIG=/dev/null"));
        QByteArray pass;
        for (const QByteArray &v : envVars) {
            QVERIFY2(!v.startsWith("AWS_") && !v.startsWith("LD_PRELOAD"), v.constData());
            if (v.startsWith("RCLONE_CONFIG_BARICADR_REMOTE_PASS="))
                pass = v.mid(v.indexOf('=') + 1);
        }
        QVERIFY(!pass.isEmpty());
        QVERIFY(pass != server.password().toUtf8()); // obscured
        QVERIFY(!job.commandLineForLog().contains(server.password()));

        QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
        QVERIFY2(status.ok(), why(status).constData());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().totalBytes, qint64(600 * 1024));
        QCOMPARE(QFileInfo(local.filePath(QStringLiteral("big.bin"))).size(), qint64(600 * 1024));
    }

    // rclone runs niceIncrement lower in CPU priority than the service.
    void runsAtLowerPriority()
    {
        QTemporaryDir from, to;
        QVERIFY(writeFile(from.path(), QStringLiteral("f.bin"), QByteArray(400 * 1024, 'x')));
        RcloneOptions opts;
        opts.niceIncrement = 7;
        opts.extraFlags = {QStringLiteral("--bwlimit"), QStringLiteral("100k")}; // runs for seconds
        RcloneJob job(opts, {QStringLiteral("copy"), from.path(), to.path()}, {}, QStringLiteral("copying"));
        bool done = false;
        connect(&job, &RcloneJob::finished, this, [&](const Status &) { done = true; });
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(job.pid() > 0, 10000);
        QFile stat(QStringLiteral("/proc/%1/stat").arg(job.pid()));
        QVERIFY(stat.open(QIODevice::ReadOnly));
        const QByteArray line = stat.readAll();
        // Fields after "(comm) ": state is field 3, nice field 19.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        QVERIFY2(fields.size() > 16, line.constData());
        errno = 0;
        const int ownNice = ::getpriority(PRIO_PROCESS, 0);
        QCOMPARE(fields.at(16).toInt(), qMin(19, ownNice + 7));
        job.cancel(false);
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
    }

    void rcloneMissing()
    {
        RcloneOptions opts;
        opts.program = QStringLiteral("/nonexistent/bin/rclone");
        RcloneJob job(opts, {QStringLiteral("version")}, QProcessEnvironment(), QStringLiteral("listing x"));
        const Status s = run(job);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ErrorCode::RcloneMissing);
        QVERIFY2(s.error().message.contains(QStringLiteral("/nonexistent/bin/rclone")),
                 qPrintable(s.error().message));
        QVERIFY2(s.error().message.contains(QStringLiteral("Install rclone")), qPrintable(s.error().message));
    }

    void remoteDownIsFastAndClear()
    {
        SftpServer server;
        QVERIFY(server.start());
        QTemporaryDir local;
        const RepoConfig repo = server.repoFor(local.path());
        server.kill();
        const RcloneRemote remote(repo);
        RcloneJob job(RcloneOptions(), {QStringLiteral("lsjson"), QStringLiteral("-R"), remote.spec()},
                      remote.environment(), QStringLiteral("listing ") + remote.describeForLog());
        QElapsedTimer t;
        t.start();
        const Status s = run(job);
        qInfo() << "down sftp server reported after" << t.elapsed()
                << "ms:" << (s.ok() ? QString() : s.error().message);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ErrorCode::RemoteUnreachable);
        QVERIFY(s.error().message.contains(QStringLiteral("cannot be reached")));
        QVERIFY(s.error().message.contains(remote.describeForLog()));
        QVERIFY(t.elapsed() < 60000); // rclone's defaults would retry for much longer
    }

    void wrongPasswordIsAuthError()
    {
        SftpServer server;
        QVERIFY(server.start());
        QTemporaryDir local;
        RepoConfig repo = server.repoFor(local.path());
        repo.password = QStringLiteral("wrong");
        const RcloneRemote remote(repo);
        RcloneJob job(RcloneOptions(), {QStringLiteral("lsjson"), remote.spec()}, remote.environment(),
                      QStringLiteral("listing"));
        const Status s = run(job);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ErrorCode::RemoteUnreachable);
        QVERIFY2(s.error().message.contains(QStringLiteral("refused the credentials")),
                 qPrintable(s.error().message));
        QVERIFY(!s.error().message.contains(QStringLiteral("wrong")));
    }

    void notFound()
    {
        SftpServer server;
        QVERIFY(server.start());
        QTemporaryDir local;
        const RepoConfig repo = server.repoFor(local.path());
        const RcloneRemote remote(repo);
        RcloneJob job(RcloneOptions(), {QStringLiteral("lsjson"), remote.spec(QStringLiteral("no/such/dir"))},
                      remote.environment(), QStringLiteral("listing"));
        const Status s = run(job);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ErrorCode::NotFound);
        QCOMPARE(job.exitCode(), 3);
    }

    void cancelStopsRclone()
    {
        SftpServer server;
        QVERIFY(writeFile(server.root(), QStringLiteral("big.bin"), QByteArray(4 * 1024 * 1024, 'y')));
        QVERIFY(server.start());
        QTemporaryDir local;
        const RepoConfig repo = server.repoFor(local.path());
        const RcloneRemote remote(repo);
        RcloneOptions opts;
        opts.extraFlags = {QStringLiteral("--bwlimit"), QStringLiteral("200k")};
        RcloneJob job(opts, {QStringLiteral("copy"), remote.spec(), local.filePath(QStringLiteral("dst"))},
                      remote.environment(), QStringLiteral("pulling"));
        bool done = false;
        Status status;
        connect(&job, &RcloneJob::finished, this, [&](const Status &s) {
            done = true;
            status = s;
        });
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(local.filePath(QStringLiteral("dst/big.bin"))), 20000);
        const qint64 pid = job.pid();
        QVERIFY(pid > 0);
        job.cancel(true);
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QCOMPARE(status.error().code, ErrorCode::Cancelled);
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1/cmdline").arg(pid)) || !job.isRunning());
        QVERIFY(!job.isRunning());
    }

    // A server that accepts connections and never says a word: our limits end it.
    void silentServerTimesOut()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> held;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = silent.nextPendingConnection())
                held << s;
        });
        RepoConfig repo;
        repo.backend = Backend::Sftp;
        repo.host = QStringLiteral("127.0.0.1");
        repo.port = silent.serverPort();
        repo.user = QStringLiteral("u");
        repo.password = QStringLiteral("p");
        const RcloneRemote remote(repo);
        RcloneOptions opts;
        opts.contimeoutSeconds = 2;
        opts.ioTimeoutSeconds = 2;
        opts.watchdogSeconds = 8;
        RcloneJob job(opts, {QStringLiteral("lsjson"), remote.spec()}, remote.environment(),
                      QStringLiteral("listing"));
        QElapsedTimer t;
        t.start();
        const Status s = run(job, 30000);
        qInfo() << "silent server reported after" << t.elapsed()
                << "ms:" << (s.ok() ? QString() : s.error().message);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().code == ErrorCode::Timeout || s.error().code == ErrorCode::RemoteUnreachable,
                 qPrintable(s.error().message));
        qDeleteAll(held);
    }

    // Real rclone never prints the credentials it is given, so this needs a stand-in that does
    // (a script: no real part can be made to misbehave this way). Whatever it prints reaches the
    // log lines and the error with the credentials masked, and nothing else masked.
    void printedCredentialsAreMasked()
    {
        QTemporaryDir dir;
        RcloneOptions opts;
        opts.program = writeScript(
            dir, "echo \"pass=$RCLONE_CONFIG_BARICADR_REMOTE_PASS "
                 "key=$RCLONE_CONFIG_BARICADR_REMOTE_SECRET_ACCESS_KEY "
                 "id=$RCLONE_CONFIG_BARICADR_REMOTE_ACCESS_KEY_ID path=/srv/p/data\" >&2; exit 1\n");
        RepoConfig repo;
        repo.root = dir.path();
        repo.backend = Backend::S3;
        repo.endpoint = QStringLiteral("http://127.0.0.1:1/");
        repo.s3Path = QStringLiteral("bucket/prefix");
        repo.accessKeyId = QStringLiteral("AKIDEXAMPLE1234567");
        repo.secretAccessKey = QStringLiteral("wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY");
        const RcloneRemote remote(repo);
        RcloneJob job(opts, {QStringLiteral("lsjson"), remote.spec()}, remote.environment(),
                      QStringLiteral("listing"));
        QStringList logged;
        connect(&job, &RcloneJob::logMessage, this, [&](const QString &, const QString &m) { logged << m; });
        const Status s = run(job);
        QVERIFY(!s.ok());
        const QString all = logged.join(u'\n') + u'\n' + s.error().message;
        QVERIFY2(!all.contains(repo.accessKeyId) && !all.contains(repo.secretAccessKey), qPrintable(all));
        QVERIFY2(all.contains(u"key=*** id=*** path=/srv/p/data"), qPrintable(all));

        repo.backend = Backend::Sftp;
        repo.host = QStringLiteral("127.0.0.1");
        repo.user = QStringLiteral("u");
        repo.password = QStringLiteral("p");
        const RcloneRemote sftp(repo);
        const QString obscured =
            sftp.environment().value(QStringLiteral("RCLONE_CONFIG_BARICADR_REMOTE_PASS"));
        QVERIFY(obscured.size() > 8);
        RcloneJob job2(opts, {QStringLiteral("lsjson"), sftp.spec()}, sftp.environment(),
                       QStringLiteral("listing"));
        logged.clear();
        const Status s2 = run(job2);
        const QString all2 = logged.join(u'\n') + u'\n' + s2.error().message;
        QVERIFY2(!all2.contains(obscured), qPrintable(all2));
        QVERIFY2(all2.contains(u"pass=*** key= id= path=/srv/p/data"), qPrintable(all2));
    }

    void garbageOutputSurvived_data()
    {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("garbage, exit 0")
            << QByteArray("printf 'garbage\\n\\377\\376{{{\\n'; printf 'noise' >&2; exit 0\n") << true << "";
        QTest::newRow("garbage, exit 1")
            << QByteArray(
                   "printf 'garbage\\n'; printf '\\377 broken \\n' >&2; echo 'it went wrong' >&2; exit 1\n")
            << false << "broken";
        QTest::newRow("no newline, exit 7")
            << QByteArray("printf 'half a line' >&2; exit 7\n") << false << "half a line";
        QTest::newRow("killed by signal") << QByteArray("kill -9 $$\n") << false << "killed by a signal";
    }
    void garbageOutputSurvived()
    {
        QFETCH(QByteArray, script);
        QFETCH(bool, ok);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        RcloneOptions opts;
        opts.program = writeScript(dir, script);
        RcloneJob job(opts, {QStringLiteral("lsjson")}, QProcessEnvironment(), QStringLiteral("listing"));
        QList<QByteArray> lines;
        connect(&job, &RcloneJob::stdoutLines, this, [&](const QList<QByteArray> &l) { lines << l; });
        const Status s = run(job);
        QCOMPARE(s.ok(), ok);
        if (!ok) {
            QVERIFY2(s.error().message.contains(mentions), qPrintable(s.error().message));
            QVERIFY(s.error().code == ErrorCode::RcloneFailed);
        }
    }
};

QTEST_GUILESS_MAIN(TestRcloneJob)
#include "tst_rclonejob.moc"
