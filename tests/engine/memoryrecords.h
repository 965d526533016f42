#pragma once

// Test-only TaskRecords kept in memory: lets the queue tests run without a database. The engine
// tests against the real TaskStore (SQLite, PostgreSQL) use StoreTaskRecords instead.
#include "tasks/taskrecords.h"

#include <QHash>
#include <QMap>

namespace baricadr::test {

class MemoryRecords : public TaskRecords
{
public:
    QMap<QString, TaskInfo> rows;
    QList<JournalEntry> journal;
    QList<Pin> pinList;
    QHash<QString, QDateTime> runs;
    int progressWrites = 0;

    Status insertTask(const TaskInfo &t) override
    {
        rows.insert(t.id, t);
        return {};
    }
    Status updateTask(const TaskInfo &t) override
    {
        if (rows.contains(t.id))
            rows.insert(t.id, t);
        return {};
    }
    Status updateProgress(const QString &id, const TaskProgress &p) override
    {
        ++progressWrites;
        if (rows.contains(id))
            rows[id].progress = p;
        return {};
    }
    Status removeTask(const QString &id) override
    {
        rows.remove(id);
        return {};
    }
    Result<TaskInfo> task(const QString &id) override
    {
        if (!rows.contains(id))
            return Error(ErrorCode::NotFound, QStringLiteral("Task not found in Baricadr database."));
        return rows.value(id);
    }
    Result<QList<TaskInfo>> tasks(const TaskQuery &) override { return rows.values(); }
    Result<QList<TaskInfo>> unfinishedTasks() override
    {
        QList<TaskInfo> out;
        for (const TaskInfo &t : std::as_const(rows))
            if (!isFinal(t.status))
                out.append(t);
        return out;
    }
    Result<QStringList> markInterrupted(const QString &error) override
    {
        QStringList ids;
        for (TaskInfo &t : rows)
            if (!isFinal(t.status)) {
                t.status = TaskStatus::Failed;
                t.error = error;
                t.finished = QDateTime::currentDateTimeUtc();
                ids.append(t.id);
            }
        return ids;
    }
    Result<QList<TaskInfo>> tasksFinishedBefore(const QDateTime &time) override
    {
        QList<TaskInfo> out;
        for (const TaskInfo &t : std::as_const(rows))
            if (isFinal(t.status) && t.finished.isValid() && t.finished < time)
                out.append(t);
        return out;
    }
    Status recordFrozen(const JournalEntry &e) override
    {
        journal.append(e);
        return {};
    }
    Result<QList<JournalEntry>> journalForTask(const QString &taskId) override
    {
        QList<JournalEntry> out;
        for (const JournalEntry &e : std::as_const(journal))
            if (e.taskId == taskId)
                out.append(e);
        return out;
    }
    Result<qint64> journalUnder(const QString &repoRoot, const QString &relPrefix,
                                const JournalBatchCallback &callback, int batchSize = 1000) override
    {
        QList<JournalEntry> batch;
        qint64 n = 0;
        for (const JournalEntry &e : std::as_const(journal)) {
            if (e.repoRoot != repoRoot)
                continue;
            if (!relPrefix.isEmpty() && e.relPath != relPrefix && !e.relPath.startsWith(relPrefix + u'/'))
                continue;
            batch.append(e);
            ++n;
            if (batch.size() >= batchSize) {
                if (!callback(batch))
                    return n;
                batch.clear();
            }
        }
        if (!batch.isEmpty())
            callback(batch);
        return n;
    }
    Result<QList<Pin>> pins() override { return pinList; }
    Status addPin(const Pin &p) override
    {
        pinList.append(p);
        return {};
    }
    Status removePin(const QString &path) override
    {
        pinList.removeIf([&](const Pin &p) { return p.path == path; });
        return {};
    }
    Result<QDateTime> lastRun(const QString &root, const QString &kind) override
    {
        return runs.value(root + u'|' + kind);
    }
    Status setLastRun(const QString &root, const QString &kind, const QDateTime &time) override
    {
        runs.insert(root + u'|' + kind, time);
        return {};
    }
};

} // namespace baricadr::test
