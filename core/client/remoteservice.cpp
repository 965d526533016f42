#include "client/remoteservice.h"

#include "service/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace baricadr {

namespace {

QString k(const char *s)
{
    return QString::fromLatin1(s);
}

Result<QString> taskIdOf(const Result<QJsonValue> &r)
{
    if (!r.ok())
        return r.error();
    QString id = r->toObject().value(k("task")).toString();
    if (id.isEmpty())
        return Error(ErrorCode::Internal, QStringLiteral("The server answered without a task id"));
    return id;
}

Result<void> voidOf(const Result<QJsonValue> &r)
{
    if (!r.ok())
        return r.error();
    return {};
}

QString idSegment(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

RemoteService::RemoteService(const ClientConfig &config, QObject *parent)
    : BaricadrService(parent)
    , m_client(config)
{
    connect(&m_pollTimer, &QTimer::timeout, this, &RemoteService::poll);
}

void RemoteService::setPollInterval(int msecs)
{
    if (msecs <= 0) {
        m_pollTimer.stop();
        return;
    }
    m_pollTimer.start(msecs);
    poll();
}

void RemoteService::poll()
{
    if (m_polling) // the previous answer has not come yet: skip a beat rather than pile up
        return;
    m_polling = true;
    constexpr int kWindow = 500;
    TaskQuery query;
    query.limit = kWindow;
    tasks(query).then(this, [this](const Result<QList<TaskInfo>> &r) {
        m_polling = false;
        if (!r.ok())
            return;
        QHash<QString, QByteArray> now;
        for (const TaskInfo &t : *r) {
            const QByteArray digest =
                QJsonDocument(json::toJson(t, json::TaskDetail::Summary)).toJson(QJsonDocument::Compact);
            now.insert(t.id, digest);
            if (m_known.value(t.id) != digest)
                Q_EMIT taskChanged(t);
        }
        // Only a complete answer tells that a task is gone (older ones fall out of a full window).
        if (r->size() < kWindow)
            for (auto it = m_known.cbegin(); it != m_known.cend(); ++it)
                if (!now.contains(it.key()))
                    Q_EMIT taskRemoved(it.key());
        m_known = std::move(now);
    });
}

QFuture<Result<QString>> RemoteService::submitPull(const PullRequest &request)
{
    QJsonObject body{{k("path"), request.path}, {k("dry_run"), request.dryRun}};
    if (!request.email.isEmpty())
        body.insert(k("email"), request.email);
    return m_client.call("POST", k("/pull"), body).then(taskIdOf);
}

QFuture<Result<QString>> RemoteService::submitFreeze(const FreezeRequest &request)
{
    QJsonObject body{{k("path"), request.path}, {k("dry_run"), request.dryRun}, {k("force"), request.force}};
    if (!request.email.isEmpty())
        body.insert(k("email"), request.email);
    return m_client.call("POST", k("/freeze"), body).then(taskIdOf);
}

QFuture<Result<QString>> RemoteService::submitVerify(const QString &path, const QString &email)
{
    QJsonObject body{{k("path"), path}};
    if (!email.isEmpty())
        body.insert(k("email"), email);
    return m_client.call("POST", k("/verify"), body).then(taskIdOf);
}

QFuture<Result<QString>> RemoteService::thaw(const QString &freezeTaskId)
{
    return m_client.call("POST", k("/tasks/") + idSegment(freezeTaskId) + k("/thaw")).then(taskIdOf);
}

QFuture<Result<FreezePlan>> RemoteService::previewFreeze(const FreezeRequest &request)
{
    const QJsonObject body{{k("path"), request.path}, {k("force"), request.force}};
    return m_client.call("POST", k("/freeze/preview"), body)
        .then([](const Result<QJsonValue> &r) -> Result<FreezePlan> {
            if (!r.ok())
                return r.error();
            return json::freezePlanFromJson(r->toObject());
        });
}

static Result<QList<ListEntry>> entriesOf(const Result<QJsonValue> &r)
{
    if (!r.ok())
        return r.error();
    QList<ListEntry> out;
    const QJsonArray array = r->toArray();
    out.reserve(array.size());
    for (const QJsonValue &v : array)
        out.append(json::listEntryFromJson(v.toObject()));
    return out;
}

QFuture<Result<QList<ListEntry>>> RemoteService::list(const ListRequest &request)
{
    const QJsonObject body{{k("path"), request.path},
                           {k("missing"), request.missing},
                           {k("max_depth"), request.maxDepth},
                           {k("from_root"), request.fromRoot},
                           {k("full"), request.full}};
    return m_client.call("POST", k("/list"), body).then(entriesOf);
}

QFuture<Result<QList<ListEntry>>> RemoteService::tree(const QString &path, int maxDepth)
{
    const QJsonObject body{{k("path"), path}, {k("max_depth"), maxDepth}};
    return m_client.call("POST", k("/tree"), body).then(entriesOf);
}

QFuture<Result<QList<TaskInfo>>> RemoteService::tasks(const TaskQuery &query)
{
    QUrlQuery q;
    if (query.limit >= 0)
        q.addQueryItem(k("limit"), QString::number(query.limit));
    if (query.offset > 0)
        q.addQueryItem(k("offset"), QString::number(query.offset));
    if (query.status)
        q.addQueryItem(k("status"), toString(*query.status));
    if (query.type)
        q.addQueryItem(k("type"), toString(*query.type));
    q.addQueryItem(k("order"), query.oldestFirst ? k("asc") : k("desc"));
    return m_client.call("GET", k("/tasks"), QJsonValue(QJsonValue::Undefined), q)
        .then([](const Result<QJsonValue> &r) -> Result<QList<TaskInfo>> {
            if (!r.ok())
                return r.error();
            QList<TaskInfo> out;
            for (const QJsonValue &v : r->toArray())
                out.append(json::taskFromJson(v.toObject()));
            return out;
        });
}

QFuture<Result<TaskInfo>> RemoteService::task(const QString &id)
{
    return m_client.call("GET", k("/tasks/status/") + idSegment(id))
        .then([](const Result<QJsonValue> &r) -> Result<TaskInfo> {
            if (!r.ok())
                return r.error();
            return json::taskFromJson(r->toObject());
        });
}

QFuture<Result<QString>> RemoteService::taskLog(const QString &id)
{
    return m_client.call("GET", k("/tasks/log/") + idSegment(id))
        .then([](const Result<QJsonValue> &r) -> Result<QString> {
            if (!r.ok())
                return r.error();
            return r->toObject().value(k("logs")).toString();
        });
}

QFuture<Result<void>> RemoteService::removeTask(const QString &id)
{
    return m_client.call("GET", k("/tasks/remove/") + idSegment(id)).then(voidOf);
}

QFuture<Result<void>> RemoteService::cancelTask(const QString &id, bool graceful)
{
    return m_client
        .call("POST", k("/tasks/") + idSegment(id) + k("/cancel"), QJsonObject{{k("graceful"), graceful}})
        .then(voidOf);
}

QFuture<Result<QString>> RemoteService::cleanupZombies()
{
    return m_client.call("GET", k("/zombie")).then(taskIdOf);
}

QFuture<Result<QList<RepoInfo>>> RemoteService::repos()
{
    return m_client.call("GET", k("/repos")).then([](const Result<QJsonValue> &r) -> Result<QList<RepoInfo>> {
        if (!r.ok())
            return r.error();
        QList<RepoInfo> out;
        for (const QJsonValue &v : r->toArray())
            out.append(json::repoFromJson(v.toObject()));
        return out;
    });
}

QFuture<Result<QList<Pin>>> RemoteService::pins()
{
    return m_client.call("GET", k("/pins")).then([](const Result<QJsonValue> &r) -> Result<QList<Pin>> {
        if (!r.ok())
            return r.error();
        QList<Pin> out;
        for (const QJsonValue &v : r->toArray())
            out.append(json::pinFromJson(v.toObject()));
        return out;
    });
}

QFuture<Result<void>> RemoteService::addPin(const QString &path, const QString &comment)
{
    return m_client.call("POST", k("/pins"), QJsonObject{{k("path"), path}, {k("comment"), comment}})
        .then(voidOf);
}

QFuture<Result<void>> RemoteService::removePin(const QString &path)
{
    return m_client.call("DELETE", k("/pins"), QJsonObject{{k("path"), path}}).then(voidOf);
}

} // namespace baricadr
