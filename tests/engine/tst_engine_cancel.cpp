// Cancelling a running freeze and a running pull (hard and graceful) through the engine, with the
// product runners, real rclone against a real `rclone serve sftp` on loopback and the real SQLite
// store.
//
// The freeze covers hundreds of files; the test cancels it from inside the store write of the
// Nth journal row (the first moment the freeze has provably removed files), so the cancel lands
// mid-way every time, without sleeps. Afterwards: the task is `cancelled`; every file that is gone
// is in the freeze journal and every journal row names a file that is gone (nothing deleted
// unrecorded, nothing recorded undeleted); each removed file had the same size on the remote
// (verified); the files not reached are still there with their content; the remote is untouched;
// a second freeze of the same path runs and finishes the job, keeping the files whose remote copy
// differs.
//
// The pull copies a 1 GiB file (sparse on the server, real bytes on the wire) and is cancelled on
// the first progress report with bytes received: the task is `cancelled`, no partial file is in
// the repo or left in its staging area, and a new pull then brings the whole file.
#include "sftpserver.h"
#include "testtree.h"

#include "store/taskstore.h"
#include "tasks/runners.h"
#include "tasks/storetaskrecords.h"
#include "tasks/taskengine.h"
#include "tasks/tasklog.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace baricadr;

#define QCOMPARE_WIRE(actual, expected) QCOMPARE(baricadr::toString(actual), baricadr::toString(expected))

namespace {

constexpr int kDirs = 8;
constexpr int kFilesPerDir = 50;
constexpr int kCancelAfter = 30; // journal rows written when the cancel is asked

// The product records, plus a hook called right after each journal row is committed.
class HookedRecords : public StoreTaskRecords
{
public:
    using StoreTaskRecords::StoreTaskRecords;
    std::function<void(const JournalEntry &)> afterRecord;

    Status recordFrozen(const JournalEntry &entry) override
    {
        const Status s = StoreTaskRecords::recordFrozen(entry);
        if (s && afterRecord)
            afterRecord(entry);
        return s;
    }
};

QByteArray contentFor(const QString &rel)
{
    return QByteArray("content of ") + rel.toUtf8() + QByteArray(64, 'x');
}

QSet<QString> filesUnder(const QString &root)
{
    QSet<QString> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.insert(QDir(root).relativeFilePath(it.next()));
    return out;
}

} // namespace

class TestEngineCancel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void cancelRunningFreeze_data();
    void cancelRunningFreeze();
    void cancelRunningPull_data();
    void cancelRunningPull();

private:
    TaskInfo waitDone(const QString &id, int timeoutMs = 120000);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<test::SftpServer> m_server;
    std::unique_ptr<TaskStore> m_store;
    std::unique_ptr<HookedRecords> m_records;
    std::unique_ptr<TaskEngine> m_engine;
    QString m_local;
    QString m_remote;
    QSet<QString> m_all;     // every file of the repo
    QSet<QString> m_differs; // files whose remote copy has another size: never frozen
};

void TestEngineCancel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_local = QFileInfo(m_dir->filePath(u"local"_qs)).absoluteFilePath();
    const QString served = m_dir->filePath(u"served"_qs);
    m_remote = served + u"/backup"_qs;
    m_all.clear();
    m_differs.clear();
    for (int d = 0; d < kDirs; ++d)
        for (int f = 0; f < kFilesPerDir; ++f) {
            const QString rel = u"d%1/sub/f%2.dat"_qs.arg(d).arg(f, 3, 10, QLatin1Char('0'));
            QVERIFY(test::writeFile(m_local, rel, contentFor(rel)));
            m_all.insert(rel);
        }
    QVERIFY(QDir().mkpath(served));
    QCOMPARE(QProcess::execute(u"cp"_qs, {u"-a"_qs, m_local, m_remote}), 0);
    // One file per directory differs on the remote (another size): a freeze must keep it.
    for (int d = 0; d < kDirs; ++d) {
        const QString rel = u"d%1/sub/f%2.dat"_qs.arg(d).arg(kFilesPerDir / 2, 3, 10, QLatin1Char('0'));
        QFile f(m_remote + u'/' + rel);
        QVERIFY(f.open(QIODevice::Append));
        f.write("the backup holds an older version");
        f.close();
        m_differs.insert(rel);
    }
    QVERIFY(test::ageTree(m_local, 400));

    m_server = std::make_unique<test::SftpServer>(served);
    QVERIFY(m_server->start());
    RepoConfig repo = m_server->repoFor(m_local, u"backup"_qs);
    repo.freezable = true;
    repo.freezeAge = 180;
    repo.disableAtimeTest = true;

    auto store = TaskStore::open(DatabaseUri::sqlite(m_dir->filePath(u"data/baricadr.sqlite"_qs)));
    QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
    m_store = std::move(store).value();
    m_records = std::make_unique<HookedRecords>(m_store.get());

    RcloneOptions rclone;
    rclone.contimeoutSeconds = 5;
    rclone.ioTimeoutSeconds = 60; // the server hashes the 1 GiB file after the copy: slow on a busy machine
    EngineSettings settings;
    settings.taskLogDir = m_dir->filePath(u"logs"_qs);
    settings.cleanupIntervalSeconds = 0;
    m_engine = std::make_unique<TaskEngine>(m_records.get(), QList<RepoConfig>{repo},
                                            makeRunnerFactory(rclone), settings);
}

