#include "service/localservice.h"

#include "freeze/freezejob.h"
#include "notify/emailaddress.h"
#include "rclone/listjob.h"
#include "repo/filesystem.h"
#include "repo/repojson.h"
#include "tasks/taskengine.h"
#include "tasks/tasklog.h"
#include "tasks/taskrecords.h"
#include "util/paths.h"

#include <QFile>
#include <QFileInfo>
#include <QPromise>
#include <QUuid>

#include <memory>
#include <sys/stat.h>

namespace baricadr {

namespace {

template<typename T> QFuture<T> ready(T value)
{
    return QtFuture::makeReadyFuture(std::move(value));
}

const QString kTaskNotFound = QStringLiteral("Task not found in Baricadr database. Maybe it is too old.");

} // namespace

LocalService::LocalService(TaskEngine *engine, RepoRegistry registry, TaskRecords *records,
                           RcloneOptions rclone, QObject *parent)
    : BaricadrService(parent)
    , m_engine(engine)
    , m_registry(std::move(registry))
    , m_records(records)
    , m_rclone(std::move(rclone))
{
    connect(m_engine, &TaskEngine::taskChanged, this, &BaricadrService::taskChanged);
    connect(m_engine, &TaskEngine::taskRemoved, this, &BaricadrService::taskRemoved);
}

LocalService::~LocalService() = default;

Result<const RepoConfig *> LocalService::validate(TaskType type, const QString &path, const QString &email)
{
    if (path.isEmpty())
        return Error(ErrorCode::InvalidInput, QStringLiteral("Missing \"path\""));
    const auto repo = m_registry.resolve(path);
    if (!repo)
        return repo.error();
    if (!email.isEmpty()) {
        if (const Status s = validateEmailAddress(email); !s)
            return s.error();
    }
    // Refused now rather than failed later in the task: every directory on the way from the repo's
    // root to the path must be a real directory (a task never goes through a symlink, which could
    // lead out of the repo). What does not exist yet is fine (a pull creates it).
    const QString normalised = *paths::normalize(path);
    const QString rel = paths::relative((*repo)->root, normalised);
    if (!rel.isEmpty()) {
        const QStringList parts = rel.split(u'/');
        QString on = (*repo)->root;
        for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
            on += u'/' + parts.at(i);
            struct stat st;
            if (::lstat(QFile::encodeName(on).constData(), &st) != 0)
                break;
            if (S_ISLNK(st.st_mode))
                return Error(
                    ErrorCode::InvalidInput,
                    QStringLiteral("%1 goes through the symbolic link %2 (to %3): Baricadr never acts "
                                   "through a symbolic link, which could lead out of the repository")
                        .arg(normalised, on, QFileInfo(on).symLinkTarget()));
            if (!S_ISDIR(st.st_mode))
                return Error(ErrorCode::InvalidInput,
                             QStringLiteral("%1: %2 is not a directory").arg(normalised, on));
        }
    }
    if (type == TaskType::Freeze && !(*repo)->freezable)
        return Error(ErrorCode::NotFreezable,
                     QStringLiteral("Repository %1 is not freezable (freezable: false in its configuration): "
                                    "nothing was frozen")
                         .arg((*repo)->root));
    return *repo;
}

Result<QString> LocalService::submit(TaskType type, const QString &path, const QString &email, bool dryRun,
                                     bool force)
{
    const auto repo = validate(type, path, email);
    if (!repo)
        return repo.error();
    TaskOptions options;
    options.email = email;
    options.dryRun = dryRun;
    options.force = type == TaskType::Freeze && force;
    return m_engine->submit(type, *paths::normalize(path), options);
}

QFuture<Result<QString>> LocalService::submitPull(const PullRequest &request)
{
    return ready(submit(TaskType::Pull, request.path, request.email, request.dryRun, false));
}

QFuture<Result<QString>> LocalService::submitFreeze(const FreezeRequest &request)
{
    return ready(submit(TaskType::Freeze, request.path, request.email, request.dryRun, request.force));
}

QFuture<Result<QString>> LocalService::submitVerify(const QString &path, const QString &email)
{
    return ready(submit(TaskType::Verify, path, email, false, false));
}

QFuture<Result<QString>> LocalService::thaw(const QString &freezeTaskId)
{
    return ready(m_engine->thaw(freezeTaskId));
}

