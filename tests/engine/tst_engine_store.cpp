// The engine over the real TaskStore, once per backend (global rows "sqlite" and "postgresql",
// a throwaway PostgreSQL cluster): lifecycle rows, remove while running, recovery after a crash,
// cleanup, thaw from the journal, schedule state across restarts. Runners are scripted here so
// each test controls when tasks end; real pulls and freezes are in tst_engine_rclone.
#include "pgcluster.h"
#include "scriptedrunner.h"

#include "store/taskstore.h"
#include "tasks/scheduler.h"
#include "tasks/storetaskrecords.h"
#include "tasks/taskengine.h"
#include "tasks/tasklog.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace baricadr;
using namespace baricadr::test;

#define QCOMPARE_WIRE(actual, expected) QCOMPARE(baricadr::toString(actual), baricadr::toString(expected))

class TestEngineStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void lifecycleIsRecorded();
    void removeWhileRunning();
    void crashLeavesNothingRunning();
    void crashBetweenRecordAndUnlinkIsTakenBack();
    void cleanupRemovesOldTasksAndLogs();
    void thawFromTheStoredJournal();
    void autoFreezeStateSurvivesARestart();

private:
    DatabaseUri freshUri();
    void openStore();
    std::unique_ptr<TaskEngine> makeEngine(int workers = 2);
    TaskInfo row(const QString &id) { return *m_store->task(id); }

    PgCluster m_pg;
    QTemporaryDir m_tmp;
    int m_counter = 0;
    DatabaseUri m_uri;
    std::unique_ptr<TaskStore> m_store;
    std::unique_ptr<StoreTaskRecords> m_records;
    std::unique_ptr<ScriptedFactory> m_factory;
    QString m_repo;
};

void TestEngineStore::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_qs;
    QTest::newRow("postgresql") << u"postgresql"_qs;
}

void TestEngineStore::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
}

DatabaseUri TestEngineStore::freshUri()
{
    QFETCH_GLOBAL(QString, backend);
    const QString name = u"engine_%1"_qs.arg(++m_counter);
    if (backend == u"sqlite")
        return DatabaseUri::sqlite(m_tmp.filePath(name + u"/baricadr.sqlite"_qs));
    if (!m_pg.createDatabase(name))
        qFatal("createdb failed: %s", qPrintable(m_pg.errorString()));
    return *DatabaseUri::parse(m_pg.uri(name));
}

void TestEngineStore::openStore()
{
    m_records.reset();
    m_store.reset();
    auto store = TaskStore::open(m_uri);
    QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
    m_store = std::move(store).value();
    m_records = std::make_unique<StoreTaskRecords>(m_store.get());
}

void TestEngineStore::init()
{
    m_uri = freshUri();
    openStore();
    m_factory = std::make_unique<ScriptedFactory>();
    m_repo = m_tmp.filePath(u"repo%1"_qs.arg(m_counter));
}

void TestEngineStore::cleanup()
{
    m_records.reset();
    m_store.reset();
    m_factory.reset();
}

std::unique_ptr<TaskEngine> TestEngineStore::makeEngine(int workers)
{
    RepoConfig repo;
    repo.root = m_repo;
    repo.freezable = true;
    repo.autoFreeze = true;
    repo.autoFreezeInterval = 2;
    EngineSettings s;
    s.workers = workers;
    s.taskLogDir = m_tmp.filePath(u"logs"_qs);
    s.progressWriteIntervalMs = 100;
    return std::make_unique<TaskEngine>(m_records.get(), QList<RepoConfig>{repo}, m_factory->factory(), s);
}

