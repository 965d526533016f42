// LocalService and Application over real parts: a repos.yml loaded by the real loader, the real
// SQLite store, the engine lock. Checks what the front ends rely on: exact validation messages,
// a freeze on a repo that is not freezable refused (even with force) before any task exists,
// task lookups, logs, pins, repos, one engine per database, recovery at start.
#include "service/application.h"
#include "service/localservice.h"
#include "store/taskstore.h"
#include "tasks/taskengine.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;

class TestLocalService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void refusesBadPullsWithTheOriginalsMessages();
    void freezeOnANonFreezableRepoIsRefused();
    void submitNormalisesAndDedups();
    void unknownTaskAndLog();
    void pinsAndRepos();
    void oneEnginePerDatabase();
    void recoversInterruptedTasksAtStart();
    void zombiesAreFailedOnTheIntervalAndOnRequest();
    void unreadableMailCaRefusedAtStart();

private:
    Settings settings() const;
    template<typename T> static T wait(QFuture<T> f)
    {
        f.waitForFinished();
        return f.result();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_hot;  // repo, not freezable
    QString m_cold; // repo, freezable
    std::unique_ptr<Application> m_app;
};

Settings TestLocalService::settings() const
{
    Settings s;
    s.reposConf = m_dir->filePath(u"repos.yml"_qs);
    s.taskLogDir = m_dir->filePath(u"logs"_qs);
    s.dataDir = m_dir->filePath(u"data"_qs);
    s.databaseUri = u"sqlite:///"_qs + m_dir->filePath(u"data/baricadr.sqlite"_qs);
    s.workers = 1;
    return s;
}

void TestLocalService::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_hot = m_dir->filePath(u"hot"_qs);
    m_cold = m_dir->filePath(u"cold"_qs);
    QDir().mkpath(m_dir->filePath(u"backup/hot"_qs));
    QDir().mkpath(m_dir->filePath(u"backup/cold"_qs));
    QFile yml(m_dir->filePath(u"repos.yml"_qs));
    QVERIFY(yml.open(QIODevice::WriteOnly));
    yml.write((m_hot + u":\n    backend: local\n    path: "_qs + m_dir->filePath(u"backup/hot"_qs) +
               u"\n"_qs + m_cold + u":\n    backend: local\n    path: "_qs +
               m_dir->filePath(u"backup/cold"_qs) +
               u"\n    freezable: true\n    disable_atime_test: true\n"_qs)
                  .toUtf8());
    yml.close();
    auto app = Application::create(settings());
    QVERIFY2(app.ok(), app ? "" : qPrintable(app.error().message));
    m_app = std::move(app).value();
}

void TestLocalService::cleanup()
{
    m_app.reset();
    m_dir.reset();
}

void TestLocalService::refusesBadPullsWithTheOriginalsMessages()
{
    auto *service = m_app->service();
    auto r = wait(service->submitPull({u"/nowhere/x/"_qs, {}, false}));
    QVERIFY(!r);
    QCOMPARE(r.error().message, u"Could not find baricadr repository for path \"/nowhere/x/\""_qs);
    r = wait(service->submitPull({m_hot + u"/../elsewhere"_qs, {}, false}));
    QCOMPARE(r.error().message,
             u"Could not find baricadr repository for path \"%1/\""_qs.arg(m_dir->filePath(u"elsewhere"_qs)));
    r = wait(service->submitPull({m_hot + u"/a"_qs, u"not-an-address"_qs, false}));
    QCOMPARE(r.error().message, u"The email address is not valid. It must have exactly one @-sign."_qs);
    r = wait(service->submitPull({QString(), {}, false}));
    QCOMPARE(r.error().message, u"Missing \"path\""_qs);
    r = wait(service->submitPull({m_hot + u"/a\0b"_qs, {}, false}));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::InvalidInput);
    QVERIFY(m_app->store()->tasks({})->isEmpty());
}

