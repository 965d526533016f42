// The engine's queue behaviour (worker slots, dedup, waiting, cancel, remove, thaw, recovery,
// cleanup, progress throttling) driven with scripted runners and in-memory records, so each test
// controls exactly when tasks end. Real pulls and freezes: tst_engine_rclone.
#include "memoryrecords.h"
#include "scriptedrunner.h"

#include "tasks/taskengine.h"
#include "tasks/tasklog.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;
using namespace baricadr::test;

class TestTaskQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void workerLimitAndFifo();
    void identicalAndDescendantRequestsShareATask();
    void ancestorWaitsForDescendants();
    void pullDuringAFreezeWaitsInsteadOfMerging();
    void refusesBadRequests();
    void cancelWaitingAndRunning();
    void gracefulCancelThatCompletesIsFinished();
    void removeRunningTask();
    void removeFinishedTaskDeletesItsLog();
    void failureIsRecordedWithItsError();
    void thawPullsExactlyTheJournal();
    void recoveryAndZombies();
    void cleanupOldTasks();
    void cleanupRunsEveryInterval();
    void progressIsThrottled();
    void shutdownCancelsEverything();

private:
    std::unique_ptr<TaskEngine> makeEngine(int workers = 2);
    TaskInfo stored(const QString &id) { return m_records->rows.value(id); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemoryRecords> m_records;
    std::unique_ptr<ScriptedFactory> m_factory;
    QString m_repo;   // not freezable
    QString m_frozen; // freezable
};

void TestTaskQueue::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_records = std::make_unique<MemoryRecords>();
    m_factory = std::make_unique<ScriptedFactory>();
    m_repo = m_dir->filePath(u"repo"_qs);
    m_frozen = m_dir->filePath(u"cold"_qs);
}

void TestTaskQueue::cleanup()
{
    m_factory.reset();
    m_records.reset();
    m_dir.reset();
}

std::unique_ptr<TaskEngine> TestTaskQueue::makeEngine(int workers)
{
    RepoConfig a;
    a.root = m_repo;
    a.password = u"s3cr3t-pass"_qs;
    RepoConfig b;
    b.root = m_frozen;
    b.freezable = true;
    EngineSettings s;
    s.workers = workers;
    s.taskLogDir = m_dir->filePath(u"logs"_qs);
    s.progressWriteIntervalMs = 200;
    return std::make_unique<TaskEngine>(m_records.get(), QList<RepoConfig>{a, b}, m_factory->factory(), s);
}

void TestTaskQueue::workerLimitAndFifo()
{
    auto engine = makeEngine(2);
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    const QString b = *engine->submit(TaskType::Pull, m_repo + u"/b"_qs, {});
    const QString c = *engine->submit(TaskType::Pull, m_repo + u"/c"_qs, {});
    const QString d = *engine->submit(TaskType::Freeze, m_frozen, {});
    QCOMPARE(toString(stored(a).status), toString(TaskStatus::Waiting));
    QTRY_COMPARE(engine->runningCount(), 2);
    QCOMPARE(m_factory->startOrder, (QStringList{a, b}));
    QCOMPARE(toString(stored(a).status), toString(TaskStatus::Pulling));
    QVERIFY(stored(a).started.isValid());
    QCOMPARE(toString(stored(c).status), toString(TaskStatus::Waiting));
    QCOMPARE(engine->waitingCount(), 2);

    m_factory->runners[b]->succeed();
    QCOMPARE(toString(stored(b).status), toString(TaskStatus::Finished));
    QVERIFY(stored(b).finished.isValid());
    QTRY_COMPARE(m_factory->startOrder, (QStringList{a, b, c}));
    QCOMPARE(engine->runningCount(), 2);
    m_factory->runners[a]->succeed();
    QTRY_COMPARE(m_factory->startOrder, (QStringList{a, b, c, d}));
    QCOMPARE(toString(stored(d).status), toString(TaskStatus::Freezing));
}

void TestTaskQueue::identicalAndDescendantRequestsShareATask()
{
    auto engine = makeEngine();
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/d"_qs, {});
    QCOMPARE(*engine->submit(TaskType::Pull, m_repo + u"/d"_qs, {}), a);
    QCOMPARE(*engine->submit(TaskType::Pull, m_repo + u"/d/sub/file.txt"_qs, {}), a);
    QTRY_COMPARE(engine->runningCount(), 1);
    QCOMPARE(*engine->submit(TaskType::Pull, m_repo + u"/d/x"_qs, {}), a); // running still covers
    QVERIFY(*engine->submit(TaskType::Pull, m_repo + u"/dd"_qs, {}) != a); // not a component match
    TaskOptions dry;
    dry.dryRun = true;
    QVERIFY(*engine->submit(TaskType::Pull, m_repo + u"/d"_qs, dry) != a);
    TaskOptions mail;
    mail.email = u"x@example.org"_qs;
    QVERIFY(*engine->submit(TaskType::Pull, m_repo + u"/d"_qs, mail) != a);
    QCOMPARE(m_records->rows.size(), 4);
    m_factory->runners[a]->succeed();
    QVERIFY(*engine->submit(TaskType::Pull, m_repo + u"/d"_qs, {}) != a); // a finished task covers nothing
    const QString log = *TaskLog::read(stored(a).logFile);
    QVERIFY(log.contains(u"Also answers a pull request for "_qs + m_repo + u"/d/sub/file.txt"_qs));
}

