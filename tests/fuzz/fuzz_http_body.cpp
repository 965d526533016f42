// The REST API's request bodies: any bytes sent to POST /pull, /freeze, /freeze/preview, /list,
// /tree, /verify, /pins, DELETE /pins and /tasks/<id>/cancel must give a request that keeps to the
// rules the service relies on, or a 400 with a JSON error — never a crash, a 5xx or a path
// outside the repo. Three layers are fuzzed with the same input:
//  1. the parsers the routes call (headless/api/apirequests.h), with their invariants;
//  2. ApiRoutes::handle itself (the code QHttpServer feeds), with a service that resolves the
//     path like the real one (RepoRegistry: normalise, find the repo by whole components) and
//     checks that what reaches it is inside the repo.
//  3. BodyLimit::parseHead (headless/api/bodylimit.h), reading the input as a request's first
//     bytes: what it reports stays within them.
#include "api/apirequests.h"
#include "api/apiroutes.h"
#include "api/bodylimit.h"
#include "repo/reporegistry.h"
#include "util/paths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>

using namespace baricadr;

namespace {

const QString kRoot = QStringLiteral("/data/repo");

// The service side of the contract: every path that gets past the routes is resolved the way
// LocalService does, and whatever resolves must lie inside the repo's root.
class CheckingService : public BaricadrService
{
public:
    CheckingService()
    {
        RepoConfig repo;
        repo.root = kRoot;
        m_registry = RepoRegistry::fromRepos({repo});
    }

    QFuture<Result<QString>> submitPull(const PullRequest &r) override { return id(r.path); }
    QFuture<Result<QString>> submitFreeze(const FreezeRequest &r) override { return id(r.path); }
    QFuture<Result<QString>> submitVerify(const QString &path, const QString &) override { return id(path); }
    QFuture<Result<QString>> thaw(const QString &) override { return id(kRoot); }
    QFuture<Result<FreezePlan>> previewFreeze(const FreezeRequest &r) override
    {
        if (const Error e = check(r.path); !e.message.isEmpty())
            return ready<FreezePlan>(e);
        return ready<FreezePlan>(FreezePlan{});
    }
    QFuture<Result<QList<ListEntry>>> list(const ListRequest &r) override
    {
        if (r.maxDepth < 0)
            __builtin_trap();
        if (const Error e = check(r.path); !e.message.isEmpty())
            return ready<QList<ListEntry>>(e);
        return ready<QList<ListEntry>>(QList<ListEntry>{ListEntry{QStringLiteral("a"), false, {}}});
    }
    QFuture<Result<QList<TaskInfo>>> tasks(const TaskQuery &) override
    {
        return ready<QList<TaskInfo>>(QList<TaskInfo>{});
    }
    QFuture<Result<TaskInfo>> task(const QString &) override { return ready<TaskInfo>(notFound()); }
    QFuture<Result<QString>> taskLog(const QString &) override { return ready<QString>(notFound()); }
    QFuture<Result<void>> removeTask(const QString &) override { return voidReady({}); }
    QFuture<Result<void>> cancelTask(const QString &, bool) override { return voidReady({}); }
    QFuture<Result<QString>> cleanupZombies() override { return id(kRoot); }
    QFuture<Result<QList<RepoInfo>>> repos() override { return ready<QList<RepoInfo>>(QList<RepoInfo>{}); }
    QFuture<Result<QList<Pin>>> pins() override { return ready<QList<Pin>>(QList<Pin>{}); }
    QFuture<Result<void>> addPin(const QString &path, const QString &) override
    {
        return voidReady(check(path));
    }
    QFuture<Result<void>> removePin(const QString &path) override { return voidReady(check(path)); }

private:
    template<typename T> static QFuture<Result<T>> ready(Result<T> r)
    {
        return QtFuture::makeReadyFuture(std::move(r));
    }
    static QFuture<Result<void>> voidReady(const Error &e)
    {
        return QtFuture::makeReadyFuture(e.message.isEmpty() ? Result<void>() : Result<void>(e));
    }
    static Error notFound() { return Error(ErrorCode::NotFound, QStringLiteral("no such task")); }

    // An empty message = the path resolved inside the repo.
    Error check(const QString &path) const
    {
        if (path.isEmpty() || path.contains(QChar(0)) || path.size() > apirequests::kMaxPathLength)
            __builtin_trap(); // the routes must have refused it
        const auto repo = m_registry.resolve(path);
        if (!repo) {
            if (repo.error().message.isEmpty())
                __builtin_trap();
            return repo.error();
        }
        const auto norm = paths::normalize(path);
        if (!norm || !paths::contains((*repo)->root, *norm))
            __builtin_trap(); // resolved, but outside the repo
        return Error();
    }
    QFuture<Result<QString>> id(const QString &path) const
    {
        if (const Error e = check(path); !e.message.isEmpty())
            return ready<QString>(e);
        return ready<QString>(QStringLiteral("0b5e7a1c-task"));
    }

