// The admin CLI as a user runs it: the real `baricadr` executable against a real HTTP server on
// loopback (HttpApi in this process over a FakeService, so that answers are known), checking
// stdout, stderr and exit codes; credentials from the environment and client.conf; check-config
// on real files.
#include "api/httpapi.h"
#include "fakeservice.h"
#include "testenv.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;
using namespace baricadr::test;

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void pullPrintsTaskId();
    void pullOutsideReposFails();
    void waitReportsOutcome();
    void jsonOutput();
    void taskCommands();
    void listAndTree();
    void unreachableServer();
    void credentialsFromEnvironmentAndFile();
    void tlsWithCaFile();
    void helpAndUsage();
    void checkConfig();

private:
    CliRun run(const QStringList &args, const QProcessEnvironment &extraEnv = {});

    std::unique_ptr<FakeService> m_service;
    std::unique_ptr<HttpApi> m_api;
    quint16 m_port = 0;
    QTemporaryDir m_dir;
};

void TestCli::init()
{
    m_service = std::make_unique<FakeService>();
    m_api = std::make_unique<HttpApi>(m_service.get());
    QVERIFY(m_api->configure({}).ok());
    m_port = m_api->listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_port);
}

void TestCli::cleanup()
{
    m_api.reset();
    m_service.reset();
}

CliRun TestCli::run(const QStringList &args, const QProcessEnvironment &extraEnv)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BARICADR_SERVER"), QStringLiteral("http://127.0.0.1:%1").arg(m_port));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("noconfig")));
    for (const QString &k : extraEnv.keys())
        env.insert(k, extraEnv.value(k));
    p.setProcessEnvironment(env);
    QSignalSpy finished(&p, &QProcess::finished);
    p.start(baricadrExecutable(), args);
    // The server lives in this process: keep its event loop running while the CLI talks to it.
    if (!finished.wait(60000)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

void TestCli::pullPrintsTaskId()
{
    const CliRun r = run({u"pull"_qs, u"/repo/x"_qs, u"--dry-run"_qs, u"--email"_qs, u"me@example.org"_qs});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("pull-1\n"));
    QCOMPARE(m_service->lastPull.path, QStringLiteral("/repo/x"));
    QVERIFY(m_service->lastPull.dryRun);
    QCOMPARE(m_service->lastPull.email, QStringLiteral("me@example.org"));

    QCOMPARE(run({u"freeze"_qs, u"/repo/y"_qs, u"--force"_qs}).exitCode, 0);
    QVERIFY(m_service->lastFreeze.force);
    QVERIFY(!m_service->lastFreeze.dryRun);
}

void TestCli::pullOutsideReposFails()
{
    const CliRun r = run({u"pull"_qs, u"/etc"_qs});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"Could not find baricadr repository for path \"/etc/\""), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::waitReportsOutcome()
{
    CliRun r = run({u"pull"_qs, u"/repo/x"_qs, u"--wait"_qs});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Task pull-1 finished: 2 file(s), 30 B pulled"), qPrintable(r.out));
    // The freeze task ends failed: the CLI says why and exits non-zero.
    r = run({u"freeze"_qs, u"/repo/x"_qs, u"--wait"_qs});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(u"Task freeze-1 failed: remote gone"), qPrintable(r.out));
}

void TestCli::jsonOutput()
{
    CliRun r = run({u"task"_qs, u"show"_qs, u"pull-1"_qs, u"--json"_qs});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject t = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(t.value(u"task_id").toString(), QStringLiteral("pull-1"));
    QCOMPARE(t.value(u"created").toString(), QStringLiteral("Wed, 17 Feb 2021 15:11:56 GMT"));
    r = run({u"pull"_qs, u"/repo/x"_qs, u"--json"_qs});
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"task").toString(),
             QStringLiteral("pull-1"));
    r = run({u"repos"_qs, u"--json"_qs});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().at(0).toObject().value(u"root").toString(),
             QStringLiteral("/repo"));
}

