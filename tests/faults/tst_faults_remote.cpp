// The remote goes away (the loopback `rclone serve sftp` is killed with SIGKILL) while a real
// `baricadr serve` is listing it, pulling from it or freezing against it. What must hold: the
// task fails with an error that says the remote cannot be reached, the service stays up, nothing
// is deleted that was not verified (every missing file is journaled and backed up), no partial
// file is left in the repo, and once the remote is back the same request succeeds.
// Also here, a local resource fault of the same kind: the repo's disk fills up during a pull.
// (The same faults one layer down: tests/pull/tst_puller.cpp::remoteGoesAwayMidTransfer,
// tests/rclone/tst_remotelister.cpp::remoteGoesAwayMidListing,
// tests/freeze/tst_freezejob.cpp::remoteKilledMidFreeze.)
#include "faultsupport.h"
#include "loopmount.h"
#include "servedaemon.h"

#include <QFileSystemWatcher>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTimer>

using namespace baricadr;
using namespace baricadr::test;

class TestFaultsRemote : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pullRemoteGoneMidTransfer();
    void freezeRemoteGoneMidListing();
    void freezeRemoteGoneMidFreeze();
    void listRemoteGoneMidListing();
    void pullDiskFull();

private:
    void startAll(const QByteArray &extraYaml = QByteArray());
    bool remoteUnreachableError(const QString &error) const
    {
        return error.contains(QStringLiteral("cannot be reached")) ||
               error.contains(QStringLiteral("127.0.0.1:%1").arg(m_sftp->port()));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_local, m_served;
    std::unique_ptr<SftpServer> m_sftp;
    std::unique_ptr<ServeDaemon> m_serve;
    std::unique_ptr<HttpTester> m_http;
};

void TestFaultsRemote::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_local = m_dir->filePath(QStringLiteral("repo"));
    m_served = m_dir->filePath(QStringLiteral("served"));
    QVERIFY(QDir().mkpath(m_local));
    QVERIFY(QDir().mkpath(m_served + QStringLiteral("/backup")));
}

void TestFaultsRemote::cleanup()
{
    if (m_serve && QTest::currentTestFailed())
        qWarning().noquote() << m_serve->log();
    m_http.reset();
    m_serve.reset();
    m_sftp.reset();
    m_dir.reset();
}

void TestFaultsRemote::startAll(const QByteArray &extraYaml)
{
    m_sftp = std::make_unique<SftpServer>(m_served, plainCredentials());
    QVERIFY(m_sftp->start());
    m_serve = std::make_unique<ServeDaemon>(m_dir->filePath(QStringLiteral("state")));
    m_serve->setReposYaml(sftpRepoYaml(m_local, *m_sftp, QStringLiteral("backup"), extraYaml));
    QVERIFY2(m_serve->start(), qPrintable(m_serve->log()));
    m_http = std::make_unique<HttpTester>(m_serve->base());
}

