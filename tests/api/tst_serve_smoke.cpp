// Starts the real `baricadr serve` executable on a free loopback port and talks HTTP to it.
#include "testenv.h"
#include "version.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace baricadr;

class TestServeSmoke : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void versionAnswersJson();
    void badListenIsRefused();
};

void TestServeSmoke::versionAnswersJson()
{
    const quint16 port = test::freeLoopbackPort();
    QVERIFY(port != 0);
    QProcess server;
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
}

void TestServeSmoke::badListenIsRefused()
{
    QProcess server;
    server.start(test::baricadrExecutable(),
                 {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:notaport")});
    QVERIFY(server.waitForFinished(10000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QVERIFY(server.exitCode() != 0);
    QVERIFY(server.readAllStandardError().contains("invalid port"));
}

QTEST_GUILESS_MAIN(TestServeSmoke)
#include "tst_serve_smoke.moc"
