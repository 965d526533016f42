// POST /pull answers with a task id only once the task is committed in the store: a real
// `baricadr serve` killed with SIGKILL right after its answer (before it has started the task's
// rclone or written the task's log, which happen after the answer) still knows every task it
// acknowledged when it starts again, and reports it done or failed "interrupted", never lost and
// never left running.
#include "httptest.h"
#include "servedaemon.h"

#include <QDir>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;
using namespace baricadr::test;

class TestServePullAck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedPullsSurviveKillNine();
};

void TestServePullAck::acknowledgedPullsSurviveKillNine()
{
    QTemporaryDir dir;
    const QString root = QDir(dir.path()).canonicalPath();
    const QString repo = root + QStringLiteral("/repo");
    const QString remote = root + QStringLiteral("/remote");
    QVERIFY(QDir().mkpath(repo));
    QVERIFY(QDir().mkpath(remote + QStringLiteral("/d")));
    QFile remoteFile(remote + QStringLiteral("/d/file.txt"));
    QVERIFY(remoteFile.open(QIODevice::WriteOnly));
    remoteFile.write("on the remote\n");
    remoteFile.close();

    ServeDaemon serve(root + QStringLiteral("/state"));
    serve.setReposYaml(QStringLiteral("%1:\n    backend: local\n    path: %2\n").arg(repo, remote).toUtf8());

    QSet<QString> acknowledged;
    const int rounds = 4;
    const int perRound = 25;
    for (int round = 0; round < rounds; ++round) {
        QVERIFY2(serve.start(), qPrintable(serve.log()));
        HttpTester http(serve.base());
        if (round > 0) {
            // Everything acknowledged before the earlier kills is there, and finished or failed.
            for (const QString &id : std::as_const(acknowledged)) {
                const HttpAnswer a = http.get(QStringLiteral("/tasks/status/") + id);
                QVERIFY2(a.status == 200, qPrintable(QStringLiteral("acknowledged task lost: ") + id));
                const QString status = a.object().value(u"status").toString();
                QVERIFY2(status == u"finished" || status == u"failed",
                         qPrintable(id + QStringLiteral(" is ") + status));
                if (status == u"failed")
                    QVERIFY2(a.object().value(u"error").toString().contains(u"interrupted"),
                             qPrintable(a.object().value(u"error").toString()));
            }
        }
        for (int i = 0; i < perRound; ++i) {
            const QString path = repo + QStringLiteral("/r%1/p%2").arg(round).arg(i); // a new task each
            const HttpAnswer a = http.post(QStringLiteral("/pull"), {{QStringLiteral("path"), path}});
            QCOMPARE(a.status, 200);
            const QString id = a.object().value(u"task").toString();
            QVERIFY(!id.isEmpty());
            acknowledged.insert(id);
        }
        serve.kill9(); // at once after the last answer: its task has not started yet
    }

    QVERIFY2(serve.start(), qPrintable(serve.log()));
    HttpTester http(serve.base());
    QCOMPARE(acknowledged.size(), rounds * perRound);
    for (const QString &id : std::as_const(acknowledged)) {
        const HttpAnswer a = http.get(QStringLiteral("/tasks/status/") + id);
        QVERIFY2(a.status == 200, qPrintable(QStringLiteral("acknowledged task lost: ") + id));
        const QString status = a.object().value(u"status").toString();
        QVERIFY2(status == u"finished" || status == u"failed",
                 qPrintable(id + QStringLiteral(" is ") + status));
    }
    // And the service still pulls.
    const HttpAnswer a =
        http.post(QStringLiteral("/pull"), {{QStringLiteral("path"), QString(repo + QStringLiteral("/d"))}});
    QCOMPARE(a.status, 200);
    const QString id = a.object().value(u"task").toString();
    QString status;
    for (int i = 0; i < 600 && status != u"finished" && status != u"failed"; ++i) {
        QTest::qWait(50);
        status = http.get(QStringLiteral("/tasks/status/") + id).object().value(u"status").toString();
    }
    QCOMPARE(status, QStringLiteral("finished"));
    QFile pulled(repo + QStringLiteral("/d/file.txt"));
    QVERIFY(pulled.open(QIODevice::ReadOnly));
    QCOMPARE(pulled.readAll(), QByteArray("on the remote\n"));
    QVERIFY(http.get(QStringLiteral("/tasks/log/") + id).body.contains("Finished"));
    QCOMPARE(serve.stop(), 0);
}

QTEST_GUILESS_MAIN(TestServePullAck)
#include "tst_serve_pullack.moc"
