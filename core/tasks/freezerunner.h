#pragma once

#include "freeze/freezejob.h"
#include "rclone/rcloneoptions.h"
#include "tasks/taskrunner.h"

#include <QElapsedTimer>
#include <QPointer>

namespace baricadr {

class TaskRecords;

// A freeze task on FreezeJob: pins read from the records (and re-read during the freeze, so a
// pin added meanwhile is honoured before the next unlink), every frozen file journaled through
// the records before the next one, every file frozen or kept written to the task log. A
// watermark freeze computes how much to free from the filesystem usage when it starts.
class FreezeRunner : public TaskRunner
{
    Q_OBJECT
public:
    FreezeRunner(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records,
                 const RcloneOptions &rclone, QObject *parent = nullptr);
    ~FreezeRunner() override;

    void start() override;
    void cancel(bool graceful) override;

private:
    QStringList currentPins();
    void onFinished(const Result<FreezeOutcome> &outcome);

    TaskInfo m_task;
    RepoConfig m_repo;
    TaskRecords &m_records;
    RcloneOptions m_rclone;
    QPointer<FreezeJob> m_job;
    TaskResult m_result;
    QStringList m_pins;
    QElapsedTimer m_pinsAge;
    bool m_done = false;
};

} // namespace baricadr