void TestTaskQueue::ancestorWaitsForDescendants()
{
    auto engine = makeEngine(4);
    const QString x = *engine->submit(TaskType::Pull, m_repo + u"/d/x"_qs, {});
    const QString y = *engine->submit(TaskType::Pull, m_repo + u"/d/y"_qs, {});
    const QString d = *engine->submit(TaskType::Pull, m_repo + u"/d"_qs, {});
    QVERIFY(d != x && d != y);
    QTRY_COMPARE(engine->runningCount(), 2);
    QCOMPARE(toString(stored(d).status), toString(TaskStatus::Waiting));
    m_factory->runners[x]->succeed();
    QTest::qWait(20); // a queued pump would have started it by now, if it were allowed to
    QCOMPARE(toString(stored(d).status), toString(TaskStatus::Waiting));
    m_factory->runners[y]->succeed();
    QTRY_COMPARE(toString(stored(d).status), toString(TaskStatus::Pulling));
    const QString log = *TaskLog::read(stored(d).logFile);
    QVERIFY(log.contains(u"Waiting for 2 earlier task(s) on overlapping paths: "_qs + x + u", "_qs + y));
    QVERIFY(log.contains(u"No longer waiting: task "_qs + y + u" is done"_qs));
}

void TestTaskQueue::pullDuringAFreezeWaitsInsteadOfMerging()
{
    auto engine = makeEngine();
    const QString f = *engine->submit(TaskType::Freeze, m_frozen, {}, SubmitExtra{{}, {}, true, 0});
    QTRY_COMPARE(engine->runningCount(), 1);
    const QString p = *engine->submit(TaskType::Pull, m_frozen + u"/a/file"_qs, {});
    QVERIFY(p != f);
    QTest::qWait(20);
    QCOMPARE(toString(stored(p).status), toString(TaskStatus::Waiting));
    m_factory->runners[f]->succeed();
    QTRY_COMPARE(toString(stored(p).status), toString(TaskStatus::Pulling));
}

void TestTaskQueue::refusesBadRequests()
{
    auto engine = makeEngine();
    auto r = engine->submit(TaskType::Pull, u"/elsewhere/x"_qs, {});
    QVERIFY(!r);
    QCOMPARE(r.error().message, u"Could not find baricadr repository for path \"/elsewhere/x/\""_qs);
    TaskOptions force;
    force.force = true;
    r = engine->submit(TaskType::Freeze, m_repo + u"/a"_qs, force);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::NotFreezable);
    QVERIFY(r.error().message.contains(m_repo));
    r = engine->submit(TaskType::Pull, m_repo + u"/a/../b"_qs, {});
    QCOMPARE(r.error().code, ErrorCode::InvalidInput);
    QCOMPARE(m_records->rows.size(), 0);
}

