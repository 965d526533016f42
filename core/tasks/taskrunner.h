#pragma once

#include "repo/repoconfig.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QObject>

#include <functional>

namespace baricadr {

class TaskRecords;

// One running task's work (a pull, a freeze, a verify), driven by the engine: start() once,
// cancel() any number of times, then exactly one finished() — also after a cancel, once the work
// has really stopped (rclone exited, the file in flight finished or was removed). The engine owns
// the runner and deletes it after finished().
class TaskRunner : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~TaskRunner() override = default;

    virtual void start() = 0;
    // graceful: finish the file in flight, then stop; otherwise stop now (kill rclone).
    virtual void cancel(bool graceful) = 0;

Q_SIGNALS:
    void phaseChanged(baricadr::TaskStatus status); // pulling, freezing, verifying
    void progress(const baricadr::TaskProgress &progress);
    void logLine(const QString &line); // for the task's log; must hold no secret
    // Cancelled error when stopped by cancel().
    void finished(const baricadr::Result<baricadr::TaskResult> &result);
};

// Makes the runner for a task. The product factory (makeRunner in runners.cpp) builds pulls,
// freezes and verifies on Puller, FreezeJob and VerifyJob.
using TaskRunnerFactory =
    std::function<Result<TaskRunner *>(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records)>;

} // namespace baricadr