void TestLocalService::freezeOnANonFreezableRepoIsRefused()
{
    auto *service = m_app->service();
    for (bool force : {false, true}) {
        const auto r = wait(service->submitFreeze({m_hot + u"/a"_qs, {}, false, force}));
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::NotFreezable);
        QVERIFY2(r.error().message.contains(m_hot), qPrintable(r.error().message));
    }
    const auto preview = wait(service->previewFreeze({m_hot, {}, true, true}));
    QCOMPARE(preview.error().code, ErrorCode::NotFreezable);
    QVERIFY(m_app->store()->tasks({})->isEmpty());
}

void TestLocalService::submitNormalisesAndDedups()
{
    auto *service = m_app->service();
    const auto a = wait(service->submitPull({m_hot + u"//sub/./dir/"_qs, {}, false}));
    QVERIFY2(a.ok(), a ? "" : qPrintable(a.error().message));
    const auto task = wait(service->task(*a));
    QVERIFY(task.ok());
    QCOMPARE(task->path, m_hot + u"/sub/dir"_qs);
    QCOMPARE(task->repoRoot, m_hot);
    // Same request in other spellings, and a file below: the same task while it is unfinished
    // (no event is processed between the calls, so it has not started yet).
    QVERIFY(m_app->engine()->liveTask(*a));
    QCOMPARE(*wait(service->submitPull({m_hot + u"/sub/dir/../dir/file.txt"_qs, {}, false})), *a);
    QCOMPARE(*wait(service->submitPull({m_hot + u"/sub/dir"_qs, {}, false})), *a);
    QVERIFY(*wait(service->submitPull({m_hot + u"/sub/dir"_qs, {}, true})) != *a); // dry run: other options
    const auto list = wait(service->tasks({}));
    QVERIFY(list.ok());
    QVERIFY(!list->isEmpty());
}

void TestLocalService::unknownTaskAndLog()
{
    auto *service = m_app->service();
    const auto t = wait(service->task(u"0000"_qs));
    QCOMPARE(t.error().code, ErrorCode::NotFound);
    QCOMPARE(t.error().message, u"Task not found in Baricadr database. Maybe it is too old."_qs);
    QCOMPARE(wait(service->taskLog(u"0000"_qs)).error().code, ErrorCode::NotFound);
    QCOMPARE(wait(service->removeTask(u"0000"_qs)).error().message,
             u"Task not found in Baricadr database."_qs);

    const QString id = *wait(service->submitPull({m_hot + u"/x"_qs, {}, true}));
    const auto log = wait(service->taskLog(id));
    QVERIFY(log.ok());
    QVERIFY(log->contains(u"pull of "_qs + m_hot + u"/x asked (dry run: yes)"_qs));
    QVERIFY(wait(service->removeTask(id)).ok());
    QCOMPARE(wait(service->task(id)).error().code, ErrorCode::NotFound);
}

void TestLocalService::pinsAndRepos()
{
    auto *service = m_app->service();
    QVERIFY(wait(service->addPin(m_cold + u"/keep/"_qs, u"never freeze"_qs)).ok());
    QCOMPARE(wait(service->addPin(u"/nowhere"_qs, {})).error().code, ErrorCode::InvalidInput);
    const auto pins = wait(service->pins());
    QCOMPARE(pins->size(), 1);
    QCOMPARE(pins->first().path, m_cold + u"/keep"_qs);
    QCOMPARE(pins->first().repoRoot, m_cold);

    const auto repos = wait(service->repos());
    QVERIFY(repos.ok());
    QCOMPARE(repos->size(), 2);
    for (const RepoInfo &r : *repos) {
        QVERIFY(!r.atimeMode.isEmpty());
        QVERIFY(!r.settings.isEmpty());
        QCOMPARE(r.pins.size(), r.root == m_cold ? 1 : 0);
    }
    QVERIFY(wait(service->removePin(m_cold + u"/keep"_qs)).ok());
    QVERIFY(wait(service->pins())->isEmpty());
}

void TestLocalService::oneEnginePerDatabase()
{
    // In this process (the GUI opening a second engine) ...
    auto second = Application::create(settings());
    QVERIFY(!second);
    QCOMPARE(second.error().code, ErrorCode::Conflict);
    QVERIFY2(second.error().message.contains(u"pid %1"_qs.arg(QCoreApplication::applicationPid())),
             qPrintable(second.error().message));
    QVERIFY(second.error().message.contains(m_app->lockFilePath()));
    // ... and once the first is gone, the lock is free again.
    m_app.reset();
    auto third = Application::create(settings());
    QVERIFY2(third.ok(), third ? "" : qPrintable(third.error().message));
}

