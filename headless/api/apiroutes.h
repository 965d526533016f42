#pragma once

#include "service/baricadrservice.h"

#include <QByteArray>
#include <QCache>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPair>
#include <QStringList>
#include <QUrlQuery>

#include <functional>

namespace baricadr {

// One HTTP request as the routes see it: no QHttpServer type here, so that the routes can be
// read, tested and carried to a later Qt without touching them.
struct ApiRequest
{
    QByteArray method; // "GET", "POST", …
    QString path;      // decoded URL path
    QUrlQuery query;
    QByteArray body;
};

struct ApiReply
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // extra headers

    static ApiReply json(const QJsonValue &value, int status = 200);
    static ApiReply error(const QString &message, int status);
};

// Sends the reply. Safe to call later (after the handler returned): the transport checks that
// the client is still there. Call it exactly once.
using Respond = std::function<void(const ApiReply &)>;

// A route as published by GET /endpoints and documented in docs/openapi.yaml.
struct RouteInfo
{
    QString name; // endpoint name ("pull", "task_show", …): the names barique looks up
    QByteArray method;
    QString rule;         // "/tasks/status/<task_id>"
    bool public_ = false; // answered without credentials when auth is on
};

// The REST API's routes: parse and validate the request, call the service, serialise the answer.
// No policy here (the service decides); no transport here (HttpApi feeds requests in).
class ApiRoutes : public QObject
{
    Q_OBJECT
public:
    // GET routes that only read answer HEAD too (the same headers, no body).
    static bool answersHead(const RouteInfo &route);
    // `service` may be null: only /version, /health and /endpoints then answer, the others say
    // that no engine is available (503).
    explicit ApiRoutes(BaricadrService *service, QObject *parent = nullptr);

    static const QList<RouteInfo> &routes();
    // True when `path` needs no credentials (/version, /health), whatever the method.
    static bool isPublic(const QString &path);

    void handle(const ApiRequest &request, const Respond &respond);

    // Counters for /metrics.
    void countResponse(int status);

private:
    using Params = QStringList;
    using Handler = void (ApiRoutes::*)(const Params &, const ApiRequest &, const Respond &);

    template<typename T, typename OnValue>
    void await(QFuture<Result<T>> future, const Respond &respond, OnValue onValue,
               std::function<ApiReply(const Error &)> onError = {});

    void pull(const Params &, const ApiRequest &, const Respond &);
    void freeze(const Params &, const ApiRequest &, const Respond &);
    void freezePreview(const Params &, const ApiRequest &, const Respond &);
    void list(const Params &, const ApiRequest &, const Respond &);
    void tree(const Params &, const ApiRequest &, const Respond &);
    void taskList(const Params &, const ApiRequest &, const Respond &);
    void taskShow(const Params &, const ApiRequest &, const Respond &);
    void taskLog(const Params &, const ApiRequest &, const Respond &);
    void taskRemove(const Params &, const ApiRequest &, const Respond &);
    void taskCancel(const Params &, const ApiRequest &, const Respond &);
    void taskThaw(const Params &, const ApiRequest &, const Respond &);
    void zombie(const Params &, const ApiRequest &, const Respond &);
    void version(const Params &, const ApiRequest &, const Respond &);
    void endpoints(const Params &, const ApiRequest &, const Respond &);
    void health(const Params &, const ApiRequest &, const Respond &);
    void repos(const Params &, const ApiRequest &, const Respond &);
    void pinsGet(const Params &, const ApiRequest &, const Respond &);
    void pinsAdd(const Params &, const ApiRequest &, const Respond &);
    void pinsRemove(const Params &, const ApiRequest &, const Respond &);
    void verify(const Params &, const ApiRequest &, const Respond &);
    void metrics(const Params &, const ApiRequest &, const Respond &);

    static Handler handlerFor(const QString &name);

    // A task's compact JSON (full: as /tasks/status shows it; else as /tasks lists it). Finished,
    // failed and cancelled tasks no longer change: their JSON is kept, keyed by id, status and end
    // time, so listing thousands of tasks does not serialise them all again on every request.
    QByteArray taskJson(const TaskInfo &task, bool full);

    BaricadrService *m_service;
    QHash<int, quint64> m_responses;                          // by HTTP status
    QCache<QString, QByteArray> m_taskJson{32 * 1024 * 1024}; // cost: bytes
};

} // namespace baricadr
