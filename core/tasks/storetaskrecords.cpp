#include "tasks/storetaskrecords.h"

#include "store/taskstore.h"

namespace baricadr {

Status StoreTaskRecords::insertTask(const TaskInfo &task)
{
    return m_store->insertTask(task);
}

Status StoreTaskRecords::updateTask(const TaskInfo &task)
{
    Status s = m_store->updateTask(task);
    // A task removed while its runner was stopping has no row left: nothing to update.
    if (!s && s.error().code == ErrorCode::NotFound)
        return {};
    return s;
}

Status StoreTaskRecords::updateTaskInterim(const TaskInfo &task)
{
    Status s = m_store->updateTask(task, TaskStore::Commit::Relaxed);
    if (!s && s.error().code == ErrorCode::NotFound)
        return {};
    return s;
}

Status StoreTaskRecords::updateProgress(const QString &id, const TaskProgress &progress)
{
    Status s = m_store->updateProgress(id, progress);
    if (!s && s.error().code == ErrorCode::NotFound)
        return {};
    return s;
}

Status StoreTaskRecords::removeTask(const QString &id)
{
    return m_store->removeTask(id);
}

Result<TaskInfo> StoreTaskRecords::task(const QString &id)
{
    return m_store->task(id);
}

Result<QList<TaskInfo>> StoreTaskRecords::tasks(const TaskQuery &query)
{
    return m_store->tasks(query, TaskFields::Summary);
}

Result<QList<TaskInfo>> StoreTaskRecords::unfinishedTasks()
{
    return m_store->unfinishedTasks();
}

Result<QStringList> StoreTaskRecords::markInterrupted(const QString &error)
{
    return m_store->markInterrupted(error);
}

Result<QList<TaskInfo>> StoreTaskRecords::tasksFinishedBefore(const QDateTime &time)
{
    return m_store->tasksFinishedBefore(time);
}

Status StoreTaskRecords::recordFrozen(const JournalEntry &entry)
{
    return m_store->recordFrozen(entry);
}

Status StoreTaskRecords::forgetFrozen(const JournalEntry &entry)
{
    return m_store->forgetFrozen(entry);
}

Result<QList<JournalEntry>> StoreTaskRecords::journalForTask(const QString &taskId)
{
    return m_store->journalForTask(taskId);
}

Result<qint64> StoreTaskRecords::journalUnder(const QString &repoRoot, const QString &relPrefix,
                                              const JournalBatchCallback &callback, int batchSize)
{
    return m_store->journalUnder(repoRoot, relPrefix, callback, batchSize);
}

Result<QList<Pin>> StoreTaskRecords::pins()
{
    return m_store->pins();
}

Status StoreTaskRecords::addPin(const Pin &pin)
{
    return m_store->addPin(pin);
}

Status StoreTaskRecords::removePin(const QString &path)
{
    return m_store->removePin(path);
}

Result<QDateTime> StoreTaskRecords::lastRun(const QString &repoRoot, const QString &kind)
{
    return m_store->lastRun(repoRoot, kind);
}

Status StoreTaskRecords::setLastRun(const QString &repoRoot, const QString &kind, const QDateTime &time)
{
    return m_store->setLastRun(repoRoot, kind, time);
}

} // namespace baricadr