void TestLocalService::recoversInterruptedTasksAtStart()
{
    m_app.reset();
    {
        auto store = TaskStore::open(*DatabaseUri::parse(settings().databaseUri));
        QVERIFY(store.ok());
        TaskInfo t;
        t.id = u"left-by-a-crash"_qs;
        t.path = m_hot;
        t.repoRoot = m_hot;
        t.status = TaskStatus::Pulling;
        t.created = QDateTime::currentDateTimeUtc();
        QVERIFY((*store)->insertTask(t).ok());
    }
    auto app = Application::create(settings());
    QVERIFY(app.ok());
    QCOMPARE((*app)->recoveredTasks(), QStringList{u"left-by-a-crash"_qs});
    const auto t = (*app)->store()->task(u"left-by-a-crash"_qs);
    QCOMPARE(toString(t->status), u"failed"_qs);
    QCOMPARE(t->error, u"interrupted"_qs);
}

void TestLocalService::zombiesAreFailedOnTheIntervalAndOnRequest()
{
    // CLEANUP_ZOMBIES_INTERVAL and /zombie: unfinished rows that no task of this engine runs.
    m_app.reset();
    auto zombie = [](Application &app, const QString &id, const QString &path) {
        TaskInfo t;
        t.id = id;
        t.path = path;
        t.repoRoot = path;
        t.status = TaskStatus::Started;
        t.created = QDateTime::currentDateTimeUtc();
        return app.store()->insertTask(t);
    };
    {
        Settings s = settings();
        s.cleanupZombiesInterval = 1;
        auto app = Application::create(s);
        QVERIFY2(app.ok(), app ? "" : qPrintable(app.error().message));
        QVERIFY(zombie(**app, u"zombie-1"_qs, m_hot).ok());
        QTRY_COMPARE_WITH_TIMEOUT(toString((*app)->store()->task(u"zombie-1"_qs)->status), u"failed"_qs,
                                  5000);
        QCOMPARE((*app)->store()->task(u"zombie-1"_qs)->error, u"interrupted"_qs);
    }
    // On request (the /zombie route), with the interval far away: done when the answer comes.
    Settings s = settings();
    s.cleanupZombiesInterval = 3600;
    auto app = Application::create(s);
    QVERIFY2(app.ok(), app ? "" : qPrintable(app.error().message));
    QVERIFY(zombie(**app, u"zombie-2"_qs, m_hot).ok());
    QCOMPARE(toString((*app)->store()->task(u"zombie-2"_qs)->status), u"started"_qs);
    const auto answer = wait((*app)->service()->cleanupZombies());
    QVERIFY2(answer.ok(), answer ? "" : qPrintable(answer.error().message));
    QCOMPARE(toString((*app)->store()->task(u"zombie-2"_qs)->status), u"failed"_qs);
    QCOMPARE((*app)->store()->task(u"zombie-2"_qs)->error, u"interrupted"_qs);
}

// A mail may be hours away when its CA file is first needed: a bad MAIL_CA_FILE stops the start.
void TestLocalService::unreadableMailCaRefusedAtStart()
{
    m_app.reset(); // one engine per database
    Settings s = settings();
    s.mailServer = u"127.0.0.1"_qs;
    s.mailSender = u"baricadr@example.org"_qs;
    s.mailUseTls = true;
    s.mailCaFile = m_dir->filePath(u"no-such-ca.pem"_qs);
    auto app = Application::create(s);
    QVERIFY(!app.ok());
    QCOMPARE(app.error().code, ErrorCode::Config);
    QVERIFY2(app.error().message.contains(u"MAIL_CA_FILE"_qs) && app.error().message.contains(s.mailCaFile),
             qPrintable(app.error().message));
}

QTEST_GUILESS_MAIN(TestLocalService)
#include "tst_localservice.moc"
