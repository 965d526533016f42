#pragma once

// Test-only TaskRunner the test drives by hand (finish, fail, progress), for the queue tests that
// must control exactly when each task ends. Real pulls/freezes are tested in tst_engine_rclone.
#include "tasks/taskrunner.h"

#include <QHash>
#include <QPointer>

namespace baricadr::test {

class ScriptedRunner : public TaskRunner
{
    Q_OBJECT
public:
    explicit ScriptedRunner(TaskInfo task)
        : m_task(std::move(task))
    {}
    void start() override
    {
        started = true;
        Q_EMIT phaseChanged(m_task.type == TaskType::Pull     ? TaskStatus::Pulling
                            : m_task.type == TaskType::Freeze ? TaskStatus::Freezing
                                                              : TaskStatus::Verifying);
        Q_EMIT logLine(QStringLiteral("runner started for ") + m_task.path);
    }
    void cancel(bool graceful) override
    {
        cancelCalls.append(graceful);
        if (!graceful)
            Q_EMIT finished(Error(ErrorCode::Cancelled, QStringLiteral("cancelled")));
    }
    void succeed(qint64 files = 1, qint64 bytes = 10)
    {
        TaskResult r;
        r.files = files;
        r.bytes = bytes;
        r.affectedCount = files;
        Q_EMIT finished(r);
    }
    void fail(const QString &message) { Q_EMIT finished(Error(ErrorCode::RcloneFailed, message)); }
    void report(const TaskProgress &p) { Q_EMIT progress(p); }

    const TaskInfo &task() const { return m_task; }
    bool started = false;
    QList<bool> cancelCalls;

private:
    TaskInfo m_task;
};

// Creates ScriptedRunners and remembers them by task id.
struct ScriptedFactory
{
    QHash<QString, QPointer<ScriptedRunner>> runners;
    QStringList startOrder;

    TaskRunnerFactory factory()
    {
        return [this](const TaskInfo &task, const RepoConfig &, TaskRecords &) -> Result<TaskRunner *> {
            auto *r = new ScriptedRunner(task);
            runners.insert(task.id, r);
            startOrder.append(task.id);
            return static_cast<TaskRunner *>(r);
        };
    }
};

} // namespace baricadr::test
