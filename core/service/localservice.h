#pragma once

#include "rclone/rcloneoptions.h"
#include "repo/reporegistry.h"
#include "service/baricadrservice.h"

namespace baricadr {

class TaskEngine;
class TaskRecords;

// The engine-backed BaricadrService (the headless API and the GUI in local mode). Validates every
// request at the edge of the engine — path normalised (no NUL), repo found (the original's exact
// message), email valid (the original's message), freezability (a freeze on a repo that is not
// freezable is refused naming the repo, even with force) — then submits to the TaskEngine.
// Quick calls answer with ready futures; list and previewFreeze run rclone and answer later.
// Lives on the engine's (main) thread.
class LocalService : public BaricadrService
{
    Q_OBJECT
public:
    LocalService(TaskEngine *engine, RepoRegistry registry, TaskRecords *records, RcloneOptions rclone,
                 QObject *parent = nullptr);
    ~LocalService() override;

    QFuture<Result<QString>> submitPull(const PullRequest &request) override;
    QFuture<Result<QString>> submitFreeze(const FreezeRequest &request) override;
    QFuture<Result<QString>> submitVerify(const QString &path, const QString &email) override;
    QFuture<Result<QString>> thaw(const QString &freezeTaskId) override;

    QFuture<Result<FreezePlan>> previewFreeze(const FreezeRequest &request) override;
    QFuture<Result<QList<ListEntry>>> list(const ListRequest &request) override;

    QFuture<Result<QList<TaskInfo>>> tasks(const TaskQuery &query) override;
    QFuture<Result<TaskInfo>> task(const QString &id) override;
    QFuture<Result<QString>> taskLog(const QString &id) override;
    QFuture<Result<void>> removeTask(const QString &id) override;
    QFuture<Result<void>> cancelTask(const QString &id, bool graceful) override;
    QFuture<Result<QString>> cleanupZombies() override;

    QFuture<Result<QList<RepoInfo>>> repos() override;
    QFuture<Result<QList<Pin>>> pins() override;
    QFuture<Result<void>> addPin(const QString &path, const QString &comment) override;
    QFuture<Result<void>> removePin(const QString &path) override;

    // The synchronous forms (the same validation), for callers on the engine's thread.
    Result<QString> submit(TaskType type, const QString &path, const QString &email, bool dryRun, bool force);
    Result<TaskInfo> taskNow(const QString &id);

private:
    Result<const RepoConfig *> validate(TaskType type, const QString &path, const QString &email);

    TaskEngine *m_engine;
    RepoRegistry m_registry;
    TaskRecords *m_records;
    RcloneOptions m_rclone;
};

} // namespace baricadr
