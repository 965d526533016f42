#include "tasks/runners.h"

#include "tasks/freezerunner.h"
#include "tasks/pullrunner.h"
#include "tasks/verifyjob.h"

namespace baricadr {

namespace {

Result<TaskRunner *> makeRunner(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records,
                                const RcloneOptions &rclone)
{
    switch (task.type) {
    case TaskType::Pull:
        return static_cast<TaskRunner *>(new PullRunner(task, repo, rclone));
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
