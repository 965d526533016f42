#pragma once

#include "client/apiclient.h"
#include "service/baricadrservice.h"

#include <QHash>
#include <QTimer>

namespace baricadr {

// BaricadrService over HTTP: the GUI's remote mode and the admin CLI talk to a running
// `baricadr serve` through this. Every call is one request; results are parsed with the same
// JSON definitions the server writes (service/json.h).
class RemoteService : public BaricadrService
{
    Q_OBJECT
public:
    explicit RemoteService(const ClientConfig &config, QObject *parent = nullptr);

    ApiClient &client() { return m_client; }

    // A remote service has no push channel: with an interval set, the newest tasks are fetched
    // (GET /tasks?limit=500) every `msecs` and taskChanged/taskRemoved emitted for what changed
    // since the last answer. 0 (the default) = off.
    void setPollInterval(int msecs);

    QFuture<Result<QString>> submitPull(const PullRequest &request) override;
    QFuture<Result<QString>> submitFreeze(const FreezeRequest &request) override;
    QFuture<Result<QString>> submitVerify(const QString &path, const QString &email) override;
    QFuture<Result<QString>> thaw(const QString &freezeTaskId) override;

    QFuture<Result<FreezePlan>> previewFreeze(const FreezeRequest &request) override;
    QFuture<Result<QList<ListEntry>>> list(const ListRequest &request) override;
    // The /tree form of a listing: every remote file with its "missing" flag.
    QFuture<Result<QList<ListEntry>>> tree(const QString &path, int maxDepth);

    QFuture<Result<QList<TaskInfo>>> tasks(const TaskQuery &query) override;
    QFuture<Result<TaskInfo>> task(const QString &id) override;
    QFuture<Result<QString>> taskLog(const QString &id) override;
    QFuture<Result<void>> removeTask(const QString &id) override;
    QFuture<Result<void>> cancelTask(const QString &id, bool graceful) override;
    QFuture<Result<QString>> cleanupZombies() override;

    QFuture<Result<QList<RepoInfo>>> repos() override;
    QFuture<Result<QList<Pin>>> pins() override;
    QFuture<Result<void>> addPin(const QString &path, const QString &comment) override;
    QFuture<Result<void>> removePin(const QString &path) override;

private:
    void poll();

    ApiClient m_client;
    QTimer m_pollTimer;
    bool m_polling = false;
    QHash<QString, QByteArray> m_known; // task id → digest of its last JSON
};

} // namespace baricadr
