#include "tasks/runners.h"

#include "tasks/freezerunner.h"
#include "tasks/verifyjob.h"

// Pulls sit on core/pull, still being built (the guard goes once it has landed; touch this file
// when it lands: __has_include is not a build dependency).
#if __has_include("pull/puller.h")
#include "tasks/pullrunner.h"
#define BARICADR_HAVE_PULLER 1
#endif

namespace baricadr {

namespace {

Result<TaskRunner *> makeRunner(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records,
                                const RcloneOptions &rclone)
{
    switch (task.type) {
    case TaskType::Pull:
#ifdef BARICADR_HAVE_PULLER
        return static_cast<TaskRunner *>(new PullRunner(task, repo, rclone));
#else
        return Error(ErrorCode::Internal, QStringLiteral("pulls are not built yet"));
#endif
    case TaskType::Freeze:
        if (!repo.freezable) // never, whatever the caller checked
            return Error(ErrorCode::NotFreezable,
                         QStringLiteral("Repository %1 is not freezable").arg(repo.root));
        return static_cast<TaskRunner *>(new FreezeRunner(task, repo, records, rclone));
    case TaskType::Verify:
        return static_cast<TaskRunner *>(new VerifyJob(task, repo, records, rclone));
    }
    return Error(ErrorCode::Internal, QStringLiteral("unknown task type"));
}

} // namespace

TaskRunnerFactory makeRunnerFactory(const RcloneOptions &rclone)
{
    return [rclone](const TaskInfo &task, const RepoConfig &repo, TaskRecords &records) {
        return makeRunner(task, repo, records, rclone);
    };
}

} // namespace baricadr
