#pragma once

#include "freeze/freezeplan.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QDateTime>
#include <QFuture>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <optional>

namespace baricadr {

struct PullRequest
{
    QString path; // as given by the user; the service normalises and validates it
    QString email;
    bool dryRun = false;
};

struct FreezeRequest
{
    QString path;
    QString email;
    bool dryRun = false;
    bool force = false;
};

// Semantics of the original POST /list and /tree (see shared API-COMPAT).
struct ListRequest
{
    QString path;
    bool missing = false;  // only files absent locally
    int maxDepth = 1;      // 0 = unlimited
    bool fromRoot = false; // Path relative to the repo root instead of `path`
    bool full = false;     // keep rclone's lsjson fields
};

struct ListEntry
{
    QString path;         // relative to the request path, or to the repo root (fromRoot)
    bool missing = false; // absent locally
    QJsonObject full;     // rclone lsjson object with Path rewritten (only when asked for)
};

struct TaskQuery
{
    std::optional<TaskStatus> status;
    std::optional<TaskType> type;
    int limit = -1; // -1 = all
    int offset = 0;
    bool oldestFirst = false; // the original's unpaged order; otherwise the newest first
};

struct Pin
{
    QString path; // absolute
    QString repoRoot;
    QDateTime created;
    QString comment;
};

// A repo as shown to users: settings minus secrets, atime trust, usage figures when known.
struct RepoInfo
{
    QString root;
    QJsonObject settings; // public settings only (no password, no secret key)
    QString atimeMode;    // "strictatime", "relatime", "noatime", "unknown"
    QList<Pin> pins;
    // Usage figures from the last scan; -1 = unknown.
    qint64 hotBytes = -1, hotFiles = -1;
    qint64 coldBytes = -1, coldFiles = -1;
    qint64 localOnlyBytes = -1, localOnlyFiles = -1;
    qint64 remoteOnlyBytes = -1, remoteOnlyFiles = -1;
    QDateTime scanned;
};

// The one interface both front ends use: the headless API and the GUI in local mode get an
// engine-backed implementation; the GUI in remote mode gets one that talks to a running
// `baricadr serve` over HTTP. Every call is asynchronous; quick ones return a ready future.
// Futures continue on the caller's thread when continued with .then(context, …).
class BaricadrService : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~BaricadrService() override = default;

    // Submit: validation happens here (path, repo, email, freezability); the result is the task
    // id, which may be the id of an unfinished task that already covers the request.
    virtual QFuture<Result<QString>> submitPull(const PullRequest &request) = 0;
    virtual QFuture<Result<QString>> submitFreeze(const FreezeRequest &request) = 0;
    virtual QFuture<Result<QString>> submitVerify(const QString &path, const QString &email) = 0;
    virtual QFuture<Result<QString>> thaw(const QString &freezeTaskId) = 0;

    virtual QFuture<Result<FreezePlan>> previewFreeze(const FreezeRequest &request) = 0;
    virtual QFuture<Result<QList<ListEntry>>> list(const ListRequest &request) = 0;

    virtual QFuture<Result<QList<TaskInfo>>> tasks(const TaskQuery &query) = 0;
    virtual QFuture<Result<TaskInfo>> task(const QString &id) = 0;
    virtual QFuture<Result<QString>> taskLog(const QString &id) = 0;
    virtual QFuture<Result<void>> removeTask(const QString &id) = 0;
    virtual QFuture<Result<void>> cancelTask(const QString &id, bool graceful) = 0;
    virtual QFuture<Result<QString>> cleanupZombies() = 0;

    virtual QFuture<Result<QList<RepoInfo>>> repos() = 0;
    virtual QFuture<Result<QList<Pin>>> pins() = 0;
    virtual QFuture<Result<void>> addPin(const QString &path, const QString &comment) = 0;
    virtual QFuture<Result<void>> removePin(const QString &path) = 0;

Q_SIGNALS:
    // A task was created, changed status, made progress or was removed.
    void taskChanged(const baricadr::TaskInfo &task);
    void taskRemoved(const QString &id);
};

} // namespace baricadr
