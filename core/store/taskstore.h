#pragma once

#include "freeze/journalentry.h"
#include "service/baricadrservice.h"
#include "store/databaseuri.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QCache>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

class QObject;
class QSqlDatabase;
class QSqlQuery;

namespace baricadr {

// Which columns tasks() fills: Summary skips the affected-paths and file-list JSON columns
// (what a task list needs), Full reads everything.
enum class TaskFields
{
    Full,
    Summary
};

// The persistent store: tasks, freeze journal, pins, schedule state, over SQLite (default) or
// PostgreSQL with the same schema.
//
// Thread-safe: every thread gets its own named QSqlDatabase connection, created on first use and
// closed when that thread finishes (or when the store is destroyed). Prepared statements are cached
// per connection. Every method returns a Result and never throws; every write is committed before
// the method returns. The store must outlive every thread's use of it.
class TaskStore
{
public:
    // The schema version this build creates and understands (migrations 1..kSchemaVersion).
    static const int kSchemaVersion;

    // Opens (creating the SQLite file and its directory when needed) and migrates the schema
    // forward to `schemaVersion` (tests pass an older version to check the migrations from it).
    // Refuses a database whose schema is newer than this build knows.
    static Result<std::unique_ptr<TaskStore>> open(const DatabaseUri &uri,
                                                   int schemaVersion = kSchemaVersion);
    ~TaskStore();

    TaskStore(const TaskStore &) = delete;
    TaskStore &operator=(const TaskStore &) = delete;

    const DatabaseUri &uri() const { return m_uri; }

    // task(id) answers from an in-memory cache, filled on reads and invalidated by every write
    // through this store, so that status polling costs a hash lookup rather than a query. Valid
    // because one engine (one TaskStore) owns a database at a time. Capacity in cost units: about
    // one per task plus one per 32 listed paths; 0 turns the cache off.
    void setTaskCacheCapacity(int capacity);
    Result<int> schemaVersion();
    int openConnections() const; // one per thread that used the store and is still running

    // How a write is committed. Durable: on disk when the call returns (SQLite: in the WAL,
    // which survives a crash of the process; PostgreSQL: the server's synchronous_commit).
    // Relaxed: PostgreSQL commits without waiting for its WAL flush (synchronous_commit off for
    // that transaction), so a crash of the database server may lose it; for intermediate task
    // states only. SQLite: the same as Durable (its commits do not wait for the disk).
    enum class Commit
    {
        Durable,
        Relaxed
    };

    // Tasks
    Status insertTask(const TaskInfo &task); // task.id must be set and new; durable
    // The full row; NotFound when the id is unknown.
    Status updateTask(const TaskInfo &task, Commit commit = Commit::Durable);
    Status updateProgress(const QString &id, const TaskProgress &progress); // relaxed
    Result<TaskInfo> task(const QString &id);                               // NotFound when unknown
    Result<QList<TaskInfo>> tasks(const TaskQuery &query,
                                  TaskFields fields = TaskFields::Full); // newest first
    Result<qint64> countTasks(const TaskQuery &query);                   // ignores limit/offset
    Result<QList<TaskInfo>> unfinishedTasks(); // not finished/failed/cancelled, oldest first
    Status removeTask(const QString &id);      // NotFound when unknown; the journal is kept
    // Tasks left waiting/started/pulling/freezing/verifying (by a crash): now failed with `error`.
    Result<QStringList> markInterrupted(const QString &error);
    // Finished, failed or cancelled tasks whose `finished` is before `time` (for the cleanup).
    Result<QList<TaskInfo>> tasksFinishedBefore(const QDateTime &time);
    Result<QMap<TaskStatus, qint64>> taskCountsByStatus(); // statuses with no task are absent

    // Freeze journal
    Status recordFrozen(const JournalEntry &entry);          // committed before returning
    Status recordFrozen(const QList<JournalEntry> &entries); // all or nothing, one transaction
    // Removes the row(s) of entry's task, repo root and path (a record taken back: the file was
    // kept after all). NotFound when there is none.
    Status forgetFrozen(const JournalEntry &entry);
    Result<QList<JournalEntry>> journalForTask(const QString &taskId); // in the order recorded
    // Streams the journal rows of `repoRoot` at or under `relPrefix` (path components: "a" matches
    // "a" and "a/x", not "ab"; empty = the whole repo) in batches of at most `batchSize`, in the
    // order recorded, without loading them all. The callback returns false to stop early.
    // Returns the number of rows delivered.
    using JournalBatchCallback = std::function<bool(const QList<JournalEntry> &batch)>;
    Result<qint64> journalUnder(const QString &repoRoot, const QString &relPrefix,
                                const JournalBatchCallback &callback, int batchSize = 1000);

    // Pins: paths never to freeze. Adding an existing pin updates its comment.
    Status addPin(const Pin &pin);
    Status removePin(const QString &path);                 // NotFound when not pinned
    Result<QList<Pin>> pins(const QString &repoRoot = {}); // all repos when empty; sorted by path

    // Schedule state: when a schedule of `kind` ("auto_freeze", "verify", …) last ran for a repo.
    Result<QDateTime> lastRun(const QString &repoRoot, const QString &kind); // invalid when never
    Status setLastRun(const QString &repoRoot, const QString &kind, const QDateTime &time);

private:
    struct Connection;
    class Checkpointer;
    explicit TaskStore(const DatabaseUri &uri);

    Result<Connection *> connection();
    Result<QSqlQuery *> prepared(Connection *c, const QString &sql);
    // Runs `sql` (prepared once per connection) with positional `binds`; the caller finishes it.
    Result<QSqlQuery *> exec(const QString &sql, const QVariantList &binds, const char *what,
                             const QString &subject = QString(),
                             bool retry = true); // what: "reading task %1"
    Status begin(bool write);
    // Runs one write statement under `commit` (Relaxed: in its own PostgreSQL transaction).
    Result<QSqlQuery *> execWrite(Commit mode, const QString &sql, const QVariantList &binds,
                                  const char *what, const QString &subject);
    Status commit();
    void rollback();
    Status migrate(int targetVersion);
    void dropConnection(Qt::HANDLE thread);
    Result<QList<TaskInfo>> selectTasks(const QString &sqlTail, const QVariantList &binds, TaskFields fields);

    DatabaseUri m_uri;
    QString m_namePrefix;
    mutable QMutex m_mutex; // guards m_connections
    QHash<Qt::HANDLE, Connection *> m_connections;
    std::unique_ptr<QObject> m_context; // receiver for QThread::finished, dies with the store

    void invalidate(const QString &id);
    void invalidateAll();
    QMutex m_cacheMutex; // guards the cache and its generation
    QCache<QString, TaskInfo> m_cache;
    quint64 m_cacheGeneration = 0; // bumped by every invalidation: a read racing a write never caches

    std::atomic<quint64> m_writes{0};             // statements run, read by the checkpointer
    std::unique_ptr<Checkpointer> m_checkpointer; // SQLite only
};

} // namespace baricadr
