#pragma once

#include "repo/repoconfig.h"
#include "tasks/pathlocks.h"
#include "tasks/task.h"
#include "tasks/taskrunner.h"
#include "util/result.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>

namespace baricadr {

class TaskLog;
class TaskRecords;

struct EngineSettings
{
    int workers = 2;
    QString taskLogDir;
    qint64 cleanupAgeSeconds = 365LL * 24 * 3600; // finished/failed tasks older than this are removed
    int cleanupIntervalSeconds = 21600;           // 0 = no periodic cleanup
    int progressWriteIntervalMs = 1000;           // at most one progress write per task per interval
};

// What a submission carries besides type, path and options.
struct SubmitExtra
{
    QStringList files;      // pull exactly these files (relative to the path); empty = whole path
    QString thawOf;         // the freeze task a thaw undoes
    bool scheduled = false; // started by a schedule: failures go to MAIL_ADMIN
    int watermarkLow = 0;   // freeze until usage < this percent (watermark freeze)
};

// The task queue: one per database, on the main thread, event-driven (runner signals, timers).
// submit() applies the path-lock rules (PathLocks), records the task and queues it; ready tasks
// run oldest first on `workers` slots. Every state change is written to the store and signalled.
class TaskEngine : public QObject
{
    Q_OBJECT
public:
    TaskEngine(TaskRecords *records, QList<RepoConfig> repos, TaskRunnerFactory factory,
               EngineSettings settings, QObject *parent = nullptr);
    ~TaskEngine() override;

    // The id of the new task, or of the unfinished task of the same type and options that already
    // covers `path`. `path` must be absolute and normalised (the service validates user input).
    Result<QString> submit(TaskType type, const QString &path, const TaskOptions &options,
                           const SubmitExtra &extra = {});

    // Waiting: cancelled at once. Running: stopped (graceful: after the file in flight) and
    // recorded cancelled when the runner has really stopped. NotFound / Conflict (already done).
    Status cancel(const QString &id, bool graceful = false);
    // cancel() + the row and the log file deleted. NotFound when unknown.
    Status remove(const QString &id);
    // A pull of exactly the files that freeze task `freezeTaskId` removed (its journal).
    Result<QString> thaw(const QString &freezeTaskId, const QString &email = QString());

    // At start, before anything runs: tasks a crashed process left unfinished become failed
    // "interrupted". Returns their ids.
    Result<QStringList> recoverInterrupted();
    // At run time (/zombie): unfinished tasks in the store that this engine does not run.
    Result<QStringList> cleanupZombies();
    // Removes finished/failed/cancelled tasks older than cleanupAgeSeconds, with their logs.
    Result<int> cleanupOld();

    // Cancels every task; drained() follows when no runner is left.
    void shutdown();
    bool isDrained() const { return m_runners.isEmpty(); }

    // Current state of a task this engine holds (waiting or running; fresher than the store).
    std::optional<TaskInfo> liveTask(const QString &id) const;
    QList<TaskInfo> liveTasks() const;
    int runningCount() const { return int(m_runners.size()); }
    int waitingCount() const { return int(m_live.size() - m_runners.size()); }

    const QList<RepoConfig> &repos() const { return m_repos; }
    std::optional<RepoConfig> repoFor(const QString &path) const;
    TaskRecords *records() const { return m_records; }
    const EngineSettings &settings() const { return m_settings; }

Q_SIGNALS:
    void taskChanged(const baricadr::TaskInfo &task); // created, status change, progress
    void taskRemoved(const QString &id);
    void taskFinished(const baricadr::TaskInfo &task); // finished, failed or cancelled
    void drained();

private:
    struct Live
    {
        TaskInfo info;
        std::unique_ptr<TaskLog> log;
        bool cancelRequested = false;
        bool removeRequested = false;
        bool progressDirty = false;
        bool starting = false; // inside the runner's start(): its phase is stored after it
    };

    void schedulePump();
    void pump();
    void startTask(const QString &id);
    void onFinished(const QString &id, const Result<TaskResult> &result);
    void complete(const QString &id, TaskStatus status, const QString &error, const TaskResult &result);
    void writeProgress();
    void store(const TaskInfo &info);
    void logTo(const QString &id, const QString &line);

    TaskRecords *m_records;
    QList<RepoConfig> m_repos;
    TaskRunnerFactory m_factory;
    EngineSettings m_settings;
    PathLocks m_locks;
    std::map<QString, Live> m_live;                 // waiting and running tasks
    QHash<QString, QPointer<TaskRunner>> m_runners; // running ones
    QTimer m_progressTimer;
    QTimer m_cleanupTimer;
    bool m_pumpQueued = false;
    bool m_shuttingDown = false;
};

// Options that decide whether two requests are the same work (dedup): dry run and force (freeze
// only), the email to tell, and a watermark target.
QString dedupKey(TaskType type, const TaskOptions &options, const SubmitExtra &extra);

} // namespace baricadr