void TestCli::taskCommands()
{
    CliRun r = run({u"task"_qs, u"list"_qs, u"--status"_qs, u"finished"_qs, u"--limit"_qs, u"5"_qs});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"pull-1"));
    QCOMPARE(m_service->lastQuery.limit, 5);
    QCOMPARE(m_service->lastQuery.status, std::optional<TaskStatus>(TaskStatus::Finished));

    r = run({u"task"_qs, u"log"_qs, u"pull-1"_qs});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("line 1\nline 2\n"));

    r = run({u"task"_qs, u"show"_qs, u"nope"_qs});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"Task not found in Baricadr database"));

    r = run({u"task"_qs, u"remove"_qs, u"pull-1"_qs});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"Task pull-1 removed."));

    r = run({u"task"_qs, u"thaw"_qs, u"freeze-1"_qs});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("pull-2\n"));

    r = run({u"task"_qs, u"show"_qs});
    QCOMPARE(r.exitCode, 2);
    r = run({u"task"_qs, u"explode"_qs, u"x"_qs});
    QCOMPARE(r.exitCode, 2);
}

void TestCli::listAndTree()
{
    CliRun r = run({u"list"_qs, u"/repo"_qs, u"--max-depth"_qs, u"0"_qs, u"--missing"_qs});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("a.txt\nd/b.txt\n"));
    QCOMPARE(m_service->lastList.maxDepth, 0);
    QVERIFY(m_service->lastList.missing);
    r = run({u"tree"_qs, u"/repo"_qs});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"a.txt *\n"), qPrintable(r.out));
    QVERIFY(r.out.contains(u"d/\n"));
    QVERIFY(r.out.contains(u"b.txt\n"));
    QCOMPARE(run({u"list"_qs, u"/repo"_qs, u"--max-depth"_qs, u"-1"_qs}).exitCode, 2);
}

void TestCli::unreachableServer()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("BARICADR_SERVER"),
               QStringLiteral("http://127.0.0.1:%1").arg(freeLoopbackPort()));
    const CliRun r = run({u"task"_qs, u"list"_qs}, env);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"Cannot reach the Baricadr service"), qPrintable(r.err));
    // --server wins over the environment.
    QCOMPARE(run({u"repos"_qs, u"--server"_qs, u"http://127.0.0.1:%1"_qs.arg(m_port)}, env).exitCode, 0);
    QCOMPARE(run({u"repos"_qs, u"--server"_qs, u"ftp://x"_qs}).exitCode, 1);
}

void TestCli::credentialsFromEnvironmentAndFile()
{
    const QString htpasswd = m_dir.filePath(QStringLiteral("htpasswd"));
    QProcess tool;
    tool.start(QStringLiteral("htpasswd"),
               {u"-B"_qs, u"-b"_qs, u"-c"_qs, htpasswd, u"alice"_qs, u"s3cret"_qs});
    QVERIFY(tool.waitForFinished(30000));
    HttpApiOptions options;
    options.htpasswdFile = htpasswd;
    QVERIFY(m_api->configure(options).ok());

    CliRun r = run({u"repos"_qs});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains(u"Unauthorized"));

    QProcessEnvironment env;
    env.insert(QStringLiteral("BARICADR_USER"), QStringLiteral("alice"));
    env.insert(QStringLiteral("BARICADR_PASSWORD"), QStringLiteral("s3cret"));
    QCOMPARE(run({u"repos"_qs}, env).exitCode, 0);
    env.insert(QStringLiteral("BARICADR_PASSWORD"), QStringLiteral("wrong"));
    QCOMPARE(run({u"repos"_qs}, env).exitCode, 1);

    // client.conf gives the server and the credentials.
    const QString conf = m_dir.filePath(QStringLiteral("client.conf"));
    QFile f(conf);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("[client]\nserver = http://127.0.0.1:%1\nuser = alice\npassword = s3cret\n")
                .arg(m_port)
                .toUtf8());
    f.close();
    QProcessEnvironment fromFile;
    fromFile.insert(QStringLiteral("BARICADR_CLIENT_CONF"), conf);
    fromFile.insert(QStringLiteral("BARICADR_SERVER"), QString()); // empty: the file decides
    r = run({u"repos"_qs}, fromFile);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
}