QFuture<Result<FreezePlan>> LocalService::previewFreeze(const FreezeRequest &request)
{
    const auto repo = validate(TaskType::Freeze, request.path, request.email);
    if (!repo)
        return ready(Result<FreezePlan>(repo.error()));
    const QString path = *paths::normalize(request.path);

    FreezeJobRequest job;
    job.repo = **repo;
    job.relPath = paths::relative((*repo)->root, path);
    job.dryRun = true;
    job.force = request.force;
    job.rclone = m_rclone;
    job.listRecentlyAccessed = true;
    if (const auto pins = m_records->pins()) {
        for (const Pin &pin : *pins)
            if (paths::contains((*repo)->root, pin.path))
                job.pins.append(paths::relative((*repo)->root, pin.path));
    } else {
        return ready(Result<FreezePlan>(pins.error()));
    }

    auto promise = std::make_shared<QPromise<Result<FreezePlan>>>();
    promise->start();
    auto *freeze = new FreezeJob(std::move(job), this);
    connect(freeze, &FreezeJob::finished, this, [promise, freeze](const Result<FreezeOutcome> &outcome) {
        if (outcome)
            promise->addResult(Result<FreezePlan>(outcome->plan));
        else
            promise->addResult(Result<FreezePlan>(outcome.error()));
        promise->finish();
        freeze->deleteLater();
    });
    freeze->start();
    return promise->future();
}

QFuture<Result<QList<ListEntry>>> LocalService::list(const ListRequest &request)
{
    if (request.path.isEmpty())
        return ready(
            Result<QList<ListEntry>>(Error(ErrorCode::InvalidInput, QStringLiteral("Missing \"path\""))));
    const auto repo = m_registry.resolve(request.path);
    if (!repo)
        return ready(Result<QList<ListEntry>>(repo.error()));
    ListRequest normalised = request;
    normalised.path = *paths::normalize(request.path);

    auto promise = std::make_shared<QPromise<Result<QList<ListEntry>>>>();
    promise->start();
    auto *job = new ListJob(m_rclone, this);
    connect(job, &ListJob::finished, this, [promise, job](const Result<QList<ListEntry>> &result) {
        promise->addResult(result);
        promise->finish();
        job->deleteLater();
    });
    job->start(**repo, normalised);
    return promise->future();
}

QFuture<Result<QList<TaskInfo>>> LocalService::tasks(const TaskQuery &query)
{
    auto rows = m_records->tasks(query);
    if (rows) {
        // Running tasks: the engine's view is fresher than the throttled store.
        for (TaskInfo &t : rows.value())
            if (const auto live = m_engine->liveTask(t.id))
                t = *live;
    }
    return ready(std::move(rows));
}

Result<TaskInfo> LocalService::taskNow(const QString &id)
{
    if (const auto live = m_engine->liveTask(id))
        return *live;
    auto row = m_records->task(id);
    if (!row && row.error().code == ErrorCode::NotFound)
        return Error(ErrorCode::NotFound, kTaskNotFound);
    return row;
}

QFuture<Result<TaskInfo>> LocalService::task(const QString &id)
{
    return ready(taskNow(id));
}

QFuture<Result<QString>> LocalService::taskLog(const QString &id)
{
    const auto t = taskNow(id);
    if (!t)
        return ready(Result<QString>(t.error()));
    return ready(TaskLog::read(t->logFile));
}

QFuture<Result<void>> LocalService::removeTask(const QString &id)
{
    return ready(m_engine->remove(id));
}

QFuture<Result<void>> LocalService::cancelTask(const QString &id, bool graceful)
{
    return ready(m_engine->cancel(id, graceful));
}

QFuture<Result<QString>> LocalService::cleanupZombies()
{
    const auto ids = m_engine->cleanupZombies();
    if (!ids)
        return ready(Result<QString>(ids.error()));
    // The original answered with the id of the background job doing the cleanup; here the cleanup
    // is done when this returns, and the id only names that run.
    return ready(Result<QString>(QUuid::createUuid().toString(QUuid::WithoutBraces)));
}

QFuture<Result<QList<RepoInfo>>> LocalService::repos()
{
    const auto pins = m_records->pins();
    if (!pins)
        return ready(Result<QList<RepoInfo>>(pins.error()));
    QList<RepoInfo> out;
    for (const RepoConfig &repo : m_registry.repos()) {
        RepoInfo info;
        info.root = repo.root;
        info.settings = publicSettings(repo);
        info.atimeMode = toString(detectAtimeMode(repo.root));
        for (const Pin &pin : *pins)
            if (paths::contains(repo.root, pin.path))
                info.pins.append(pin);
        out.append(info);
    }
    return ready(Result<QList<RepoInfo>>(out));
}

QFuture<Result<QList<Pin>>> LocalService::pins()
{
    return ready(m_records->pins());
}

QFuture<Result<void>> LocalService::addPin(const QString &path, const QString &comment)
{
    if (path.isEmpty())
        return ready(Result<void>(Error(ErrorCode::InvalidInput, QStringLiteral("Missing \"path\""))));
    const auto repo = m_registry.resolve(path);
    if (!repo)
        return ready(Result<void>(repo.error()));
    Pin pin;
    pin.path = *paths::normalize(path);
    pin.repoRoot = (*repo)->root;
    pin.created = QDateTime::currentDateTimeUtc();
    pin.comment = comment;
    return ready(m_records->addPin(pin));
}

QFuture<Result<void>> LocalService::removePin(const QString &path)
{
    const auto normalised = paths::normalize(path);
    if (!normalised)
        return ready(Result<void>(normalised.error()));
    return ready(m_records->removePin(*normalised));
}

} // namespace baricadr
