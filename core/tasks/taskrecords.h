#pragma once

#include "freeze/journalentry.h"
#include "service/baricadrservice.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace baricadr {

// What the task engine, its runners and its scheduler need from the persistent store: tasks,
// the freeze journal, pins and schedule state. The product implementation forwards to TaskStore
// (StoreTaskRecords); keeping the engine on this narrow seam lets it be built and reasoned about
// without SQL, and keeps every store call of the engine in one list.
class TaskRecords
{
public:
    virtual ~TaskRecords() = default;

    virtual Status insertTask(const TaskInfo &task) = 0;
    virtual Status updateTask(const TaskInfo &task) = 0; // status, times, error, result, progress
    // An intermediate state (started, pulling, freezing, verifying). The store may commit it
    // without waiting for the disk (PostgreSQL: synchronous_commit off for that transaction): a
    // database crash may lose it, and recovery fails such a task "interrupted" either way. The
    // insert and the final state are always durable.
    virtual Status updateTaskInterim(const TaskInfo &task) { return updateTask(task); }
    // Progress is interim too (see updateTaskInterim).
    virtual Status updateProgress(const QString &id, const TaskProgress &progress) = 0;
    virtual Status removeTask(const QString &id) = 0;
    virtual Result<TaskInfo> task(const QString &id) = 0; // NotFound when unknown
    virtual Result<QList<TaskInfo>> tasks(const TaskQuery &query) = 0;
    virtual Result<QList<TaskInfo>> unfinishedTasks() = 0;
    // Every unfinished task becomes failed with this error and a finish time; their ids.
    virtual Result<QStringList> markInterrupted(const QString &error) = 0;
    virtual Result<QList<TaskInfo>> tasksFinishedBefore(const QDateTime &time) = 0;

    virtual Status recordFrozen(const JournalEntry &entry) = 0;
    // Removes the row recordFrozen(entry) wrote (same task, repo and path): the freeze records a
    // file before removing it, and takes the record back when the file is kept after all.
    virtual Status forgetFrozen(const JournalEntry &entry)
    {
        return Error(ErrorCode::Internal,
                     QStringLiteral("these records cannot forget the journal row of %1").arg(entry.relPath));
    }
    virtual Result<QList<JournalEntry>> journalForTask(const QString &taskId) = 0;
    // Streams the journal rows of `repoRoot` at or under `relPrefix` (by whole components; "" =
    // the whole repo) in batches, in the order recorded; the callback returns false to stop.
    // Returns the number of rows delivered.
    using JournalBatchCallback = std::function<bool(const QList<JournalEntry> &batch)>;
    virtual Result<qint64> journalUnder(const QString &repoRoot, const QString &relPrefix,
                                        const JournalBatchCallback &callback, int batchSize = 1000) = 0;

    virtual Result<QList<Pin>> pins() = 0;
    virtual Status addPin(const Pin &pin) = 0;
    virtual Status removePin(const QString &path) = 0;

    // Schedule state, e.g. kind "auto_freeze", "verify": when it last ran for that repo.
    // Invalid QDateTime when it never ran.
    virtual Result<QDateTime> lastRun(const QString &repoRoot, const QString &kind) = 0;
    virtual Status setLastRun(const QString &repoRoot, const QString &kind, const QDateTime &time) = 0;
};

} // namespace baricadr