void TestTaskQueue::cancelWaitingAndRunning()
{
    auto engine = makeEngine(1);
    QSignalSpy finished(engine.get(), &TaskEngine::taskFinished);
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    const QString b = *engine->submit(TaskType::Pull, m_repo + u"/b"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    QVERIFY(engine->cancel(b).ok()); // waiting: at once
    QCOMPARE(toString(stored(b).status), toString(TaskStatus::Cancelled));
    QVERIFY(stored(b).finished.isValid());
    QVERIFY(!m_factory->runners.contains(b));

    QVERIFY(engine->cancel(a).ok()); // running: the runner is stopped
    QCOMPARE(m_factory->runners.value(a) ? m_factory->runners[a]->cancelCalls : QList<bool>{false},
             QList<bool>{false});
    QCOMPARE(toString(stored(a).status), toString(TaskStatus::Cancelled));
    QCOMPARE(stored(a).error, u"cancelled"_qs);
    QCOMPARE(finished.size(), 2);

    QCOMPARE(engine->cancel(a).error().code, ErrorCode::Conflict);
    QCOMPARE(engine->cancel(u"nope"_qs).error().code, ErrorCode::NotFound);
    QVERIFY(TaskLog::read(stored(a).logFile)->contains(u"Cancel asked: stopping now"_qs));
}

void TestTaskQueue::gracefulCancelThatCompletesIsFinished()
{
    auto engine = makeEngine(1);
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    QVERIFY(engine->cancel(a, true).ok());
    QCOMPARE(m_factory->runners[a]->cancelCalls, QList<bool>{true});
    // Being cancelled, it no longer absorbs new requests.
    const QString b = *engine->submit(TaskType::Pull, m_repo + u"/a/x"_qs, {});
    QVERIFY(b != a);
    QCOMPARE(toString(stored(b).status), toString(TaskStatus::Waiting));
    m_factory->runners[a]->succeed(); // the file in flight was the last one
    QCOMPARE(toString(stored(a).status), toString(TaskStatus::Finished));
    QTRY_COMPARE(toString(stored(b).status), toString(TaskStatus::Pulling));
}

void TestTaskQueue::removeRunningTask()
{
    auto engine = makeEngine(2);
    QSignalSpy removed(engine.get(), &TaskEngine::taskRemoved);
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    const QString logFile = stored(a).logFile;
    QTRY_VERIFY(QFile::exists(logFile)); // written by the background log writer
    QVERIFY(engine->remove(a).ok());
    QCOMPARE(removed.size(), 1);
    QVERIFY(!m_records->rows.contains(a));
    QVERIFY(!QFile::exists(logFile));
    QCOMPARE(engine->runningCount(), 0);
    QCOMPARE(engine->remove(a).error().message, u"Task not found in Baricadr database."_qs);
}

void TestTaskQueue::removeFinishedTaskDeletesItsLog()
{
    auto engine = makeEngine();
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    m_factory->runners[a]->succeed(3, 300);
    QCOMPARE(stored(a).result.files, 3);
    const QString logFile = stored(a).logFile;
    QVERIFY(TaskLog::read(logFile)->contains(u"Finished: 3 file(s) pulled, 300 bytes"_qs));
    QVERIFY(engine->remove(a).ok());
    QVERIFY(!m_records->rows.contains(a));
    QVERIFY(!QFile::exists(logFile));
}

void TestTaskQueue::failureIsRecordedWithItsError()
{
    auto engine = makeEngine();
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    m_factory->runners[a]->fail(u"remote unreachable: connection refused"_qs);
    QCOMPARE(toString(stored(a).status), toString(TaskStatus::Failed));
    QCOMPARE(stored(a).error, u"remote unreachable: connection refused"_qs);
    const QString log = *TaskLog::read(stored(a).logFile);
    QVERIFY(log.contains(u"Failed: remote unreachable: connection refused"_qs));
    QVERIFY(log.contains(u"runner started for"_qs));
    QVERIFY(!log.contains(u"s3cr3t-pass"_qs));
}

void TestTaskQueue::thawPullsExactlyTheJournal()
{
    auto engine = makeEngine();
    const QString f = *engine->submit(TaskType::Freeze, m_frozen + u"/sub"_qs, {});
    QCOMPARE(engine->thaw(f).error().code, ErrorCode::Conflict); // still running
    QTRY_COMPARE(engine->runningCount(), 1);
    for (const QString &rel : {u"sub/a.txt"_qs, u"sub/deep/b.txt"_qs}) {
        JournalEntry e;
        e.taskId = f;
        e.repoRoot = m_frozen;
        e.relPath = rel;
        QVERIFY(m_records->recordFrozen(e).ok());
    }
    m_factory->runners[f]->succeed(2, 20);
    const auto t = engine->thaw(f, u"me@example.org"_qs);
    QVERIFY(t.ok());
    const TaskInfo thaw = stored(*t);
    QCOMPARE(toString(thaw.type), toString(TaskType::Pull));
    QCOMPARE(thaw.path, m_frozen + u"/sub"_qs);
    QCOMPARE(thaw.files, (QStringList{u"a.txt"_qs, u"deep/b.txt"_qs}));
    QCOMPARE(thaw.thawOf, f);
    QCOMPARE(thaw.options.email, u"me@example.org"_qs);
    // A thaw never merges with a plain pull, nor a plain pull with it.
    QVERIFY(*engine->submit(TaskType::Pull, m_frozen + u"/sub"_qs, {}) != *t);

    const QString p = *engine->submit(TaskType::Pull, m_repo, {});
    QCOMPARE(engine->thaw(p).error().code, ErrorCode::InvalidInput);
    QCOMPARE(engine->thaw(u"nope"_qs).error().code, ErrorCode::NotFound);
    TaskOptions dry;
    dry.dryRun = true;
    const QString df = *engine->submit(TaskType::Freeze, m_frozen + u"/other"_qs, dry);
    QVERIFY(engine->cancel(df).ok());
    QVERIFY(engine->thaw(df).error().message.contains(u"dry run"_qs));
}

void TestTaskQueue::recoveryAndZombies()
{
    TaskInfo left;
    left.id = u"left-running"_qs;
    left.status = TaskStatus::Pulling;
    left.path = m_repo;
    m_records->rows.insert(left.id, left);
    auto engine = makeEngine();
    const auto ids = engine->recoverInterrupted();
    QCOMPARE(*ids, QStringList{left.id});
    QCOMPARE(toString(stored(left.id).status), toString(TaskStatus::Failed));
    QCOMPARE(stored(left.id).error, u"interrupted"_qs);

    const QString live = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    TaskInfo zombie = left;
    zombie.id = u"zombie"_qs;
    zombie.status = TaskStatus::Waiting;
    m_records->rows.insert(zombie.id, zombie);
    QCOMPARE(*engine->cleanupZombies(), QStringList{zombie.id});
    QCOMPARE(toString(stored(zombie.id).status), toString(TaskStatus::Failed));
    QVERIFY(!isFinal(stored(live).status)); // a task this engine runs is no zombie
}

void TestTaskQueue::cleanupOldTasks()
{
    auto engine = makeEngine();
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    const QString b = *engine->submit(TaskType::Pull, m_repo + u"/b"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 2);
    m_factory->runners[a]->succeed();
    m_factory->runners[b]->fail(u"x"_qs);
    const QString c = *engine->submit(TaskType::Pull, m_repo + u"/c"_qs, {});
    m_records->rows[a].finished = QDateTime::currentDateTimeUtc().addDays(-400);
    m_records->rows[b].finished = QDateTime::currentDateTimeUtc().addDays(-366);
    const QString logA = stored(a).logFile;
    QTRY_VERIFY(QFile::exists(logA)); // written by the background log writer
    QCOMPARE(*engine->cleanupOld(), 2);
    QVERIFY(!m_records->rows.contains(a));
    QVERIFY(!m_records->rows.contains(b));
    QVERIFY(m_records->rows.contains(c));
    QVERIFY(!QFile::exists(logA));
    QCOMPARE(*engine->cleanupOld(), 0);
}

void TestTaskQueue::cleanupRunsEveryInterval()
{
    // CLEANUP_INTERVAL: the engine removes old tasks on its own, without being asked.
    RepoConfig repo;
    repo.root = m_repo;
    EngineSettings settings;
    settings.taskLogDir = m_dir->filePath(u"logs"_qs);
    settings.cleanupIntervalSeconds = 1;
    settings.cleanupAgeSeconds = 3600;
    TaskEngine engine(m_records.get(), {repo}, m_factory->factory(), settings);
    const QString old = *engine.submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    const QString recent = *engine.submit(TaskType::Pull, m_repo + u"/b"_qs, {});
    QTRY_COMPARE(engine.runningCount(), 2);
    m_factory->runners[old]->succeed();
    m_factory->runners[recent]->succeed();
    m_records->rows[old].finished = QDateTime::currentDateTimeUtc().addSecs(-7200);
    const QString logOld = stored(old).logFile;
    QTRY_VERIFY(QFile::exists(logOld)); // written by the background log writer
    QSignalSpy removed(&engine, &TaskEngine::taskRemoved);
    QTRY_VERIFY_WITH_TIMEOUT(!m_records->rows.contains(old), 5000);
    QVERIFY(!QFile::exists(logOld));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().first().toString(), old);
    QVERIFY(m_records->rows.contains(recent)); // finished a moment ago: kept
}