void TestCli::tlsWithCaFile()
{
    const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    QVERIFY(test::createSelfSignedCertificate(cert, key));
    m_api = std::make_unique<HttpApi>(m_service.get());
    HttpApiOptions options;
    options.tlsCertFile = cert;
    options.tlsKeyFile = key;
    QVERIFY(m_api->configure(options).ok());
    m_port = m_api->listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_port);
    QProcessEnvironment env;
    env.insert(QStringLiteral("BARICADR_SERVER"), QStringLiteral("https://127.0.0.1:%1").arg(m_port));
    CliRun r = run({u"repos"_qs}, env);
    QVERIFY2(
        r.exitCode == 1,
        qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.err))); // self-signed, not trusted
    QVERIFY2(r.err.contains(u"Cannot reach"), qPrintable(r.err));
    env.insert(QStringLiteral("BARICADR_CA_FILE"), cert);
    r = run({u"pull"_qs, u"/repo/x"_qs}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out, QStringLiteral("pull-1\n"));
}

void TestCli::helpAndUsage()
{
    CliRun r = run({u"--help"_qs});
    QCOMPARE(r.exitCode, 0);
    for (const char *cmd : {"serve", "check-config", "pull", "freeze", "preview", "list", "tree", "task",
                            "pin", "unpin", "verify", "repos"})
        QVERIFY2(r.out.contains(QLatin1String("  ") + QLatin1String(cmd) + u' ') ||
                     r.out.contains(QLatin1String("  ") + QLatin1String(cmd) + u'\n'),
                 cmd);
    for (const char *cmd : {"pull", "freeze", "preview", "list", "tree", "task", "pin", "unpin", "verify",
                            "repos", "serve", "check-config"}) {
        r = run({QLatin1String(cmd), u"--help"_qs});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"--help"), cmd);
    }
    QVERIFY(run({u"freeze"_qs, u"--help"_qs}).out.contains(u"--dry-run"));
    QCOMPARE(run({u"pull"_qs}).exitCode, 2);
    QCOMPARE(run({u"pull"_qs, u"/a"_qs, u"--bogus"_qs}).exitCode, 2);
    QCOMPARE(run({u"explode"_qs}).exitCode, 2);
    // No password option exists: it would show in `ps`.
    QVERIFY(!run({u"pull"_qs, u"--help"_qs}).out.contains(u"--password"));
    QCOMPARE(run({u"pull"_qs, u"/repo/x"_qs, u"--password"_qs, u"x"_qs}).exitCode, 2);
}

void TestCli::checkConfig()
{
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("repo")));
    const QString repos = m_dir.filePath(QStringLiteral("repos.yml"));
    QFile f(repos);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_dir.filePath(QStringLiteral("repo")).toUtf8() +
            ":\n  backend: sftp\n  url: \"127.0.0.1:/b\"\n  user: u\n  password: p\n  freezable: true\n");
    f.close();
    const QString ini = m_dir.filePath(QStringLiteral("baricadr.conf"));
    QFile i(ini);
    QVERIFY(i.open(QIODevice::WriteOnly));
    i.write(("BARICADR_REPOS_CONF = " + repos + "\n").toUtf8());
    i.close();
    CliRun r = run({u"check-config"_qs, ini});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(u"1 repo(s) OK"));

    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_dir.filePath(QStringLiteral("repo")).toUtf8() +
            ":\n  backend: sftp\n  url: \"127.0.0.1:/b\"\n  freeze_age: abc\n");
    f.close();
    r = run({u"check-config"_qs, ini});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(repos + u":"), qPrintable(r.err));
    QVERIFY(r.err.contains(u"freeze_age"));

    r = run({u"check-config"_qs, m_dir.filePath(QStringLiteral("missing.conf"))});
    QCOMPARE(r.exitCode, 1);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
