// Schedules: due times from the persisted last run (pure), auto-freeze and verify timers across
// restarts (a "day" shrunk to one second), watermark checks with an injected usage figure.
#include "memoryrecords.h"
#include "scriptedrunner.h"

#include "tasks/scheduler.h"
#include "tasks/taskengine.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;
using namespace baricadr::test;

class TestScheduler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextDue_data();
    void nextDue();
    void firstStartDoesNotFreezeAtOnce();
    void overdueRunsOnceThenResumesTheInterval();
    void verifySchedule();
    void watermarkFreezeWhenOverHigh();

private:
    std::unique_ptr<TaskEngine> makeEngine(QList<RepoConfig> repos)
    {
        EngineSettings s;
        s.taskLogDir = m_dir.filePath(u"logs"_qs);
        return std::make_unique<TaskEngine>(&m_records, repos, m_factory.factory(), s);
    }
    RepoConfig autoRepo()
    {
        RepoConfig r;
        r.root = m_dir.filePath(u"auto"_qs);
        r.freezable = true;
        r.autoFreeze = true;
        r.autoFreezeInterval = 2; // "days" of one second here
        return r;
    }

    QTemporaryDir m_dir;
    MemoryRecords m_records;
    ScriptedFactory m_factory;
};

void TestScheduler::nextDue_data()
{
    QTest::addColumn<qint64>("lastAgo"); // seconds before now; -1 = never ran
    QTest::addColumn<qint64>("interval");
    QTest::addColumn<qint64>("dueIn"); // seconds after now
    QTest::newRow("never ran: one interval from now") << -1LL << 604800LL << 604800LL;
    QTest::newRow("ran recently: last + interval") << 3600LL << 604800LL << 601200LL;
    QTest::newRow("due exactly now") << 604800LL << 604800LL << 0LL;
    QTest::newRow("long downtime: now, once") << 60LL * 86400 << 604800LL << 0LL;
    QTest::newRow("ran just now") << 0LL << 10LL << 10LL;
}

void TestScheduler::nextDue()
{
    QFETCH(qint64, lastAgo);
    QFETCH(qint64, interval);
    QFETCH(qint64, dueIn);
    const QDateTime now(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);
    const std::optional<QDateTime> last = lastAgo < 0 ? std::nullopt : std::optional(now.addSecs(-lastAgo));
    QCOMPARE(now.secsTo(baricadr::nextDue(last, interval, now)), dueIn);
}

void TestScheduler::firstStartDoesNotFreezeAtOnce()
{
    const RepoConfig repo = autoRepo();
    auto engine = makeEngine({repo});
    SchedulerSettings settings;
    settings.secondsPerDay = 1;
    QDateTime firstStart;
    {
        Scheduler scheduler(engine.get(), &m_records, settings);
        QSignalSpy submitted(&scheduler, &Scheduler::submitted);
        firstStart = QDateTime::currentDateTimeUtc();
        scheduler.start();
        QTest::qWait(500);
        QCOMPARE(submitted.size(), 0); // no storm at first start
        const auto last = m_records.lastRun(repo.root, u"auto_freeze"_qs);
        QVERIFY(last->isValid()); // the schedule's start is remembered
        QVERIFY(qAbs(last->secsTo(firstStart)) <= 1);
    }
    // A restart one second later keeps the original due time instead of pushing it back.
    QTest::qWait(500);
    Scheduler again(engine.get(), &m_records, settings);
    QSignalSpy submitted(&again, &Scheduler::submitted);
    again.start();
    QVERIFY(qAbs(again.nextRun(repo.root, u"auto_freeze"_qs).msecsTo(firstStart.addSecs(2))) < 1000);
    QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 5000);
    QVERIFY(firstStart.msecsTo(QDateTime::currentDateTimeUtc()) >= 1900);
    const TaskInfo task = m_records.rows.value(submitted.first().at(2).toString());
    QCOMPARE(toString(task.type), u"freeze"_qs);
    QCOMPARE(task.path, repo.root);
    QVERIFY(task.scheduled);
}