void TestEngineCancel::cleanup()
{
    m_engine.reset();
    m_records.reset();
    m_store.reset();
    m_server.reset();
    m_dir.reset();
}

TaskInfo TestEngineCancel::waitDone(const QString &id, int timeoutMs)
{
    // Bounded: the task ends (rclone has its own timeouts) or the caller's checks fail.
    QDeadlineTimer deadline(timeoutMs);
    while (m_engine->liveTask(id) && !deadline.hasExpired())
        QTest::qWait(20);
    const auto stored = m_store->task(id);
    return stored ? *stored : TaskInfo{};
}

void TestEngineCancel::cancelRunningFreeze_data()
{
    QTest::addColumn<bool>("graceful");
    QTest::newRow("hard") << false;
    QTest::newRow("graceful") << true;
}

void TestEngineCancel::cancelRunningFreeze()
{
    QFETCH(bool, graceful);

    QString id;
    int recorded = 0;
    int recordedAfterCancel = 0;
    bool cancelAsked = false;
    m_records->afterRecord = [&](const JournalEntry &) {
        ++recorded;
        if (cancelAsked) {
            ++recordedAfterCancel;
            return;
        }
        if (recorded == kCancelAfter) {
            cancelAsked = true;
            const Status s = m_engine->cancel(id, graceful);
            QVERIFY2(s.ok(), s ? "" : qPrintable(s.error().message));
        }
    };

    const auto submitted = m_engine->submit(TaskType::Freeze, m_local, {});
    QVERIFY2(submitted.ok(), submitted ? "" : qPrintable(submitted.error().message));
    id = *submitted;
    const TaskInfo t = waitDone(id);
    QVERIFY2(cancelAsked, "the freeze ended before the cancel point: make the tree bigger");
    QCOMPARE_WIRE(t.status, TaskStatus::Cancelled);
    QVERIFY(t.finished.isValid());
    // The file in flight when the cancel came was the one just recorded: nothing after it.
    QCOMPARE(recordedAfterCancel, 0);

    // Exactly the journaled files are gone; all others are still there, unchanged.
    const auto journal = m_store->journalForTask(id);
    QVERIFY(journal.ok());
    QCOMPARE(journal->size(), qsizetype(kCancelAfter));
    QSet<QString> journaled;
    for (const JournalEntry &e : *journal) {
        QCOMPARE(e.taskId, id);
        QCOMPARE(e.repoRoot, m_local);
        QVERIFY2(!journaled.contains(e.relPath), qPrintable(e.relPath)); // each file once
        journaled.insert(e.relPath);
        // Verified before deleting: the remote copy exists with the size that was removed.
        QVERIFY2(!m_differs.contains(e.relPath), qPrintable(e.relPath));
        QCOMPARE(e.remoteSize, e.size);
        QCOMPARE(QFileInfo(m_remote + u'/' + e.relPath).size(), e.size);
    }
    const QSet<QString> present = filesUnder(m_local);
    QCOMPARE(present, m_all - journaled);
    QVERIFY(present.size() > kDirs); // mid-way: most of the repo was not reached
    for (const QString &rel : present)
        QCOMPARE(test::readFileNoAtime(m_local + u'/' + rel), contentFor(rel));
    QCOMPARE(filesUnder(m_remote), m_all); // the remote is never touched

    const QString log = *TaskLog::read(t.logFile);
    QCOMPARE(log.count(u"Z Frozen d"_qs), qsizetype(kCancelAfter)); // "<UTC stamp> Frozen <path>"
    QVERIFY(log.contains(graceful ? u"Cancel asked: stopping after the file in flight"_qs
                                  : u"Cancel asked: stopping now"_qs));
    QVERIFY(log.contains(u"Cancelled"_qs));

    // The path is free again: a new freeze finishes the job and still keeps what differs.
    m_records->afterRecord = nullptr;
    const auto again = m_engine->submit(TaskType::Freeze, m_local, {});
    QVERIFY(again.ok());
    QVERIFY(*again != id);
    const TaskInfo t2 = waitDone(*again);
    QVERIFY2(t2.status == TaskStatus::Finished, qPrintable(t2.error));
    QCOMPARE(t2.result.files, qint64(m_all.size() - m_differs.size() - kCancelAfter));
    QCOMPARE(filesUnder(m_local), m_differs);
    const auto journal2 = m_store->journalForTask(*again);
    QCOMPARE(journal2->size(), qsizetype(t2.result.files));
    for (const JournalEntry &e : *journal2)
        QVERIFY2(!journaled.contains(e.relPath), qPrintable(e.relPath));
    // The log says why each differing file was kept.
    const QString log2 = *TaskLog::read(t2.logFile);
    for (const QString &rel : std::as_const(m_differs))
        QVERIFY2(log2.contains(u"Kept "_qs + rel + u": "_qs), qPrintable(rel));
}