void TestTaskQueue::progressIsThrottled()
{
    auto engine = makeEngine();
    QSignalSpy changed(engine.get(), &TaskEngine::taskChanged);
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    changed.clear();
    for (int i = 1; i <= 50; ++i) {
        TaskProgress p;
        p.bytes = i;
        p.totalBytes = 50;
        m_factory->runners[a]->report(p);
    }
    QCOMPARE(changed.size(), 50); // every report is signalled
    QCOMPARE(changed.last().first().value<TaskInfo>().progress.bytes, 50);
    QCOMPARE(engine->liveTask(a)->progress.bytes, 50);
    QTRY_COMPARE(stored(a).progress.bytes, 50); // the store gets the latest within the interval
    QCOMPARE(m_records->progressWrites, 1);     // ... in one write
}

void TestTaskQueue::shutdownCancelsEverything()
{
    auto engine = makeEngine(1);
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    const QString b = *engine->submit(TaskType::Pull, m_repo + u"/b"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    QSignalSpy drained(engine.get(), &TaskEngine::drained);
    engine->shutdown();
    QTRY_COMPARE(drained.size(), 1);
    QCOMPARE(toString(stored(a).status), toString(TaskStatus::Cancelled));
    QCOMPARE(toString(stored(b).status), toString(TaskStatus::Cancelled));
    QVERIFY(!engine->submit(TaskType::Pull, m_repo + u"/c"_qs, {}));
}

QTEST_GUILESS_MAIN(TestTaskQueue)
#include "tst_taskqueue.moc"