void TestScheduler::overdueRunsOnceThenResumesTheInterval()
{
    const RepoConfig repo = autoRepo();
    QVERIFY(m_records.setLastRun(repo.root, u"auto_freeze"_qs, QDateTime::currentDateTimeUtc().addSecs(-100))
                .ok());
    auto engine = makeEngine({repo});
    SchedulerSettings settings;
    settings.secondsPerDay = 1;
    Scheduler scheduler(engine.get(), &m_records, settings);
    QSignalSpy submitted(&scheduler, &Scheduler::submitted);
    const QDateTime start = QDateTime::currentDateTimeUtc();
    scheduler.start();
    QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 1000); // 50 missed runs: one run now
    QTest::qWait(300);
    QCOMPARE(submitted.size(), 1);
    // The first freeze still runs (scripted runner), so the next run dedups into it: finish it.
    const QString first = submitted.first().at(2).toString();
    QTRY_VERIFY(m_factory.runners.value(first));
    m_factory.runners[first]->succeed();
    QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 2, 5000);
    QVERIFY(start.msecsTo(QDateTime::currentDateTimeUtc()) >= 1900);
    QVERIFY(submitted.at(1).at(2).toString() != first);
}

void TestScheduler::verifySchedule()
{
    RepoConfig repo;
    repo.root = m_dir.filePath(u"verified"_qs);
    repo.verifyInterval = 1;
    QVERIFY(m_records.setLastRun(repo.root, u"verify"_qs, QDateTime::currentDateTimeUtc().addSecs(-5)).ok());
    auto engine = makeEngine({repo});
    SchedulerSettings settings;
    settings.secondsPerDay = 1;
    Scheduler scheduler(engine.get(), &m_records, settings);
    QSignalSpy submitted(&scheduler, &Scheduler::submitted);
    scheduler.start();
    QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 1000);
    QCOMPARE(submitted.first().at(0).toString(), u"verify"_qs);
    QCOMPARE(toString(m_records.rows.value(submitted.first().at(2).toString()).type), u"verify"_qs);
    QVERIFY(!scheduler.nextRun(repo.root, u"auto_freeze"_qs).isValid()); // not an auto_freeze repo
}

void TestScheduler::watermarkFreezeWhenOverHigh()
{
    RepoConfig repo;
    repo.root = m_dir.filePath(u"full"_qs);
    repo.freezable = true;
    repo.watermarkHigh = 85;
    repo.watermarkLow = 75;
    RepoConfig other = repo;
    other.root = m_dir.filePath(u"notfreezable"_qs);
    other.freezable = false;
    auto engine = makeEngine({repo, other});
    double percent = 90;
    SchedulerSettings settings;
    settings.usage = [&](const QString &) -> Result<FsUsage> {
        FsUsage u;
        u.usedPercent = percent;
        return u;
    };
    Scheduler scheduler(engine.get(), &m_records, settings);
    const QStringList first = scheduler.checkWatermarks();
    QCOMPARE(first.size(), 1);
    const TaskInfo task = m_records.rows.value(first.first());
    QCOMPARE(task.path, repo.root);
    QCOMPARE(task.watermarkLow, 75);
    QVERIFY(task.scheduled);
    QCOMPARE(scheduler.checkWatermarks(), first); // still unfinished: the same task
    TaskOptions none;
    QVERIFY(*engine->submit(TaskType::Freeze, repo.root, none) != first.first()); // not a user freeze
    percent = 80;                                                                 // between low and high
    QTRY_VERIFY(m_factory.runners.value(first.first()));
    m_factory.runners[first.first()]->succeed();
    QCOMPARE(scheduler.checkWatermarks(), QStringList());
    percent = 85;
    QCOMPARE(scheduler.checkWatermarks().size(), 1);
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
