// RemoteService (the GUI's remote mode and the CLI) against a real HTTP server on loopback:
// every call goes over the wire and comes back as the same core types.
#include "api/httpapi.h"
#include "client/remoteservice.h"
#include "fakeservice.h"

#include <QSignalSpy>
#include <QTest>

using namespace baricadr;
using namespace baricadr::test;

class TestRemoteService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void roundTrips();
    void errorsKeepTheirMeaning();
    void pollingEmitsTaskChanges();

private:
    template<typename T> Result<T> get(QFuture<Result<T>> f)
    {
        for (int i = 0; i < 1000 && !f.isFinished(); ++i) // at most ~10 s
            QTest::qWait(10);
        if (!f.isFinished())
            return Error(ErrorCode::Timeout, QStringLiteral("no answer in 10 s"));
        return f.result();
    }

    std::unique_ptr<FakeService> m_fake;
    std::unique_ptr<HttpApi> m_api;
    std::unique_ptr<RemoteService> m_remote;
};

void TestRemoteService::init()
{
    m_fake = std::make_unique<FakeService>();
    m_api = std::make_unique<HttpApi>(m_fake.get());
    QVERIFY(m_api->configure({}).ok());
    const quint16 port = m_api->listen(QHostAddress::LocalHost, 0);
    QVERIFY(port);
    ClientConfig config;
    config.server = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    m_remote = std::make_unique<RemoteService>(config);
}

void TestRemoteService::cleanup()
{
    m_remote.reset();
    m_api.reset();
    m_fake.reset();
}

void TestRemoteService::roundTrips()
{
    auto id = get(m_remote->submitPull(PullRequest{u"/repo/a"_qs, u"x@y.org"_qs, true}));
    QVERIFY(id.ok());
    QCOMPARE(*id, QStringLiteral("pull-1"));
    QCOMPARE(m_fake->lastPull.email, QStringLiteral("x@y.org"));
    QVERIFY(m_fake->lastPull.dryRun);

    id = get(m_remote->submitFreeze(FreezeRequest{u"/repo/a"_qs, {}, false, true}));
    QCOMPARE(*id, QStringLiteral("freeze-1"));
    QVERIFY(m_fake->lastFreeze.force);

    const auto task = get(m_remote->task(u"pull-1"_qs));
    QVERIFY(task.ok());
    QCOMPARE(task->id, QStringLiteral("pull-1"));
    QVERIFY(task->status == TaskStatus::Finished);
    QCOMPARE(task->created, FakeService::sampleTask().created);
    QCOMPARE(task->result.affected, FakeService::sampleTask().result.affected);
    QCOMPARE(task->result.bytes, 30);

    const auto list = get(m_remote->list(ListRequest{u"/repo"_qs, true, 0, false, false}));
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).path, QStringLiteral("a.txt"));
    QCOMPARE(m_fake->lastList.maxDepth, 0);
    QVERIFY(m_fake->lastList.missing);

    const auto tree = get(m_remote->tree(u"/repo"_qs, 2));
    QVERIFY(tree->at(0).missing);
    QVERIFY(!tree->at(1).missing);

    QCOMPARE(*get(m_remote->taskLog(u"pull-1"_qs)), QStringLiteral("line 1\nline 2\n"));
    QVERIFY(get(m_remote->removeTask(u"pull-1"_qs)).ok());
    QVERIFY(get(m_remote->cancelTask(u"pull-1"_qs, true)).ok());
    QCOMPARE(*get(m_remote->cleanupZombies()), QStringLiteral("zombie-1"));
    QCOMPARE(*get(m_remote->thaw(u"freeze-1"_qs)), QStringLiteral("pull-2"));
    QCOMPARE(*get(m_remote->submitVerify(u"/repo"_qs, {})), QStringLiteral("verify-1"));
    const auto repos = get(m_remote->repos());
    QCOMPARE(repos->at(0).root, QStringLiteral("/repo"));
    QCOMPARE(repos->at(0).hotBytes, 10);
    QCOMPARE(repos->at(0).coldBytes, -1);
    QVERIFY(get(m_remote->addPin(u"/repo/x"_qs, u"why"_qs)).ok());
    QVERIFY(get(m_remote->removePin(u"/repo/x"_qs)).ok());
    QVERIFY(get(m_remote->pins()).ok());

    TaskQuery q;
    q.limit = 3;
    q.type = TaskType::Freeze;
    QVERIFY(get(m_remote->tasks(q)).ok());
    QCOMPARE(m_fake->lastQuery.limit, 3);
    QCOMPARE(m_fake->lastQuery.type, std::optional<TaskType>(TaskType::Freeze));
}

void TestRemoteService::errorsKeepTheirMeaning()
{
    auto id = get(m_remote->submitPull(PullRequest{u"/etc"_qs, {}, false}));
    QVERIFY(!id.ok());
    QVERIFY(id.error().code == ErrorCode::InvalidInput);
    QCOMPARE(id.error().message, QStringLiteral("Could not find baricadr repository for path \"/etc/\""));
    const auto task = get(m_remote->task(u"nope"_qs));
    QVERIFY(task.error().code == ErrorCode::NotFound);
    const auto plan = get(m_remote->previewFreeze(FreezeRequest{u"/repo"_qs, {}, true, false}));
    QVERIFY(plan.error().code == ErrorCode::RemoteUnreachable);
    QCOMPARE(plan.error().message, QStringLiteral("rclone said no"));

    m_api.reset(); // nobody listens any more
    const auto gone = get(m_remote->task(u"pull-1"_qs));
    QVERIFY(gone.error().code == ErrorCode::RemoteUnreachable);
    QVERIFY(gone.error().message.contains(u"Cannot reach the Baricadr service at http://127.0.0.1:"));
}

void TestRemoteService::pollingEmitsTaskChanges()
{
    QSignalSpy changed(m_remote.get(), &BaricadrService::taskChanged);
    m_remote->setPollInterval(50);
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
    QCOMPARE(changed.at(0).at(0).value<TaskInfo>().id, QStringLiteral("pull-1"));
    QTest::qWait(300); // unchanged: no more signals
    QCOMPARE(changed.size(), 1);
    m_remote->setPollInterval(0);
}

QTEST_GUILESS_MAIN(TestRemoteService)
#include "tst_remoteservice.moc"
