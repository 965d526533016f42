#include "api/apiroutes.h"

#include "api/apirequests.h"
#include "api/httperrors.h"
#include "service/json.h"
#include "util/paths.h"
#include "version.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QPointer>

#include <map>

Q_LOGGING_CATEGORY(lcApi, "baricadr.api")

namespace baricadr {

namespace {

QString k(const char *s)
{
    return QString::fromLatin1(s);
}

const QString kTaskNotFound = QStringLiteral("Task not found in Baricadr database. Maybe it is too old.");

ApiReply errorReply(const Error &e)
{
    const int status = httpStatus(e.code);
    if (status >= 500)
        qCWarning(lcApi).noquote() << "server error:" << e.message;
    return ApiReply::error(
        e.code == ErrorCode::Internal ? QStringLiteral("Internal server error") : e.message, status);
}

// A path the remote does not hold is the asker's mistake (400, which barique shows), not an
// unknown route or task (404, which barique would read as the listing).
ApiReply remotePathError(const Error &e)
{
    if (e.code == ErrorCode::NotFound)
        return ApiReply::error(e.message, 400);
    return errorReply(e);
}

// A path as the service keeps it ("/repo/a/../b/" is "/repo/b"), for answers that echo it.
QString normalisedForAnswer(const QString &path)
{
    const Result<QString> n = paths::normalize(path);
    return n ? *n : path;
}

ApiReply taskNotFoundOr(const Error &e)
{
    if (e.code == ErrorCode::NotFound)
        return ApiReply::error(kTaskNotFound, 404);
    return errorReply(e);
}

QString promLabel(const QString &v)
{
    QString out = v;
    out.replace(u'\\', QLatin1String("\\\\"))
        .replace(u'"', QLatin1String("\\\""))
        .replace(u'\n', QLatin1String("\\n"));
    return out;
}

struct CompiledRoute
{
    RouteInfo info;
    QStringList segments; // "<x>" = a parameter
};

const QList<CompiledRoute> &compiled()
{
    static const QList<CompiledRoute> table = [] {
        QList<CompiledRoute> out;
        for (const RouteInfo &r : ApiRoutes::routes())
            out.append({r, r.rule.split(u'/', Qt::SkipEmptyParts)});
        return out;
    }();
    return table;
}

} // namespace

ApiReply ApiReply::json(const QJsonValue &value, int status)
{
    ApiReply r;
    r.status = status;
    r.body = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                             : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return r;
}

ApiReply ApiReply::error(const QString &message, int status)
{
    return json(json::error(message), status);
}

ApiRoutes::ApiRoutes(BaricadrService *service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

const QList<RouteInfo> &ApiRoutes::routes()
{
    // The original's names first: barique looks them up by name in GET /endpoints.
    static const QList<RouteInfo> table = {
        {k("pull"), "POST", k("/pull"), false},
        {k("freeze"), "POST", k("/freeze"), false},
        {k("list"), "POST", k("/list"), false},
        {k("tree"), "POST", k("/tree"), false},
        {k("task_list"), "GET", k("/tasks"), false},
        {k("task_show"), "GET", k("/tasks/status/<task_id>"), false},
        {k("task_log"), "GET", k("/tasks/log/<task_id>"), false},
        {k("task_remove"), "GET", k("/tasks/remove/<task_id>"), false},
        {k("zombie"), "GET", k("/zombie"), false},
        {k("version"), "GET", k("/version"), true},
        {k("endpoints"), "GET", k("/endpoints"), false},
        {k("repos"), "GET", k("/repos"), false},
        {k("freeze_preview"), "POST", k("/freeze/preview"), false},
        {k("task_cancel"), "POST", k("/tasks/<task_id>/cancel"), false},
        {k("task_thaw"), "POST", k("/tasks/<task_id>/thaw"), false},
        {k("pin_list"), "GET", k("/pins"), false},
        {k("pin_add"), "POST", k("/pins"), false},
        {k("pin_remove"), "DELETE", k("/pins"), false},
        {k("verify"), "POST", k("/verify"), false},
        {k("health"), "GET", k("/health"), true},
        {k("metrics"), "GET", k("/metrics"), false},
    };
    return table;
}

bool ApiRoutes::isPublic(const QString &path)
{
    return path == QLatin1String("/version") || path == QLatin1String("/health");
}

ApiRoutes::Handler ApiRoutes::handlerFor(const QString &name)
{
    static const QHash<QString, Handler> handlers = {
        {k("pull"), &ApiRoutes::pull},
        {k("freeze"), &ApiRoutes::freeze},
        {k("list"), &ApiRoutes::list},
        {k("tree"), &ApiRoutes::tree},
        {k("task_list"), &ApiRoutes::taskList},
        {k("task_show"), &ApiRoutes::taskShow},
        {k("task_log"), &ApiRoutes::taskLog},
        {k("task_remove"), &ApiRoutes::taskRemove},
        {k("zombie"), &ApiRoutes::zombie},
        {k("version"), &ApiRoutes::version},
        {k("endpoints"), &ApiRoutes::endpoints},
        {k("repos"), &ApiRoutes::repos},
        {k("freeze_preview"), &ApiRoutes::freezePreview},
        {k("task_cancel"), &ApiRoutes::taskCancel},
        {k("task_thaw"), &ApiRoutes::taskThaw},
        {k("pin_list"), &ApiRoutes::pinsGet},
        {k("pin_add"), &ApiRoutes::pinsAdd},
        {k("pin_remove"), &ApiRoutes::pinsRemove},
        {k("verify"), &ApiRoutes::verify},
        {k("health"), &ApiRoutes::health},
        {k("metrics"), &ApiRoutes::metrics},
    };
    return handlers.value(name);
}

void ApiRoutes::countResponse(int status)
{
    ++m_responses[status];
}

bool ApiRoutes::answersHead(const RouteInfo &route)
{
    // HEAD is a GET without the body (monitoring probes use it, Flask answered it), for the GET
    // routes that only read: a HEAD must never remove a task or start a cleanup.
    return route.method == "GET" && route.name != u"task_remove" && route.name != u"zombie";
}

void ApiRoutes::handle(const ApiRequest &request, const Respond &respond)
{
    const QStringList segments = request.path.split(u'/', Qt::SkipEmptyParts);
    const bool head = request.method == "HEAD";
    QList<QByteArray> allowed;
    for (const CompiledRoute &route : compiled()) {
        if (route.segments.size() != segments.size())
            continue;
        Params params;
        bool match = true;
        for (qsizetype i = 0; i < segments.size() && match; ++i) {
            const QString &want = route.segments.at(i);
            if (want.startsWith(u'<'))
                params.append(segments.at(i));
            else
                match = want == segments.at(i);
        }
        if (!match)
            continue;
        if (route.info.method != request.method && !(head && answersHead(route.info))) {
            if (!allowed.contains(route.info.method))
                allowed.append(route.info.method);
            if (answersHead(route.info) && !allowed.contains("HEAD"))
                allowed.append("HEAD");
            continue;
        }
        const bool needsService = !route.info.public_ && route.info.name != QLatin1String("endpoints");
        if (needsService && !m_service) {
            respond(ApiReply::error(QStringLiteral("No task engine is available in this service"), 503));
            return;
        }
        (this->*handlerFor(route.info.name))(params, request, respond);
        return;
    }
    if (!allowed.isEmpty()) {
        ApiReply reply = ApiReply::error(QStringLiteral("Method %1 is not allowed on %2 (allowed: %3)")
                                             .arg(QString::fromLatin1(request.method), request.path,
                                                  QString::fromLatin1(allowed.join(", "))),
                                         405);
        reply.headers.append({QByteArrayLiteral("Allow"), allowed.join(", ")});
        respond(reply);
        return;
    }
    respond(ApiReply::error(
        QStringLiteral("Not found: %1 %2").arg(QString::fromLatin1(request.method), request.path), 404));
}

template<typename T, typename OnValue>
void ApiRoutes::await(QFuture<Result<T>> future, const Respond &respond, OnValue onValue,
                      std::function<ApiReply(const Error &)> onError)
{
    auto finish = [respond, onValue, onError](const Result<T> &r) {
        if (r.ok()) {
            if constexpr (std::is_void_v<T>)
                respond(onValue());
            else
                respond(onValue(r.value()));
        } else {
            respond(onError ? onError(r.error()) : errorReply(r.error()));
        }
    };
    if (future.isFinished()) {
        if (future.isCanceled() || future.resultCount() == 0)
            respond(ApiReply::error(QStringLiteral("Internal server error"), 502));
        else
            finish(future.result());
        return;
    }
    // Deferred: the service is working (rclone listing, planning). The answer comes later; the
    // transport drops it if the client has gone meanwhile.
    future.then(this, [finish](const Result<T> &r) { finish(r); }).onCanceled(this, [respond] {
        respond(ApiReply::error(QStringLiteral("Internal server error"), 502));
    });
}

#define VALUE_OR_400(type, var, expr)                                                                        \
    const Result<type> var##Result = (expr);                                                                 \
    if (!var##Result.ok())                                                                                   \
        return respond(errorReply(var##Result.error()));                                                     \
    const type var = var##Result.value();

static ApiReply taskReply(const QString &id)
{
    return ApiReply::json(QJsonObject{{k("task"), id}});
}

void ApiRoutes::pull(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(PullRequest, req, apirequests::pull(request.body));
    await(m_service->submitPull(req), respond, taskReply);
}

void ApiRoutes::freeze(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(FreezeRequest, req, apirequests::freeze(request.body));
    await(m_service->submitFreeze(req), respond, taskReply);
}

void ApiRoutes::freezePreview(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(FreezeRequest, req, apirequests::freezePreview(request.body));
    await(m_service->previewFreeze(req), respond,
          [](const FreezePlan &plan) { return ApiReply::json(json::toJson(plan)); });
}

void ApiRoutes::list(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(ListRequest, req, apirequests::list(request.body));
    await(
        m_service->list(req), respond,
        [full = req.full](const QList<ListEntry> &entries) {
            QJsonArray out;
            for (const ListEntry &e : entries)
                out.append(json::listEntry(e, full));
            return ApiReply::json(out);
        },
        remotePathError);
}

void ApiRoutes::tree(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(ListRequest, req, apirequests::tree(request.body));
    await(
        m_service->list(req), respond,
        [](const QList<ListEntry> &entries) {
            QJsonArray out;
            for (const ListEntry &e : entries)
                out.append(json::treeEntry(e));
            return ApiReply::json(out);
        },
        remotePathError);
}

void ApiRoutes::taskList(const Params &, const ApiRequest &request, const Respond &respond)
{
    TaskQuery query;
    const auto intItem = [&](const char *name, int *target, int min) -> bool {
        const QString key = k(name);
        if (!request.query.hasQueryItem(key))
            return true;
        bool ok = false;
        const int v = request.query.queryItemValue(key).toInt(&ok);
        if (!ok || v < min) {
            respond(ApiReply::error(QStringLiteral("\"%1\" must be an integer ≥ %2").arg(key).arg(min), 400));
            return false;
        }
        *target = v;
        return true;
    };
    if (!intItem("limit", &query.limit, 0) || !intItem("offset", &query.offset, 0))
        return;
    // The original's answer lists every task oldest first (scripts take the last as the newest);
    // pages list the newest first (the first page holds the latest tasks). `order` chooses.
    query.oldestFirst = !request.query.hasQueryItem(k("limit")) && !request.query.hasQueryItem(k("offset"));
    if (request.query.hasQueryItem(k("order"))) {
        const QString o = request.query.queryItemValue(k("order"));
        if (o != u"asc" && o != u"desc")
            return respond(ApiReply::error(
                QStringLiteral(
                    "\"order\" must be \"asc\" (oldest first) or \"desc\" (newest first), got \"%1\"")
                    .arg(o.left(40)),
                400));
        query.oldestFirst = o == u"asc";
    }
    if (request.query.hasQueryItem(k("status"))) {
        const QString s = request.query.queryItemValue(k("status"));
        query.status = taskStatusFromString(s);
        if (!query.status)
            return respond(
                ApiReply::error(QStringLiteral("Unknown task status \"%1\"").arg(s.left(40)), 400));
    }
    if (request.query.hasQueryItem(k("type"))) {
        const QString s = request.query.queryItemValue(k("type"));
        query.type = taskTypeFromString(s);
        if (!query.type)
            return respond(ApiReply::error(QStringLiteral("Unknown task type \"%1\"").arg(s.left(40)), 400));
    }
    await(m_service->tasks(query), respond, [this](const QList<TaskInfo> &tasks) {
        ApiReply reply;
        reply.body.reserve(qsizetype(tasks.size()) * 512 + 2);
        reply.body.append('[');
        for (const TaskInfo &t : tasks) {
            if (reply.body.size() > 1)
                reply.body.append(',');
            reply.body.append(taskJson(t, false));
        }
        reply.body.append(']');
        return reply;
    });
}

QByteArray ApiRoutes::taskJson(const TaskInfo &task, bool full)
{
    const auto detail = full ? json::TaskDetail::Full : json::TaskDetail::Summary;
    if (!isFinal(task.status))
        return QJsonDocument(json::toJson(task, detail)).toJson(QJsonDocument::Compact);
    const QString key = task.id + (full ? u'F' : u'S') + toString(task.status) +
                        QString::number(task.finished.toMSecsSinceEpoch());
    if (const QByteArray *cached = m_taskJson.object(key))
        return *cached;
    QByteArray bytes = QJsonDocument(json::toJson(task, detail)).toJson(QJsonDocument::Compact);
    m_taskJson.insert(key, new QByteArray(bytes), std::max<qsizetype>(1, bytes.size()));
    return bytes;
}

void ApiRoutes::taskShow(const Params &params, const ApiRequest &, const Respond &respond)
{
    await(
        m_service->task(params.at(0)), respond,
        [this](const TaskInfo &t) {
            ApiReply reply;
            reply.body = taskJson(t, true);
            return reply;
        },
        taskNotFoundOr);
}

void ApiRoutes::taskLog(const Params &params, const ApiRequest &, const Respond &respond)
{
    // Unknown task and vanished log file have different messages in the original: look the
    // task up first, then its log.
    const QString id = params.at(0);
    QPointer<ApiRoutes> self(this);
    const Respond next = [self, id, respond](const ApiReply &reply) {
        if (reply.status != 0)
            return respond(reply);
        if (!self || !self->m_service)
            return respond(ApiReply::error(QStringLiteral("Internal server error"), 502));
        self->await(
            self->m_service->taskLog(id), respond,
            [](const QString &logs) {
                return ApiReply::json(QJsonObject{{k("logs"), logs}});
            },
            [](const Error &e) {
                if (e.code == ErrorCode::NotFound)
                    return ApiReply::error(QStringLiteral("Task log not found, maybe it is too old."), 404);
                return errorReply(e);
            });
    };
    await(
        m_service->task(id), next,
        [](const TaskInfo &) {
            ApiReply found;
            found.status = 0; // go on with the log
            return found;
        },
        taskNotFoundOr);
}

void ApiRoutes::taskRemove(const Params &params, const ApiRequest &, const Respond &respond)
{
    const QString id = params.at(0);
    await(
        m_service->removeTask(id), respond,
        [id] {
            return ApiReply::json(
                QJsonObject{{k("info"), QStringLiteral("Task %1 removed.").arg(id)}, {k("error"), k("")}});
        },
        [](const Error &e) {
            if (e.code == ErrorCode::NotFound)
                return ApiReply::json(
                    QJsonObject{{k("info"), k("")}, {k("error"), k("Task not found in Baricadr database.")}},
                    404);
            return errorReply(e);
        });
}

void ApiRoutes::taskCancel(const Params &params, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(bool, graceful, apirequests::cancelGraceful(request.body));
    const QString id = params.at(0);
    await(
        m_service->cancelTask(id, graceful), respond,
        [id] {
            return ApiReply::json(
                QJsonObject{{k("task"), id}, {k("info"), QStringLiteral("Task %1 cancelled.").arg(id)}});
        },
        taskNotFoundOr);
}

void ApiRoutes::taskThaw(const Params &params, const ApiRequest &request, const Respond &respond)
{
    // No fields, but a body that is there must be JSON, as on every other POST.
    VALUE_OR_400(QJsonObject, body, apirequests::bodyObject(request.body));
    Q_UNUSED(body);
    await(m_service->thaw(params.at(0)), respond, taskReply, taskNotFoundOr);
}

void ApiRoutes::zombie(const Params &, const ApiRequest &, const Respond &respond)
{
    await(m_service->cleanupZombies(), respond, taskReply);
}

void ApiRoutes::version(const Params &, const ApiRequest &, const Respond &respond)
{
    respond(ApiReply::json(QJsonObject{{k("version"), k(BARICADR_VERSION)}}));
}

void ApiRoutes::endpoints(const Params &, const ApiRequest &, const Respond &respond)
{
    QJsonObject out;
    for (const RouteInfo &r : routes())
        out.insert(r.name, r.rule);
    respond(ApiReply::json(out));
}

void ApiRoutes::health(const Params &, const ApiRequest &, const Respond &respond)
{
    respond(ApiReply::json(QJsonObject{
        {k("status"), k("ok")}, {k("version"), k(BARICADR_VERSION)}, {k("engine"), m_service != nullptr}}));
}

void ApiRoutes::repos(const Params &, const ApiRequest &, const Respond &respond)
{
    await(m_service->repos(), respond, [](const QList<RepoInfo> &repos) {
        QJsonArray out;
        for (const RepoInfo &r : repos)
            out.append(json::toJson(r));
        return ApiReply::json(out);
    });
}

void ApiRoutes::pinsGet(const Params &, const ApiRequest &, const Respond &respond)
{
    await(m_service->pins(), respond, [](const QList<Pin> &pins) {
        QJsonArray out;
        for (const Pin &p : pins)
            out.append(json::toJson(p));
        return ApiReply::json(out);
    });
}

void ApiRoutes::pinsAdd(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(apirequests::PathRequest, req, apirequests::pinAdd(request.body));
    await(m_service->addPin(req.path, req.text), respond, [path = normalisedForAnswer(req.path)] {
        return ApiReply::json(
            QJsonObject{{k("info"), QStringLiteral("Pinned %1.").arg(path)}, {k("path"), path}});
    });
}

void ApiRoutes::pinsRemove(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(apirequests::PathRequest, req, apirequests::pinRemove(request.body, request.query));
    await(m_service->removePin(req.path), respond, [path = normalisedForAnswer(req.path)] {
        return ApiReply::json(
            QJsonObject{{k("info"), QStringLiteral("Unpinned %1.").arg(path)}, {k("path"), path}});
    });
}

void ApiRoutes::verify(const Params &, const ApiRequest &request, const Respond &respond)
{
    VALUE_OR_400(apirequests::PathRequest, req, apirequests::verify(request.body));
    await(m_service->submitVerify(req.path, req.text), respond, taskReply);
}

void ApiRoutes::metrics(const Params &, const ApiRequest &, const Respond &respond)
{
    const QHash<int, quint64> responses = m_responses;
    QFuture<Result<QList<TaskInfo>>> tasksFuture = m_service->tasks(TaskQuery{});
    QFuture<Result<QList<RepoInfo>>> reposFuture = m_service->repos();
    const auto render = [responses](const Result<QList<TaskInfo>> &tasks,
                                    const Result<QList<RepoInfo>> &repos) {
        QString out;
        out += QStringLiteral(
            "# HELP baricadr_up The service is running.\n# TYPE baricadr_up gauge\nbaricadr_up 1\n");
        out += QStringLiteral("# HELP baricadr_info Version of the service.\n# TYPE baricadr_info gauge\n"
                              "baricadr_info{version=\"%1\"} 1\n")
                   .arg(k(BARICADR_VERSION));
        if (tasks.ok()) {
            std::map<std::pair<QString, QString>, qint64> byStatus;
            qint64 pulled = 0, frozen = 0, queue = 0, running = 0;
            for (const TaskInfo &t : *tasks) {
                ++byStatus[{toString(t.type), toString(t.status)}];
                if (t.status == TaskStatus::Waiting)
                    ++queue;
                else if (!isFinal(t.status))
                    ++running;
                if (t.status == TaskStatus::Finished && !t.options.dryRun) {
                    if (t.type == TaskType::Pull)
                        pulled += t.result.bytes;
                    else if (t.type == TaskType::Freeze)
                        frozen += t.result.bytes;
                }
            }
            out += QStringLiteral("# HELP baricadr_tasks Tasks in the store by type and status.\n"
                                  "# TYPE baricadr_tasks gauge\n");
            for (const auto &[key, n] : byStatus)
                out += QStringLiteral("baricadr_tasks{type=\"%1\",status=\"%2\"} %3\n")
                           .arg(key.first, key.second)
                           .arg(n);
            out += QStringLiteral("# HELP baricadr_queue_length Tasks waiting to run.\n"
                                  "# TYPE baricadr_queue_length gauge\nbaricadr_queue_length %1\n")
                       .arg(queue);
            out += QStringLiteral("# HELP baricadr_running_tasks Tasks running.\n"
                                  "# TYPE baricadr_running_tasks gauge\nbaricadr_running_tasks %1\n")
                       .arg(running);
            out +=
                QStringLiteral("# HELP baricadr_pulled_bytes Bytes pulled by finished tasks in the store.\n"
                               "# TYPE baricadr_pulled_bytes gauge\nbaricadr_pulled_bytes %1\n")
                    .arg(pulled);
            out +=
                QStringLiteral("# HELP baricadr_frozen_bytes Bytes freed by finished freezes in the store.\n"
                               "# TYPE baricadr_frozen_bytes gauge\nbaricadr_frozen_bytes %1\n")
                    .arg(frozen);
        }
        if (repos.ok()) {
            out += QStringLiteral("# HELP baricadr_repo_bytes Bytes per repo by state (from the last scan).\n"
                                  "# TYPE baricadr_repo_bytes gauge\n");
            for (const RepoInfo &r : *repos) {
                const QString repo = promLabel(r.root);
                const std::pair<const char *, qint64> states[] = {{"hot", r.hotBytes},
                                                                  {"cold", r.coldBytes},
                                                                  {"local_only", r.localOnlyBytes},
                                                                  {"remote_only", r.remoteOnlyBytes}};
                for (const auto &[state, bytes] : states)
                    if (bytes >= 0)
                        out += QStringLiteral("baricadr_repo_bytes{repo=\"%1\",state=\"%2\"} %3\n")
                                   .arg(repo, k(state))
                                   .arg(bytes);
            }
        }
        out += QStringLiteral("# HELP baricadr_http_responses_total HTTP responses by status.\n"
                              "# TYPE baricadr_http_responses_total counter\n");
        QList<int> codes = responses.keys();
        std::sort(codes.begin(), codes.end());
        for (int code : codes)
            out += QStringLiteral("baricadr_http_responses_total{code=\"%1\"} %2\n")
                       .arg(code)
                       .arg(responses.value(code));
        ApiReply reply;
        reply.contentType = QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
        reply.body = out.toUtf8();
        return reply;
    };
    const auto resultOf = [](const auto &future) {
        using R = std::decay_t<decltype(future.result())>;
        return future.isCanceled() || future.resultCount() == 0 ? R() : future.result();
    };
    if (tasksFuture.isFinished() && reposFuture.isFinished()) {
        respond(render(resultOf(tasksFuture), resultOf(reposFuture)));
        return;
    }
    // Wait for both, one after the other (they run concurrently in the service).
    QtFuture::whenAll(tasksFuture, reposFuture).then(this, [=](const auto &) {
        respond(render(resultOf(tasksFuture), resultOf(reposFuture)));
    });
}

} // namespace baricadr
