#pragma once

#include "config/settings.h"
#include "repo/reporegistry.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QLockFile>
#include <QObject>
#include <QTimer>

#include <memory>

namespace baricadr {

class BaricadrService;
class LocalService;
class Scheduler;
class StoreTaskRecords;
class TaskEngine;
class TaskStore;
class Notifier;

// The composition root of one engine (used by `baricadr serve` and the GUI's local mode):
// loads the repos, opens the store, takes the engine lock beside the database (one engine per
// database: a second one is refused with the holder's pid and host), recovers what a crashed
// process left (interrupted tasks marked failed, staged partial pulls repaired), then starts
// the queue, the schedules and the periodic cleanups. Lives on the main thread.
class Application : public QObject
{
    Q_OBJECT
public:
    static Result<std::unique_ptr<Application>> create(const Settings &settings);
    ~Application() override;

    BaricadrService *service() const;
    LocalService *localService() const { return m_service.get(); }
    TaskEngine *engine() const { return m_engine.get(); }
    const RepoRegistry &registry() const { return m_registry; }
    TaskStore *store() const { return m_store.get(); }
    Scheduler *scheduler() const { return m_scheduler.get(); }
    const Settings &settings() const { return m_settings; }
    // Where the engine lock lives (beside an SQLite database; in the data dir for PostgreSQL).
    QString lockFilePath() const { return m_lockPath; }
    // Tasks found unfinished at start and marked failed "interrupted".
    const QStringList &recoveredTasks() const { return m_recovered; }

    // Stops accepting tasks, cancels the running ones (rclone killed, partial files removed by
    // the pull) and records them cancelled; returns once every runner has stopped or after
    // `timeoutMs`. Safe to call twice; the destructor calls it.
    void shutdown(int timeoutMs = 15000);

private:
    explicit Application(const Settings &settings);
    void sendMails(const TaskInfo &task);

    Settings m_settings;
    RepoRegistry m_registry;
    QString m_lockPath;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<TaskStore> m_store;
    std::unique_ptr<StoreTaskRecords> m_records;
    std::unique_ptr<TaskEngine> m_engine;
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<LocalService> m_service;
    std::shared_ptr<Notifier> m_notifier; // owns its Mailer; shared_ptr: incomplete type here
    QTimer m_zombieTimer;
    QStringList m_recovered;
    bool m_shutDown = false;
};

} // namespace baricadr
