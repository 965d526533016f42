// Starts the real `baricadr serve` executable on a free loopback port and talks HTTP to it.
#include "httptest.h"
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
    void unwritableTaskLogDirRefused();
    void summaryLineAndCleanSigint();
    void badReposRefusedWithExactError();
    void nonBcryptHtpasswdRefused();
    void authAndTlsOnTheRealService();
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
    const QByteArray err = server.readAllStandardError();
    QVERIFY2(err.contains("--listen must be HOST:PORT"), err.constData()); // where the value came from
}

void TestServeSmoke::unwritableTaskLogDirRefused()
{
    // Every task writes its log there: a service that cannot would freeze without a record.
    test::ServeProcess serve;
    const QString file = serve.path(QStringLiteral("not-a-dir"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    serve.setEnv(QStringLiteral("TASK_LOG_DIR"), file + QStringLiteral("/tasks"));
    QVERIFY(!serve.start());
    QTRY_VERIFY_WITH_TIMEOUT(!serve.isRunning(), 10000);
    QCOMPARE(serve.stop(), 1);
    QVERIFY2(serve.log().contains(
                 QStringLiteral("TASK_LOG_DIR: cannot write task logs in \"%1/tasks\"").arg(file)),
             qPrintable(serve.log()));
}

void TestServeSmoke::summaryLineAndCleanSigint()
{
    test::ServeProcess serve;
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    QString line;
    for (const QString &l : serve.log().split(u'\n'))
        if (l.contains(u"listening on"))
            line = l;
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

// The real `baricadr serve` with every protection on at once, configured the way an admin does
// (environment): HTTPS with a self-signed certificate, Basic auth from an `htpasswd -B` file (what
// barique sends) and a bearer token.
void TestServeSmoke::authAndTlsOnTheRealService()
{
    test::ServeProcess serve;
    const QString cert = serve.path(QStringLiteral("cert.pem"));
    const QString key = serve.path(QStringLiteral("key.pem"));
    QVERIFY(test::createSelfSignedCertificate(cert, key));
    const QString htpasswd = serve.path(QStringLiteral("htpasswd"));
    QProcess tool;
    tool.start(QStringLiteral("htpasswd"),
               {u"-B"_qs, u"-b"_qs, u"-c"_qs, htpasswd, u"alice"_qs, u"wonder land"_qs});
    QVERIFY(tool.waitForFinished(30000));
    QCOMPARE(tool.exitCode(), 0);
    const QString tokens = serve.path(QStringLiteral("tokens"));
    QFile f(tokens);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("robot-token-0123456789\n");
    f.close();
    serve.setEnv(QStringLiteral("AUTH_HTPASSWD_FILE"), htpasswd);
    serve.setEnv(QStringLiteral("AUTH_TOKENS_FILE"), tokens);
    serve.setEnv(QStringLiteral("TLS_CERT_FILE"), cert);
    serve.setEnv(QStringLiteral("TLS_KEY_FILE"), key);
    QVERIFY2(serve.start(true), qPrintable(serve.log()));
    QVERIFY2(serve.log().contains(u"auth: on, tls: on"), qPrintable(serve.log()));
    QVERIFY(serve.base().startsWith(u"https://"));

    // Plain HTTP on the TLS port gets no HTTP answer; an untrusted certificate neither.
    test::HttpTester plain(QStringLiteral("http://127.0.0.1:%1").arg(serve.port()));
    QCOMPARE(plain.raw("GET", QStringLiteral("/version"), QByteArray(), 5000).status, 0);
    test::HttpTester untrusted(serve.base());
    QCOMPARE(untrusted.get(QStringLiteral("/version")).status, 0);

    test::HttpTester http(serve.base());
    http.trust(QSslCertificate::fromPath(cert));
    // Public without credentials.
    QCOMPARE(http.get(QStringLiteral("/version")).status, 200);
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    // Everything else needs them; a wrong password and an unknown user get the same answer.
    const test::HttpAnswer none = http.get(QStringLiteral("/tasks"));
    QCOMPARE(none.status, 401);
    QVERIFY(none.header("WWW-Authenticate").startsWith("Basic"));
    http.setBasic("alice", "wonderland");
    const test::HttpAnswer wrong = http.get(QStringLiteral("/tasks"));
    QCOMPARE(wrong.status, 401);
    http.setBasic("mallory", "wonder land");
    QCOMPARE(http.get(QStringLiteral("/tasks")).body, wrong.body);
    QCOMPARE(http.post(QStringLiteral("/pull"), {{u"path"_qs, serve.path(u"repo/x"_qs)}}).status, 401);

    http.setBasic("alice", "wonder land");
    QCOMPARE(http.get(QStringLiteral("/tasks")).status, 200);
    const test::HttpAnswer endpoints = http.get(QStringLiteral("/endpoints"));
    QCOMPARE(endpoints.status, 200);
    QCOMPARE(endpoints.object().value(u"task_show").toString(), u"/tasks/status/<task_id>"_qs);
    http.setAuthorization("Bearer robot-token-0123456789");
    QCOMPARE(http.get(QStringLiteral("/tasks")).status, 200);
    // Secrets never in the log.
    QVERIFY(!serve.log().contains(u"wonder land"));
    QVERIFY(!serve.log().contains(u"robot-token-0123456789"));
    QCOMPARE(serve.stop(), 0);
}

QTEST_GUILESS_MAIN(TestServeSmoke)
#include "tst_serve_smoke.moc"