    RepoRegistry m_registry;
};

template<typename T> void checkParsed(const Result<T> &r)
{
    if (!r.ok() && (r.error().code != ErrorCode::InvalidInput || r.error().message.isEmpty()))
        __builtin_trap();
}

void checkPath(const QString &path)
{
    if (path.isEmpty() || path.contains(QChar(0)) || path.size() > apirequests::kMaxPathLength)
        __builtin_trap();
}

void parsers(const QByteArray &body)
{
    const auto pull = apirequests::pull(body);
    const auto freeze = apirequests::freeze(body);
    const auto preview = apirequests::freezePreview(body);
    const auto list = apirequests::list(body);
    const auto tree = apirequests::tree(body);
    const auto verify = apirequests::verify(body);
    const auto pinAdd = apirequests::pinAdd(body);
    const auto pinRemove = apirequests::pinRemove(body, QUrlQuery());
    const auto cancel = apirequests::cancelGraceful(body);
    checkParsed(pull);
    checkParsed(freeze);
    checkParsed(preview);
    checkParsed(list);
    checkParsed(tree);
    checkParsed(verify);
    checkParsed(pinAdd);
    checkParsed(pinRemove);
    checkParsed(cancel);

    if (pull)
        checkPath(pull->path);
    const auto object = apirequests::bodyObject(body);
    checkParsed(object);
    const bool hasForce = object && object->contains(QStringLiteral("force"));
    if (freeze) {
        checkPath(freeze->path);
        // A freeze's fields are a pull's plus "force": without "force", the pull fields must
        // parse the same way (with it, a pull refuses the field it does not take).
        if (hasForce ? pull.ok()
                     : (!pull || pull->path != freeze->path || pull->email != freeze->email ||
                        pull->dryRun != freeze->dryRun))
            __builtin_trap();
    }
    if (preview && !preview->dryRun)
        __builtin_trap(); // a preview never deletes
    for (const auto *r : {&list, &tree}) {
        if (!*r)
            continue;
        checkPath((*r)->path);
        if ((*r)->maxDepth < 0 || (*r)->maxDepth > 1000000)
            __builtin_trap();
    }
    // A tree's fields are a subset of a list's: what a tree takes, a list takes the same way.
    if (tree && (!list || tree->maxDepth != list->maxDepth || tree->path != list->path))
        __builtin_trap();
    if (tree && (tree->missing || tree->fromRoot || tree->full))
        __builtin_trap();
    // The path rules are the same everywhere: a request parses only with a valid path, and a
    // body holding nothing but a valid path parses on every path route.
    const bool pathOk = object && apirequests::requiredPath(*object).ok();
    for (const bool parsed : {pull.ok(), freeze.ok(), preview.ok(), list.ok(), tree.ok(), verify.ok(),
                              pinAdd.ok(), pinRemove.ok()})
        if (parsed && !pathOk)
            __builtin_trap();
    if (pathOk && object->size() == 1 &&
        !(pull && freeze && preview && list && tree && verify && pinAdd && pinRemove))
        __builtin_trap();
    if (cancel && !object)
        __builtin_trap();
}

void routes(ApiRoutes &api, const QByteArray &body)
{
    static const std::pair<QByteArray, QString> kRequests[] = {
        {"POST", QStringLiteral("/pull")},           {"POST", QStringLiteral("/freeze")},
        {"POST", QStringLiteral("/freeze/preview")}, {"POST", QStringLiteral("/list")},
        {"POST", QStringLiteral("/tree")},           {"POST", QStringLiteral("/verify")},
        {"POST", QStringLiteral("/pins")},           {"DELETE", QStringLiteral("/pins")},
        {"POST", QStringLiteral("/tasks/t1/cancel")}};
    for (const auto &[method, path] : kRequests) {
        int answers = 0;
        ApiRequest request{method, path, QUrlQuery(), body};
        api.handle(request, [&answers](const ApiReply &reply) {
            ++answers;
            if (reply.status != 200 && reply.status != 400)
                __builtin_trap(); // bad input is the client's fault: never 5xx, never 404
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(reply.body, &error);
            if (error.error != QJsonParseError::NoError)
                __builtin_trap();
            if (reply.status == 400 &&
                (!doc.isObject() || doc.object().value(QStringLiteral("error")).toString().isEmpty()))
                __builtin_trap(); // a 400 says what is wrong
        });
        if (answers != 1)
            __builtin_trap(); // the stub service answers at once: exactly one reply
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // The routes log server errors; bad input must not produce any, and logging would slow
    // the fuzzer down.
    QLoggingCategory::setFilterRules(QStringLiteral("baricadr.*=false"));
    return 0;
}

namespace {

void head(const QByteArray &bytes)
{
    const BodyLimit::Head h = BodyLimit::parseHead(bytes);
    if (!h.complete) {
        if (h.headerBytes != 0 || h.contentLength != -1 || h.chunked)
            __builtin_trap();
        return;
    }
    if (h.headerBytes < 4 || h.headerBytes > bytes.size() || bytes.mid(h.headerBytes - 4, 4) != "\r\n\r\n" ||
        bytes.left(h.headerBytes - 4).contains("\r\n\r\n") || h.contentLength < -1 ||
        (h.invalidLength && h.contentLength == -1 && !bytes.toLower().contains("content-length")))
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static CheckingService service;
    static ApiRoutes api(&service);
    const QByteArray body(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    parsers(body);
    routes(api, body);
    head(body);
    return 0;
}
