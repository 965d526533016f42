// Starts the real `baricadr serve` executable on a free loopback port and talks HTTP to it.
#include "serveprocess.h"
#include "testenv.h"
#include "version.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace baricadr;

class TestServeSmoke : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versionAnswersJson();
    void badListenIsRefused();
    void summaryLineAndCleanSigint();
    void badReposRefusedWithExactError();
    void nonBcryptHtpasswdRefused();
};

void TestServeSmoke::versionAnswersJson()
{
    const quint16 port = test::freeLoopbackPort();
    QVERIFY(port != 0);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("repo")));
    QFile repos(dir.filePath(QStringLiteral("repos.yml")));
    QVERIFY(repos.open(QIODevice::WriteOnly));
    repos.write(dir.filePath(QStringLiteral("repo")).toUtf8() +
                ":\n  backend: sftp\n  url: \"127.0.0.1:/backup\"\n  user: foo\n  password: bar\n");
    repos.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BARICADR_REPOS_CONF"), repos.fileName());
    env.insert(QStringLiteral("DATABASE_URI"),
               QStringLiteral("sqlite:///") + dir.filePath(QStringLiteral("db.sqlite")));
    env.insert(QStringLiteral("TASK_LOG_DIR"), dir.filePath(QStringLiteral("logs")));
    QProcess server;
    server.setProcessEnvironment(env);
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.start(test::baricadrExecutable(), {QStringLiteral("serve"), QStringLiteral("--listen"),
                                              QStringLiteral("127.0.0.1:%1").arg(port)});
    QVERIFY2(server.waitForStarted(), qPrintable(server.errorString()));

    QNetworkAccessManager nam;
    QByteArray body;
    int status = 0;
    // The server needs a moment to bind: retry a bounded number of times.
    for (int attempt = 0; attempt < 50 && status == 0; ++attempt) {
        QNetworkReply *reply =
            nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/version").arg(port))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(5000));
        if (reply->error() == QNetworkReply::NoError) {
            status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            body = reply->readAll();
        } else {
            QTest::qWait(100);
        }
        reply->deleteLater();
    }
    QCOMPARE(status, 200);
    const QJsonObject obj = QJsonDocument::fromJson(body).object();
    QCOMPARE(obj.value(QStringLiteral("version")).toString(), QStringLiteral(BARICADR_VERSION));

    server.terminate();
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
}

void TestServeSmoke::badListenIsRefused()
{
    QProcess server;
    server.start(test::baricadrExecutable(),
                 {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:notaport")});
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QVERIFY(server.exitCode() != 0);
    QVERIFY(server.readAllStandardError().contains("BARICADR_LISTEN must be HOST:PORT"));
}

void TestServeSmoke::summaryLineAndCleanSigint()
{
    test::ServeProcess serve;
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    const QString line = serve.log().section(u'\n', 0, 0);
    QVERIFY2(line.contains(QStringLiteral("baricadr %1 listening on http://127.0.0.1:%2")
                               .arg(QStringLiteral(BARICADR_VERSION))
                               .arg(serve.port())),
             qPrintable(line));
    QVERIFY2(line.contains(u"repos: 1 from "), qPrintable(line));
    QVERIFY2(line.contains(u"db: sqlite:///"), qPrintable(line));
    ::kill(pid_t(serve.pid()), SIGINT);
    QTRY_VERIFY_WITH_TIMEOUT(!serve.isRunning(), 20000);
    QCOMPARE(serve.stop(), 0);
}

void TestServeSmoke::badReposRefusedWithExactError()
{
    test::ServeProcess serve;
    serve.setReposYaml(serve.path(QStringLiteral("repo")).toUtf8() +
                       ":\n  backend: sftp\n  url: \"h:/b\"\n  freeze_age: abc\n");
    QVERIFY(!serve.start());
    QTRY_VERIFY_WITH_TIMEOUT(!serve.isRunning(), 10000);
    QCOMPARE(serve.stop(), 1);
    QVERIFY2(serve.log().contains(serve.path(QStringLiteral("repos.yml")) + u":"), qPrintable(serve.log()));
    QVERIFY2(serve.log().contains(u"freeze_age"), qPrintable(serve.log()));
}

void TestServeSmoke::nonBcryptHtpasswdRefused()
{
    test::ServeProcess serve;
    const QString file = serve.path(QStringLiteral("htpasswd"));
    QProcess tool;
    tool.start(QStringLiteral("htpasswd"), {u"-m"_qs, u"-b"_qs, u"-c"_qs, file, u"alice"_qs, u"pw"_qs});
    QVERIFY(tool.waitForFinished(30000));
    serve.setEnv(QStringLiteral("AUTH_HTPASSWD_FILE"), file);
    QVERIFY(!serve.start());
    QTRY_VERIFY_WITH_TIMEOUT(!serve.isRunning(), 10000);
    QCOMPARE(serve.stop(), 1);
    QVERIFY2(serve.log().contains(file + u":1"), qPrintable(serve.log()));
    QVERIFY(serve.log().contains(u"bcrypt"));
}

QTEST_GUILESS_MAIN(TestServeSmoke)
#include "tst_serve_smoke.moc"