void TestEngineStore::lifecycleIsRecorded()
{
    auto engine = makeEngine(1);
    TaskOptions options;
    options.email = u"me@example.org"_qs;
    options.dryRun = true;
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, options);
    const QString b = *engine->submit(TaskType::Freeze, m_repo + u"/b"_qs, {});
    QCOMPARE_WIRE(row(a).status, TaskStatus::Waiting);
    QCOMPARE(row(a).options.email, options.email);
    QVERIFY(row(a).options.dryRun);
    QTRY_COMPARE(engine->runningCount(), 1);
    QCOMPARE_WIRE(row(a).status, TaskStatus::Pulling);
    QVERIFY(row(a).started.isValid());
    TaskProgress p;
    p.bytes = 5;
    p.totalBytes = 10;
    m_factory->runners[a]->report(p);
    QTRY_COMPARE(row(a).progress.bytes, 5);
    m_factory->runners[a]->succeed(2, 20);
    const TaskInfo done = row(a);
    QCOMPARE_WIRE(done.status, TaskStatus::Finished);
    QVERIFY(done.finished >= done.started);
    QCOMPARE(done.result.files, 2);
    QCOMPARE(done.result.bytes, 20);
    QVERIFY(done.error.isEmpty());
    QTRY_COMPARE(toString(row(b).status), toString(TaskStatus::Freezing));
    m_factory->runners[b]->fail(u"Failed to create file system: connection refused"_qs);
    QCOMPARE_WIRE(row(b).status, TaskStatus::Failed);
    QCOMPARE(row(b).error, u"Failed to create file system: connection refused"_qs);

    // What another process opening the database sees.
    openStore();
    QCOMPARE_WIRE(row(a).status, TaskStatus::Finished);
    QCOMPARE_WIRE(row(b).status, TaskStatus::Failed);
}

void TestEngineStore::removeWhileRunning()
{
    auto engine = makeEngine();
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    const QString log = row(a).logFile;
    QVERIFY(engine->remove(a).ok());
    QCOMPARE(m_store->task(a).error().code, ErrorCode::NotFound);
    QVERIFY(!QFile::exists(log));
    QCOMPARE(engine->remove(a).error().code, ErrorCode::NotFound);
}

void TestEngineStore::crashLeavesNothingRunning()
{
    QString running, waiting;
    {
        auto engine = makeEngine(1);
        running = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
        waiting = *engine->submit(TaskType::Pull, m_repo + u"/b"_qs, {});
        QTRY_COMPARE(engine->runningCount(), 1);
        // The process dies here: no shutdown, nothing recorded.
    }
    openStore();
    QCOMPARE_WIRE(row(running).status, TaskStatus::Pulling);
    auto engine = makeEngine();
    const auto ids = engine->recoverInterrupted();
    QVERIFY(ids.ok());
    QCOMPARE(QSet<QString>(ids->cbegin(), ids->cend()), (QSet<QString>{running, waiting}));
    for (const QString &id : {running, waiting}) {
        QCOMPARE_WIRE(row(id).status, TaskStatus::Failed);
        QCOMPARE(row(id).error, u"interrupted"_qs);
        QVERIFY(row(id).finished.isValid());
    }
    QVERIFY(m_store->unfinishedTasks()->isEmpty());
}

// A freeze journals each file right before unlinking it. Killed between the two, it leaves a
// row for a file that is still in the repo: the restart takes that row back (the journal must
// list what was removed, for audit, verify and thaw) and keeps the rows of removed files, and
// of a path that now holds some other file.
void TestEngineStore::crashBetweenRecordAndUnlinkIsTakenBack()
{
    QVERIFY(QDir().mkpath(m_repo + u"/d"_qs));
    auto write = [this](const QString &rel, const QByteArray &data) {
        QFile f(m_repo + u'/' + rel);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(data), data.size());
    };
    auto statOf = [this](const QString &rel, JournalEntry &e) {
        struct stat st
        {
        };
        QCOMPARE(::lstat(QFile::encodeName(m_repo + u'/' + rel).constData(), &st), 0);
        e.size = st.st_size;
        e.mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
    };
    QString freeze;
    {
        auto engine = makeEngine();
        freeze = *engine->submit(TaskType::Freeze, m_repo + u"/d"_qs, {});
        QTRY_COMPARE(engine->runningCount(), 1);
        auto entry = [&](const QString &rel) {
            JournalEntry e;
            e.taskId = freeze;
            e.repoRoot = m_repo;
            e.relPath = rel;
            e.frozenAt = QDateTime::currentDateTimeUtc();
            return e;
        };
        JournalEntry removed = entry(u"d/removed.txt"_qs); // recorded, then unlinked
        write(removed.relPath, "gone");
        statOf(removed.relPath, removed);
        QVERIFY(QFile::remove(m_repo + u'/' + removed.relPath));
        JournalEntry interrupted = entry(u"d/interrupted.txt"_qs); // recorded, never unlinked
        write(interrupted.relPath, "still here");
        statOf(interrupted.relPath, interrupted);
        JournalEntry replaced = entry(u"d/replaced.txt"_qs); // unlinked, then a new file there
        replaced.size = 3;
        replaced.mtimeNs = 1'000'000'000LL;
        write(replaced.relPath, "a different file");
        for (const JournalEntry &e : {removed, interrupted, replaced})
            QVERIFY(m_records->recordFrozen(e).ok());
        // The process dies here.
    }
    openStore();
    auto engine = makeEngine();
    const auto ids = engine->recoverInterrupted();
    QVERIFY(ids.ok());
    QCOMPARE(*ids, QStringList{freeze});
    const auto journal = m_store->journalForTask(freeze);
    QVERIFY(journal.ok());
    QStringList left;
    for (const JournalEntry &e : *journal)
        left << e.relPath;
    left.sort();
    QCOMPARE(left, (QStringList{u"d/removed.txt"_qs, u"d/replaced.txt"_qs}));
    QVERIFY(QFile::exists(m_repo + u"/d/interrupted.txt"_qs)); // and untouched
}

