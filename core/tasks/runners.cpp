#include "tasks/runners.h"

#include "tasks/verifyjob.h"

// Parts that sit on teammates' areas still being built (removed once all have landed).
#if __has_include("freeze/freezejob.h")
#include "tasks/freezerunner.h"
#define BARICADR_HAVE_FREEZEJOB 1
#endif
#if __has_include("tasks/pullrunner.h")
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
#ifdef BARICADR_HAVE_FREEZEJOB
        return static_cast<TaskRunner *>(new FreezeRunner(task, repo, records, rclone));
#else
        return Error(ErrorCode::Internal, QStringLiteral("freezes are not built yet"));
#endif
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
