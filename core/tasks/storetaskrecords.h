#pragma once

#include "tasks/taskrecords.h"

namespace baricadr {

class TaskStore;

// The engine's records in the persistent TaskStore (SQLite or PostgreSQL).
class StoreTaskRecords : public TaskRecords
{
public:
    explicit StoreTaskRecords(TaskStore *store)
        : m_store(store)
    {}

    Status insertTask(const TaskInfo &task) override;
    Status updateTask(const TaskInfo &task) override;
    Status updateTaskInterim(const TaskInfo &task) override;
    Status updateProgress(const QString &id, const TaskProgress &progress) override;
    Status removeTask(const QString &id) override;
    Result<TaskInfo> task(const QString &id) override;
    Result<QList<TaskInfo>> tasks(const TaskQuery &query) override;
    Result<QList<TaskInfo>> unfinishedTasks() override;
    Result<QStringList> markInterrupted(const QString &error) override;
    Result<QList<TaskInfo>> tasksFinishedBefore(const QDateTime &time) override;
    Status recordFrozen(const JournalEntry &entry) override;
    Status forgetFrozen(const JournalEntry &entry) override;
    Result<QList<JournalEntry>> journalForTask(const QString &taskId) override;
    Result<qint64> journalUnder(const QString &repoRoot, const QString &relPrefix,
                                const JournalBatchCallback &callback, int batchSize = 1000) override;
    Result<QList<Pin>> pins() override;
    Status addPin(const Pin &pin) override;
    Status removePin(const QString &path) override;
    Result<QDateTime> lastRun(const QString &repoRoot, const QString &kind) override;
    Status setLastRun(const QString &repoRoot, const QString &kind, const QDateTime &time) override;

    TaskStore *store() const { return m_store; }

private:
    TaskStore *m_store;
};

} // namespace baricadr