void TestFaultsRemote::pullRemoteGoneMidTransfer()
{
    constexpr qint64 kSize = 512LL * 1024 * 1024;
    {
        QVERIFY(QDir().mkpath(m_served + QStringLiteral("/backup/big")));
        QFile big(m_served + QStringLiteral("/backup/big/blob.bin"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(kSize)); // sparse on the server's disk, real bytes on the wire
    }
    startAll();
    const HttpAnswer a =
        m_http->post(QStringLiteral("/pull"), {{u"path"_qs, QString(m_local + QStringLiteral("/big"))}});
    QCOMPARE(a.status, 200);
    const QString task = a.object().value(u"task").toString();
    // Kill the remote once bytes are arriving (in the staging area, never under the final name).
    const QString staging = m_local + QStringLiteral("/.baricadr-staging");
    auto stagedBytes = [&] {
        qint64 n = 0;
        for (const QString &rel : filesUnder(staging))
            n += QFileInfo(staging + u'/' + rel).size();
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(stagedBytes() > 0, 60000);
    m_sftp->kill();
    const QJsonObject t = waitTaskDone(*m_http, task);
    qInfo().noquote() << "pull, remote killed mid-transfer:" << t.value(u"status").toString() << "-"
                      << t.value(u"error").toString();
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
    QVERIFY2(remoteUnreachableError(t.value(u"error").toString()), qPrintable(t.value(u"error").toString()));
    QVERIFY(!lexists(m_local + QStringLiteral("/big/blob.bin"))); // no partial file
    QCOMPARE(filesUnder(m_local), QSet<QString>());               // staging cleaned too
    QCOMPARE(m_http->get(QStringLiteral("/health")).status, 200);

    // The remote is back: the same pull completes.
    QVERIFY(m_sftp->restart());
    const HttpAnswer b =
        m_http->post(QStringLiteral("/pull"), {{u"path"_qs, QString(m_local + QStringLiteral("/big"))}});
    QCOMPARE(b.status, 200);
    QCOMPARE(waitTaskDone(*m_http, b.object().value(u"task").toString(), 300000).value(u"status").toString(),
             QStringLiteral("finished"));
    QCOMPARE(QFileInfo(m_local + QStringLiteral("/big/blob.bin")).size(), kSize);
    QCOMPARE(m_serve->stop(), 0);
}

void TestFaultsRemote::freezeRemoteGoneMidListing()
{
    // 3,000 cold candidates: the planner asks the remote with one streaming listing. The remote
    // is killed as soon as rclone is connected to it.
    const QHash<QString, QByteArray> files = makeTree(m_local, 30, 100);
    QVERIFY(QDir(m_served + QStringLiteral("/backup")).removeRecursively());
    QVERIFY(copyTree(m_local, m_served + QStringLiteral("/backup")));
    QVERIFY(ageTree(m_local, 400));
    startAll("  freezable: true\n  freeze_age: 180\n");
    const HttpAnswer a = m_http->post(QStringLiteral("/freeze"), {{u"path"_qs, m_local}});
    QCOMPARE(a.status, 200);
    const QString task = a.object().value(u"task").toString();
    QTRY_VERIFY_WITH_TIMEOUT(hasEstablishedConnection(m_sftp->port()), 60000);
    m_sftp->kill();
    const QJsonObject t = waitTaskDone(*m_http, task);
    qInfo().noquote() << "freeze, remote killed mid-listing:" << t.value(u"status").toString() << "-"
                      << t.value(u"error").toString();
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
    QVERIFY2(remoteUnreachableError(t.value(u"error").toString()), qPrintable(t.value(u"error").toString()));
    // Nothing was verified, so nothing was deleted.
    for (auto it = files.constBegin(); it != files.constEnd(); ++it)
        QCOMPARE(readFileNoAtime(m_local + u'/' + it.key()), it.value());
    QCOMPARE(m_serve->stop(), 0);
    QString error;
    QVERIFY(journalOf(m_serve->databasePath(), {task}, &error).isEmpty());
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestFaultsRemote::freezeRemoteGoneMidFreeze()
{
    // 6,000 cold files: more than one execution chunk (5,000 files, each chunk's remote copies
    // checked right before it runs). The remote dies at the first deletion: the first chunk was
    // verified and may go on; the second cannot be verified and must not be frozen.
    const QHash<QString, QByteArray> files = makeTree(m_local, 60, 100);
    QVERIFY(QDir(m_served + QStringLiteral("/backup")).removeRecursively());
    QVERIFY(copyTree(m_local, m_served + QStringLiteral("/backup")));
    QVERIFY(ageTree(m_local, 400));
    startAll("  freezable: true\n  freeze_age: 180\n");
    QStringList dirs;
    for (int d = 0; d < 60; ++d)
        dirs << m_local + QStringLiteral("/d%1").arg(d, 3, 10, QLatin1Char('0'));
    QFileSystemWatcher watcher(dirs);
    bool killed = false;
    connect(&watcher, &QFileSystemWatcher::directoryChanged, this, [&] {
        if (!killed) {
            killed = true; // the first file is gone: the remote goes away now
            m_sftp->kill();
        }
    });
    const HttpAnswer a = m_http->post(QStringLiteral("/freeze"), {{u"path"_qs, m_local}});
    QCOMPARE(a.status, 200);
    const QString task = a.object().value(u"task").toString();
    const QJsonObject t = waitTaskDone(*m_http, task);
    QVERIFY(killed);
    qInfo().noquote() << "freeze, remote killed after the first deletion:" << t.value(u"status").toString()
                      << "-" << t.value(u"error").toString();
    int missing = 0;
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        if (lexists(m_local + u'/' + it.key()))
            QCOMPARE(readFileNoAtime(m_local + u'/' + it.key()), it.value());
        else
            ++missing;
    }
    qInfo("%d of %lld files frozen before/while the remote went away", missing, qlonglong(files.size()));
    QVERIFY(missing < files.size()); // the second chunk could not be verified
    {
        QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
        QVERIFY2(remoteUnreachableError(t.value(u"error").toString()),
                 qPrintable(t.value(u"error").toString()));
    }
    QCOMPARE(m_serve->stop(), 0);
    QString error;
    const QHash<QString, qint64> journal = journalOf(m_serve->databasePath(), {task}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(journal.size(), missing);
    for (auto it = files.constBegin(); it != files.constEnd(); ++it)
        if (!lexists(m_local + u'/' + it.key()))
            QVERIFY2(journal.value(it.key(), -1) == it.value().size(), qPrintable(it.key()));
}

void TestFaultsRemote::listRemoteGoneMidListing()
{
    // 20,000 remote files; POST /list of everything; the remote dies once rclone is connected.
    for (int d = 0; d < 100; ++d)
        for (int f = 0; f < 200; ++f)
            QVERIFY(writeFile(m_served + QStringLiteral("/backup/d%1").arg(d), QStringLiteral("f%1").arg(f),
                              "x"));
    startAll();
    QNetworkAccessManager nam;
    QNetworkRequest req(QUrl(m_serve->base() + QStringLiteral("/list")));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply =
        nam.post(req, QJsonDocument(QJsonObject{{u"path"_qs, m_local}, {u"max_depth"_qs, 0}})
                          .toJson(QJsonDocument::Compact));
    QTRY_VERIFY_WITH_TIMEOUT(hasEstablishedConnection(m_sftp->port()) || reply->isFinished(), 60000);
    m_sftp->kill();
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 120000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
    reply->deleteLater();
    qInfo().noquote() << "list, remote killed mid-listing:" << status
                      << (doc.isObject() ? doc.object().value(u"error").toString()
                                         : QStringLiteral("%1 entries").arg(doc.array().size()));
    if (status == 200) {
        QCOMPARE(doc.array().size(), 20000); // a success is never a partial listing
    } else {
        QVERIFY2(status >= 400, qPrintable(QString::number(status)));
        QVERIFY2(remoteUnreachableError(doc.object().value(u"error").toString()),
                 qPrintable(doc.object().value(u"error").toString()));
    }
    QCOMPARE(m_http->get(QStringLiteral("/health")).status, 200);
    QVERIFY(m_sftp->restart());
    const HttpAnswer again =
        m_http->post(QStringLiteral("/list"), {{u"path"_qs, m_local}, {u"max_depth"_qs, 0}});
    QCOMPARE(again.status, 200);
    QCOMPARE(again.array().size(), 20000);
    QCOMPARE(m_serve->stop(), 0);
}

void TestFaultsRemote::pullDiskFull()
{
    // The repo lives on a real 32 MiB ext4 loop mount; the backup holds a 64 MiB file. rclone
    // gets ENOSPC from the kernel (not a simulation). Needs root and loop devices.
    const QString unavailable = LoopMount::unavailableReason();
    if (!unavailable.isEmpty())
        QSKIP(qPrintable(unavailable));
    LoopMount mount;
    QVERIFY2(mount.mount(m_dir->path(), QStringLiteral("relatime"), 32), qPrintable(mount.errorString()));
    m_local = mount.mountPoint() + QStringLiteral("/repo");
    QVERIFY(QDir().mkpath(m_local));
    QVERIFY(writeFile(m_served + QStringLiteral("/backup/data"), QStringLiteral("small.txt"), "small\n"));
    {
        QFile big(m_served + QStringLiteral("/backup/data/big.bin"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(64LL * 1024 * 1024));
    }
    startAll();
    const HttpAnswer a =
        m_http->post(QStringLiteral("/pull"), {{u"path"_qs, QString(m_local + QStringLiteral("/data"))}});
    QCOMPARE(a.status, 200);
    const QJsonObject t = waitTaskDone(*m_http, a.object().value(u"task").toString());
    qInfo().noquote() << "pull onto a full disk:" << t.value(u"status").toString() << "-"
                      << t.value(u"error").toString();
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
    QVERIFY2(t.value(u"error").toString().contains(QStringLiteral("disk is full")),
             qPrintable(t.value(u"error").toString()));
    QVERIFY(!lexists(m_local + QStringLiteral("/data/big.bin"))); // no partial file
    QVERIFY(!lexists(m_local + QStringLiteral("/.baricadr-staging")));
    QCOMPARE(m_http->get(QStringLiteral("/health")).status, 200);
    QCOMPARE(m_serve->stop(), 0);
    m_serve.reset();
    QVERIFY(mount.unmount());
}

QTEST_GUILESS_MAIN(TestFaultsRemote)
#include "tst_faults_remote.moc"