void TestEngineStore::cleanupRemovesOldTasksAndLogs()
{
    auto engine = makeEngine();
    const QString a = *engine->submit(TaskType::Pull, m_repo + u"/a"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    m_factory->runners[a]->succeed();
    const QString b = *engine->submit(TaskType::Pull, m_repo + u"/b"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    m_factory->runners[b]->succeed();
    TaskInfo old = row(a);
    old.finished = QDateTime::currentDateTimeUtc().addDays(-400);
    QVERIFY(m_store->updateTask(old).ok());
    QVERIFY(QFile::exists(old.logFile));
    QCOMPARE(*engine->cleanupOld(), 1);
    QCOMPARE(m_store->task(a).error().code, ErrorCode::NotFound);
    QVERIFY(!QFile::exists(old.logFile));
    QVERIFY(m_store->task(b).ok());
}

void TestEngineStore::thawFromTheStoredJournal()
{
    auto engine = makeEngine();
    const QString f = *engine->submit(TaskType::Freeze, m_repo + u"/d"_qs, {});
    QTRY_COMPARE(engine->runningCount(), 1);
    for (const QString &rel : {u"d/x.txt"_qs, u"d/sub/y.txt"_qs}) {
        JournalEntry e;
        e.taskId = f;
        e.repoRoot = m_repo;
        e.relPath = rel;
        e.size = 3;
        e.frozenAt = QDateTime::currentDateTimeUtc();
        QVERIFY(m_records->recordFrozen(e).ok());
    }
    m_factory->runners[f]->succeed(2, 6);
    const auto t = engine->thaw(f);
    QVERIFY2(t.ok(), t ? "" : qPrintable(t.error().message));
    const TaskInfo thaw = row(*t);
    QCOMPARE(thaw.thawOf, f);
    QCOMPARE(thaw.files, (QStringList{u"x.txt"_qs, u"sub/y.txt"_qs}));
    QCOMPARE(thaw.path, m_repo + u"/d"_qs);
}

void TestEngineStore::autoFreezeStateSurvivesARestart()
{
    SchedulerSettings ss;
    ss.secondsPerDay = 1;
    QDateTime first;
    {
        auto engine = makeEngine();
        Scheduler scheduler(engine.get(), m_records.get(), ss);
        first = QDateTime::currentDateTimeUtc();
        scheduler.start();
        QSignalSpy submitted(&scheduler, &Scheduler::submitted);
        QTest::qWait(300);
        QCOMPARE(submitted.size(), 0);
    }
    openStore(); // a restarted service
    QVERIFY(qAbs(m_store->lastRun(m_repo, u"auto_freeze"_qs)->secsTo(first)) <= 1);
    auto engine = makeEngine();
    Scheduler scheduler(engine.get(), m_records.get(), ss);
    QSignalSpy submitted(&scheduler, &Scheduler::submitted);
    scheduler.start();
    QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 5000);
    QVERIFY(first.msecsTo(QDateTime::currentDateTimeUtc()) >= 1900);
    const QDateTime ran = *m_store->lastRun(m_repo, u"auto_freeze"_qs);
    QVERIFY(ran.msecsTo(QDateTime::currentDateTimeUtc()) < 2000);
    QCOMPARE(row(submitted.first().at(2).toString()).scheduled, true);
}

QTEST_GUILESS_MAIN(TestEngineStore)
#include "tst_engine_store.moc"
