// A watermark freeze run by the engine for real: the repo lives on its own small loop-mounted
// ext4 filesystem (needs root; skipped otherwise), the remote on a real `rclone serve sftp` on
// loopback, the store in SQLite. The freeze must take verified files oldest-access-first until
// the filesystem is under the low watermark and stop there, never take a file read within
// freeze_min_age days or a pinned one, and journal every file it removed.
#include "loopmount.h"
#include "sftpserver.h"
#include "testtree.h"

#include "repo/filesystem.h"
#include "store/taskstore.h"
#include "tasks/runners.h"
#include "tasks/storetaskrecords.h"
#include "tasks/taskengine.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace baricadr;

#define QCOMPARE_WIRE(actual, expected) QCOMPARE(baricadr::toString(actual), baricadr::toString(expected))

class TestEngineWatermark : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void freezesOldestFirstDownToTheLowWatermark();
};

void TestEngineWatermark::freezesOldestFirstDownToTheLowWatermark()
{
    const QString unavailable = test::LoopMount::unavailableReason();
    if (!unavailable.isEmpty())
        QSKIP(qPrintable(unavailable));
    QTemporaryDir work;
    test::LoopMount mount;
    QVERIFY2(mount.mount(work.path(), u"relatime"_qs, 48), qPrintable(mount.errorString()));
    const QString root = mount.mountPoint() + u"/repo"_qs;
    const QString served = work.filePath(u"served"_qs);
    const QString remote = served + u"/backup"_qs;
    constexpr qint64 kMiB = 1024 * 1024;

    // 24 cold files of 1 MiB, file cNN last read (400 - 10*NN) days ago; 3 files read 2 days
    // ago (inside freeze_min_age); the oldest file of all is pinned.
    QRandomGenerator rng(11);
    QStringList cold;
    auto write = [&](const QString &rel) {
        QByteArray content(int(kMiB), Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(content.data()), content.size() / 4);
        return test::writeFile(root, rel, content);
    };
    for (int i = 0; i < 24; ++i) {
        const QString rel = u"data/c%1.bin"_qs.arg(i, 2, 10, QLatin1Char('0'));
        QVERIFY(write(rel));
        cold << rel;
    }
    const QStringList recent{u"data/recent0.bin"_qs, u"data/recent1.bin"_qs, u"data/recent2.bin"_qs};
    for (const QString &rel : recent)
        QVERIFY(write(rel));
    QVERIFY(write(u"pinned/oldest.bin"_qs));
    QVERIFY(QDir().mkpath(served));
    QCOMPARE(QProcess::execute(u"cp"_qs, {u"-a"_qs, root, remote}), 0);
    for (int i = 0; i < cold.size(); ++i)
        QVERIFY(test::setAtimeDaysAgo(root + u'/' + cold[i], 400 - 10 * i));
    for (const QString &rel : recent)
        QVERIFY(test::setAtimeDaysAgo(root + u'/' + rel, 2));
    QVERIFY(test::setAtimeDaysAgo(root + u"/pinned/oldest.bin"_qs, 800));
    QCOMPARE(QProcess::execute(u"sync"_qs, {}), 0);

    const auto before = filesystemUsage(root);
    QVERIFY(before.ok());
    // Ask for about 6 MiB to be freed: low = usage now minus 6 MiB worth of percent.
    const double capacity = double(before->used + before->available);
    const int low = int(std::floor(before->usedPercent - 6.0 * kMiB / capacity * 100.0));
    QVERIFY2(low > 5, qPrintable(u"usage %1%"_qs.arg(before->usedPercent)));
    const qint64 target = qint64(capacity * low / 100.0);
    const qint64 toFree = before->used - target;
    const qint64 expectedFiles = (toFree + kMiB - 1) / kMiB; // whole 1 MiB files, oldest first
    QVERIFY(expectedFiles >= 4 && expectedFiles < cold.size());

    test::SftpServer server(served);
    QVERIFY(server.start());
    RepoConfig repo = server.repoFor(root, u"backup"_qs);
    repo.freezable = true;
    repo.freezeAge = 180;
    repo.freezeMinAge = 7;
    repo.disableAtimeTest = true;
    repo.watermarkHigh = low + 1;
    repo.watermarkLow = low;

    auto store = TaskStore::open(DatabaseUri::sqlite(work.filePath(u"data/baricadr.sqlite"_qs)));
    QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
    StoreTaskRecords records(store->get());
    Pin pin;
    pin.path = root + u"/pinned"_qs;
    pin.repoRoot = root;
    pin.created = QDateTime::currentDateTimeUtc();
    QVERIFY(records.addPin(pin).ok());
    EngineSettings settings;
    settings.taskLogDir = work.filePath(u"logs"_qs);
    settings.cleanupIntervalSeconds = 0;
    RcloneOptions rclone;
    rclone.contimeoutSeconds = 5;
    rclone.ioTimeoutSeconds = 10;
    TaskEngine engine(&records, {repo}, makeRunnerFactory(rclone), settings);

    SubmitExtra extra;
    extra.scheduled = true;
    extra.watermarkLow = low;
    const auto id = engine.submit(TaskType::Freeze, root, {}, extra);
    QVERIFY2(id.ok(), id ? "" : qPrintable(id.error().message));
    QDeadlineTimer deadline(120000);
    while (engine.liveTask(*id) && !deadline.hasExpired())
        QTest::qWait(20);
    const TaskInfo t = *(*store)->task(*id);
    QVERIFY2(t.status == TaskStatus::Finished, qPrintable(t.error));

    // The oldest cold files, and only as many as needed.
    const QStringList expected = cold.mid(0, expectedFiles);
    QSet<QString> journaled;
    const auto journal = (*store)->journalForTask(*id);
    QVERIFY(journal.ok());
    for (const JournalEntry &e : *journal)
        journaled.insert(e.relPath);
    QCOMPARE(journaled, QSet<QString>(expected.cbegin(), expected.cend()));
    QCOMPARE(t.result.files, expectedFiles);
    for (const QString &rel : expected)
        QVERIFY2(!QFileInfo::exists(root + u'/' + rel), qPrintable(rel));
    for (const QString &rel : cold.mid(expectedFiles))
        QVERIFY2(QFileInfo::exists(root + u'/' + rel), qPrintable(rel));
    for (const QString &rel : recent)
        QVERIFY2(QFileInfo::exists(root + u'/' + rel), qPrintable(rel));
    QVERIFY(QFileInfo::exists(root + u"/pinned/oldest.bin"_qs));
    QCOMPARE(QDir(remote + u"/data"_qs).entryList(QDir::Files).size(), cold.size() + recent.size());

    QCOMPARE(QProcess::execute(u"sync"_qs, {}), 0);
    const auto after = filesystemUsage(root);
    QVERIFY(after.ok());
    QVERIFY2(after->used <= target, qPrintable(u"used %1 > target %2 (%3% for low %4%)"_qs.arg(after->used)
                                                   .arg(target)
                                                   .arg(after->usedPercent)
                                                   .arg(low)));
}

QTEST_GUILESS_MAIN(TestEngineWatermark)
#include "tst_engine_watermark.moc"
