#pragma once

#include "pull/puller.h"
#include "rclone/rcloneoptions.h"
#include "tasks/taskrunner.h"

#include <QPointer>

namespace baricadr {

// A pull task on Puller (staged copy, never overwriting a local file; see puller.h): every file
// pulled goes to the task log, the result carries the files and bytes pulled (or that a dry run
// would pull). A thaw's explicit files are relative to the task's path.
class PullRunner : public TaskRunner
{
    Q_OBJECT
public:
    PullRunner(const TaskInfo &task, const RepoConfig &repo, const RcloneOptions &rclone,
               QObject *parent = nullptr);
    ~PullRunner() override;

    void start() override;
    void cancel(bool graceful) override;

private:
    void onFinished(const Result<PullOutcome> &outcome);

    TaskInfo m_task;
    RepoConfig m_repo;
    RcloneOptions m_rclone;
    QPointer<Puller> m_puller;
    bool m_done = false;
};

} // namespace baricadr