void TestEngineCancel::cancelRunningPull_data()
{
    cancelRunningFreeze_data();
}

void TestEngineCancel::cancelRunningPull()
{
    QFETCH(bool, graceful);
    constexpr qint64 kSize = 1024LL * 1024 * 1024;
    QVERIFY(QDir().mkpath(m_remote + u"/big"_qs));
    {
        QFile big(m_remote + u"/big/blob.bin"_qs);
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(kSize));
    }
    const QString target = m_local + u"/big/blob.bin"_qs;

    QString id;
    qint64 bytesAtCancel = -1;
    connect(m_engine.get(), &TaskEngine::taskChanged, this, [&](const TaskInfo &t) {
        if (t.id != id || bytesAtCancel >= 0 || t.status != TaskStatus::Pulling || t.progress.bytes <= 0)
            return;
        bytesAtCancel = t.progress.bytes;
        const Status s = m_engine->cancel(id, graceful);
        QVERIFY2(s.ok(), s ? "" : qPrintable(s.error().message));
    });
    const auto submitted = m_engine->submit(TaskType::Pull, m_local + u"/big"_qs, {});
    QVERIFY(submitted.ok());
    id = *submitted;
    const TaskInfo t = waitDone(id);
    QVERIFY2(bytesAtCancel > 0 && bytesAtCancel < kSize, qPrintable(QString::number(bytesAtCancel)));
    QCOMPARE_WIRE(t.status, TaskStatus::Cancelled);
    QVERIFY2(!QFileInfo::exists(target), "a partial file is in the repo");
    QVERIFY(!QFileInfo::exists(m_local + u"/.baricadr-staging"_qs)); // staging cleaned up
    QCOMPARE(QFileInfo(m_remote + u"/big/blob.bin"_qs).size(), kSize);

    // The path is free again and a new pull brings the whole file.
    m_engine->disconnect(this);
    const auto again = m_engine->submit(TaskType::Pull, m_local + u"/big"_qs, {});
    QVERIFY(again.ok());
    QVERIFY(*again != id);
    const TaskInfo t2 = waitDone(*again, 300000);
    QVERIFY2(t2.status == TaskStatus::Finished, qPrintable(t2.error));
    QCOMPARE(QFileInfo(target).size(), kSize);
}

QTEST_GUILESS_MAIN(TestEngineCancel)
#include "tst_engine_cancel.moc"
