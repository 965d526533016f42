// rclone itself misbehaving under a real `baricadr serve`: missing from PATH, exiting non-zero,
// printing garbage, cut-off JSON or well-formed JSON of the wrong shape, or dying from a signal.
//
// Fault injection: the service finds rclone on its PATH (RCLONE_PATH defaults to "rclone"), so
// the test starts it with PATH set to a directory holding a stand-in `rclone` shell script that
// misbehaves on purpose. Everything else is real (the service, its engine, SQLite, the repo on
// disk). This is the one place a fake rclone is legitimate: real rclone cannot be made to print
// garbage. For every case: POST /freeze (forced, every file cold) deletes nothing and the task
// ends failed with an error that names rclone; POST /pull of a deleted file brings nothing and
// leaves no partial file; POST /list answers an error in JSON; the service stays up.
#include "faultsupport.h"
#include "servedaemon.h"

#include <QTemporaryDir>

using namespace baricadr;
using namespace baricadr::test;

class TestFaultsRclone : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void misbehavingRclone_data();
    void misbehavingRclone();
};

void TestFaultsRclone::misbehavingRclone_data()
{
    QTest::addColumn<QByteArray>("script"); // body of the stand-in; empty: no rclone on PATH at all
    QTest::addColumn<QString>("mentions");  // the task error must contain this

    QTest::newRow("missing from PATH") << QByteArray() << u"rclone"_qs;
    QTest::newRow("exits 1 with a message")
        << QByteArray("echo 'Failed to create file system for \"x:\": something broke badly' >&2\nexit 1\n")
        << u"something broke badly"_qs;
    QTest::newRow("exits 2 silently") << QByteArray("exit 2\n") << u"exit code 2"_qs;
    QTest::newRow("garbage, exit 0")
        << QByteArray("printf '\\377\\376garbage \\000 not json\\n{{{{\\n'\nprintf 'noise\\n' >&2\nexit 0\n")
        << u"rclone"_qs;
    QTest::newRow("cut-off JSON, exit 0")
        << QByteArray("printf '[\\n{\"Path\":\"file.txt\",\"Name\":\"file.txt\",\"Size\":2'\nexit 0\n")
        << u"rclone"_qs;
    QTest::newRow("JSON of the wrong shape, exit 0")
        << QByteArray("printf '[\\n{\"Path\":7,\"Size\":\"big\",\"ModTime\":[],\"IsDir\":\"no\"},\\n"
                      "{\"Path\":\"file.txt\",\"Size\":-1,\"ModTime\":\"yesterday\"}\\n]\\n'\nexit 0\n")
        << u"rclone"_qs;
    QTest::newRow("killed by a signal") << QByteArray("kill -9 $$\n") << u"rclone"_qs;
}

void TestFaultsRclone::misbehavingRclone()
{
    QFETCH(QByteArray, script);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("repo"));
    const QString bin = dir.filePath(QStringLiteral("bin"));
    QVERIFY(createOriginalLayout(local));
    QVERIFY(ageTree(local, 400));
    QVERIFY(QDir().mkpath(bin));
    if (!script.isEmpty()) {
        QFile f(bin + QStringLiteral("/rclone"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\n" + script);
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    }
    // A repo whose remote is never reached (the stand-in answers instead of rclone).
    ServeDaemon serve(dir.filePath(QStringLiteral("state")));
    serve.setEnv(QStringLiteral("PATH"), bin);
    serve.setReposYaml(
        local.toUtf8() +
        ":\n  backend: sftp\n  url: \"127.0.0.1:backup\"\n  port: 9\n  user: u\n  password: p\n"
        "  freezable: true\n  freeze_age: 180\n");
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    HttpTester http(serve.base());

    // Freeze: nothing deleted, a failed task whose error names rclone (and what it said).
    HttpAnswer a = http.post(QStringLiteral("/freeze"), {{u"path"_qs, local}, {u"force"_qs, true}});
    QCOMPARE(a.status, 200);
    QJsonObject t = waitTaskDone(http, a.object().value(u"task").toString());
    qInfo().noquote() << "freeze:" << t.value(u"status").toString() << "-" << t.value(u"error").toString();
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
    QVERIFY2(t.value(u"error").toString().contains(mentions), qPrintable(t.value(u"error").toString()));
    for (const QString &rel : originalLayoutFiles())
        QVERIFY2(lexists(local + u'/' + rel), qPrintable(rel));

    // Pull of a deleted file: nothing placed, nothing partial, a failed task.
    QVERIFY(QFile::remove(local + QStringLiteral("/subdir/subfile.txt")));
    const QSet<QString> before = filesUnder(local);
    a = http.post(QStringLiteral("/pull"), {{u"path"_qs, QString(local + QStringLiteral("/subdir"))}});
    QCOMPARE(a.status, 200);
    t = waitTaskDone(http, a.object().value(u"task").toString());
    qInfo().noquote() << "pull:" << t.value(u"status").toString() << "-" << t.value(u"error").toString();
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
    QVERIFY2(t.value(u"error").toString().contains(mentions), qPrintable(t.value(u"error").toString()));
    QCOMPARE(filesUnder(local), before);

    // List: an error answer in JSON, not a made-up listing.
    a = http.post(QStringLiteral("/list"), {{u"path"_qs, local}});
    qInfo().noquote() << "list:" << a.status << a.errorText();
    QVERIFY2(a.status >= 400, a.body.constData());
    QVERIFY2(a.errorText().contains(QStringLiteral("rclone")), a.body.constData());

    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    QCOMPARE(serve.stop(), 0);
}

QTEST_GUILESS_MAIN(TestFaultsRclone)
#include "tst_faults_rclone.moc"
