#pragma once

// A BaricadrService for the transport tests of the HTTP layer only (tst_httpapi): it records what
// the routes passed in and lets a test decide when a slow call (list) finishes, which is what the
// "client left before the deferred answer" test needs. The engine-backed behaviour of every route
// is tested against the real `baricadr serve` (tst_serve_api).

#include "service/baricadrservice.h"

#include <QPromise>
#include <QTimeZone>

#include <memory>

namespace baricadr::test {

template<typename T> QFuture<Result<T>> ready(Result<T> value)
{
    QPromise<Result<T>> p;
    p.start();
    p.addResult(std::move(value));
    p.finish();
    return p.future();
}

class FakeService : public BaricadrService
{
public:
    PullRequest lastPull;
    FreezeRequest lastFreeze;
    ListRequest lastList;
    TaskQuery lastQuery;
    int listCalls = 0;
    QStringList removed; // ids removeTask() was asked for
    bool deferList = false;
    std::shared_ptr<QPromise<Result<QList<ListEntry>>>> pendingList;

    QFuture<Result<QString>> submitPull(const PullRequest &r) override
    {
        lastPull = r;
        if (!r.path.startsWith(QLatin1String("/repo")))
            return ready<QString>(
                Error(ErrorCode::InvalidInput,
                      QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(r.path)));
        return ready<QString>(QStringLiteral("pull-1"));
    }
    QFuture<Result<QString>> submitFreeze(const FreezeRequest &r) override
    {
        lastFreeze = r;
        return ready<QString>(QStringLiteral("freeze-1"));
    }
    QFuture<Result<QString>> submitVerify(const QString &, const QString &) override
    {
        return ready<QString>(QStringLiteral("verify-1"));
    }
    QFuture<Result<QString>> thaw(const QString &id) override
    {
        if (id != QLatin1String("freeze-1"))
            return ready<QString>(Error(ErrorCode::NotFound, QStringLiteral("no such task")));
        return ready<QString>(QStringLiteral("pull-2"));
    }
    QFuture<Result<FreezePlan>> previewFreeze(const FreezeRequest &) override
    {
        return ready<FreezePlan>(Error(ErrorCode::RcloneFailed, QStringLiteral("rclone said no")));
    }
    QFuture<Result<QList<ListEntry>>> list(const ListRequest &r) override
    {
        lastList = r;
        ++listCalls;
        QList<ListEntry> entries{ListEntry{QStringLiteral("a.txt"), true, {}},
                                 ListEntry{QStringLiteral("d/b.txt"), false, {}}};
        if (!deferList)
            return ready<QList<ListEntry>>(entries);
        pendingList = std::make_shared<QPromise<Result<QList<ListEntry>>>>();
        pendingList->start();
        return pendingList->future();
    }
    void finishList()
    {
        pendingList->addResult(QList<ListEntry>{ListEntry{QStringLiteral("late.txt"), false, {}}});
        pendingList->finish();
    }
    QFuture<Result<QList<TaskInfo>>> tasks(const TaskQuery &q) override
    {
        lastQuery = q;
        return ready<QList<TaskInfo>>(QList<TaskInfo>{sampleTask()});
    }
    QFuture<Result<TaskInfo>> task(const QString &id) override
    {
        if (id == QLatin1String("pull-1") || id == QLatin1String("nolog"))
            return ready<TaskInfo>(sampleTask());
        if (id == QLatin1String("freeze-1")) {
            TaskInfo t = sampleTask();
            t.id = id;
            t.type = TaskType::Freeze;
            t.status = TaskStatus::Failed;
            t.error = QStringLiteral("remote gone");
            return ready<TaskInfo>(t);
        }
        return ready<TaskInfo>(Error(ErrorCode::NotFound, QStringLiteral("unknown task")));
    }
    QFuture<Result<QString>> taskLog(const QString &id) override
    {
        if (id == QLatin1String("nolog"))
            return ready<QString>(Error(ErrorCode::NotFound, QStringLiteral("log gone")));
        return ready<QString>(QStringLiteral("line 1\nline 2\n"));
    }
    QFuture<Result<void>> removeTask(const QString &id) override
    {
        if (id != QLatin1String("pull-1"))
            return ready<void>(Error(ErrorCode::NotFound, QStringLiteral("unknown task")));
        removed << id;
        return ready<void>({});
    }
    QFuture<Result<void>> cancelTask(const QString &, bool) override { return ready<void>({}); }
    QFuture<Result<QString>> cleanupZombies() override { return ready<QString>(QStringLiteral("zombie-1")); }
    QFuture<Result<QList<RepoInfo>>> repos() override
    {
        RepoInfo r;
        r.root = QStringLiteral("/repo");
        r.hotBytes = 10;
        return ready<QList<RepoInfo>>(QList<RepoInfo>{r});
    }
    QFuture<Result<QList<Pin>>> pins() override { return ready<QList<Pin>>(QList<Pin>{}); }
    QFuture<Result<void>> addPin(const QString &, const QString &) override { return ready<void>({}); }
    QFuture<Result<void>> removePin(const QString &) override { return ready<void>({}); }

    static TaskInfo sampleTask()
    {
        TaskInfo t;
        t.id = QStringLiteral("pull-1");
        t.path = QStringLiteral("/repo/x");
        t.repoRoot = QStringLiteral("/repo");
        t.status = TaskStatus::Finished;
        t.created = QDateTime(QDate(2021, 2, 17), QTime(15, 11, 56), QTimeZone::utc());
        t.result.files = 2;
        t.result.bytes = 30;
        t.result.affected = {QStringLiteral("x/a"), QStringLiteral("x/b")};
        t.result.affectedCount = 2;
        return t;
    }
};

} // namespace baricadr::test
