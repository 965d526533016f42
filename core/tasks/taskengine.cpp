#include "tasks/taskengine.h"

#include "tasks/tasklog.h"
#include "tasks/taskrecords.h"
#include "util/paths.h"
#include "util/timespec.h"

#include <QFile>
#include <QLocale>
#include <QLoggingCategory>
#include <QUuid>

#include <sys/stat.h>

namespace baricadr {

Q_LOGGING_CATEGORY(lcTask, "baricadr.task")

namespace {

QString yesNo(bool b)
{
    return b ? QStringLiteral("yes") : QStringLiteral("no");
}

QString describeResult(const TaskInfo &t)
{
    const QString bytes =
        QLocale::c().formattedDataSize(t.result.bytes, 1, QLocale::DataSizeTraditionalFormat);
    switch (t.type) {
    case TaskType::Pull:
        return QStringLiteral("%1 file(s) pulled, %2%3")
            .arg(t.result.files)
            .arg(bytes, t.options.dryRun ? QStringLiteral(" (DRY RUN: nothing copied)") : QString());
    case TaskType::Freeze:
        return QStringLiteral("%1 file(s) frozen, %2 freed, %3 kept%4")
            .arg(t.result.files)
            .arg(bytes)
            .arg(t.result.keptFiles)
            .arg(t.options.dryRun ? QStringLiteral(" (DRY RUN: nothing deleted)") : QString());
    case TaskType::Verify:
        return QStringLiteral("%1 frozen file(s) checked, %2 problem(s)")
            .arg(t.result.files)
            .arg(t.result.problems);
    }
    return QString();
}

} // namespace

QString dedupKey(TaskType type, const TaskOptions &options, const SubmitExtra &extra)
{
    return QStringLiteral("dry=%1;force=%2;wm=%3;email=%4")
        .arg(options.dryRun ? 1 : 0)
        .arg(type == TaskType::Freeze && options.force ? 1 : 0)
        .arg(extra.watermarkLow)
        .arg(options.email);
}

TaskEngine::TaskEngine(TaskRecords *records, QList<RepoConfig> repos, TaskRunnerFactory factory,
                       EngineSettings settings, QObject *parent)
    : QObject(parent)
    , m_records(records)
    , m_repos(std::move(repos))
    , m_factory(std::move(factory))
    , m_settings(std::move(settings))
{
    if (m_settings.workers < 1)
        m_settings.workers = 1;
    m_progressTimer.setSingleShot(true);
    m_progressTimer.setInterval(m_settings.progressWriteIntervalMs);
    connect(&m_progressTimer, &QTimer::timeout, this, &TaskEngine::writeProgress);
    if (m_settings.cleanupIntervalSeconds > 0) {
        m_cleanupTimer.setInterval(std::chrono::seconds(m_settings.cleanupIntervalSeconds));
        connect(&m_cleanupTimer, &QTimer::timeout, this, [this] {
            const auto r = cleanupOld();
            if (!r)
                qCWarning(lcTask) << "cleanup of old tasks failed:" << r.error().message;
            else if (*r > 0)
                qCInfo(lcTask) << "removed" << *r << "old task(s)";
        });
        m_cleanupTimer.start();
    }
}

TaskEngine::~TaskEngine()
{
    // Runners are children: deleting them kills their rclone processes. Nothing is recorded here;
    // an orderly stop goes through shutdown().
    for (auto &runner : m_runners)
        if (runner)
            runner->disconnect(this);
}

std::optional<RepoConfig> TaskEngine::repoFor(const QString &path) const
{
    for (const RepoConfig &repo : m_repos)
        if (paths::contains(repo.root, path))
            return repo;
    return std::nullopt;
}

Result<QString> TaskEngine::submit(TaskType type, const QString &path, const TaskOptions &options,
                                   const SubmitExtra &extra)
{
    if (m_shuttingDown)
        return Error(ErrorCode::Conflict,
                     QStringLiteral("The task engine is stopping; no new task is accepted."));
    const auto normalised = paths::normalize(path);
    if (!normalised || *normalised != path || !path.startsWith(u'/'))
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("Path \"%1\" is not absolute and normalised").arg(path));
    const auto repo = repoFor(path);
    if (!repo)
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(path));
    if (type == TaskType::Freeze && !repo->freezable)
        return Error(ErrorCode::NotFreezable,
                     QStringLiteral("Repository %1 is not freezable (freezable: false in its configuration)")
                         .arg(repo->root));

    const QString key = dedupKey(type, options, extra);
    const bool dedupable = extra.files.isEmpty();
    if (dedupable) {
        if (const auto covering = m_locks.findCovering(type, path, key)) {
            logTo(*covering, QStringLiteral("Also answers a %1 request for %2").arg(toString(type), path));
            return *covering;
        }
    }

    TaskInfo info;
    info.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    info.type = type;
    info.path = path;
    info.repoRoot = repo->root;
    info.options = options;
    info.status = TaskStatus::Waiting;
    info.created = QDateTime::currentDateTimeUtc();
    info.logFile = m_settings.taskLogDir.isEmpty()
                       ? QString()
                       : TaskLog::pathFor(m_settings.taskLogDir, info.created, info.id);
    info.thawOf = extra.thawOf;
    info.files = extra.files;
    info.scheduled = extra.scheduled;
    info.watermarkLow = extra.watermarkLow;

    if (const Status s = m_records->insertTask(info); !s)
        return s.error();

    Live live;
    live.info = info;
    live.log = std::make_unique<TaskLog>();
    live.log->setSecrets({repo->password, repo->secretAccessKey, repo->accessKeyId});
    // Written by the background log writer: the file is created off this thread (see TaskLog).
    live.log->setPath(info.logFile);
    m_live.emplace(info.id, std::move(live));

    QString asked = QStringLiteral("Task %1: %2 of %3 asked").arg(info.id, toString(type), path);
    asked += QStringLiteral(" (dry run: %1").arg(yesNo(options.dryRun));
    if (type == TaskType::Freeze)
        asked += QStringLiteral(", force: %1").arg(yesNo(options.force));
    if (!options.email.isEmpty())
        asked += QStringLiteral(", email: %1").arg(options.email);
    asked += u')';
    if (info.scheduled)
        asked += QStringLiteral(" by a schedule");
    if (!info.thawOf.isEmpty())
        asked += QStringLiteral("; thaw of freeze task %1").arg(info.thawOf);
    if (info.watermarkLow > 0)
        asked += QStringLiteral("; watermark freeze down to %1% usage").arg(info.watermarkLow);
    if (!info.files.isEmpty())
        asked += QStringLiteral("; %1 explicit file(s)").arg(info.files.size());
    logTo(info.id, asked);

    const int blockers = m_locks.add({info.id, type, path, key, dedupable});
    if (blockers > 0)
        logTo(info.id, QStringLiteral("Waiting for %1 earlier task(s) on overlapping paths: %2")
                           .arg(blockers)
                           .arg(m_locks.blockersOf(info.id).join(QStringLiteral(", "))));
    qCInfo(lcTask).noquote() << "task" << info.id << toString(type) << path << "queued";
    Q_EMIT taskChanged(info);
    schedulePump();
    return info.id;
}

void TaskEngine::schedulePump()
{
    if (m_pumpQueued)
        return;
    m_pumpQueued = true;
    QMetaObject::invokeMethod(this, &TaskEngine::pump, Qt::QueuedConnection);
}

void TaskEngine::pump()
{
    m_pumpQueued = false;
    if (m_shuttingDown)
        return;
    while (m_runners.size() < m_settings.workers && m_locks.hasReady()) {
        const QString id = m_locks.takeNextReady();
        startTask(id);
    }
}

void TaskEngine::startTask(const QString &id)
{
    const auto it = m_live.find(id);
    if (it == m_live.end())
        return;
    Live &live = it->second;
    live.info.status = TaskStatus::Started;
    live.info.started = QDateTime::currentDateTimeUtc();
    logTo(id, QStringLiteral("Started"));
    Q_EMIT taskChanged(live.info);

    const auto repo = repoFor(live.info.path);
    if (!repo) {
        complete(id, TaskStatus::Failed,
                 QStringLiteral("Repository %1 is no longer configured").arg(live.info.repoRoot), {});
        return;
    }
    auto made = m_factory(live.info, *repo, *m_records);
    if (!made) {
        complete(id, TaskStatus::Failed, made.error().message, {});
        return;
    }
    TaskRunner *runner = made.value();
    runner->setParent(this);
    m_runners.insert(id, runner);

    connect(runner, &TaskRunner::phaseChanged, this, [this, id](TaskStatus status) {
        const auto it = m_live.find(id);
        if (it == m_live.end() || isFinal(status))
            return;
        it->second.info.status = status;
        store(it->second.info);
        Q_EMIT taskChanged(it->second.info);
    });
    connect(runner, &TaskRunner::progress, this, [this, id](const TaskProgress &progress) {
        const auto it = m_live.find(id);
        if (it == m_live.end())
            return;
        it->second.info.progress = progress;
        it->second.progressDirty = true;
        if (!m_progressTimer.isActive())
            m_progressTimer.start();
        Q_EMIT taskChanged(it->second.info);
    });
    connect(runner, &TaskRunner::logLine, this, [this, id](const QString &line) { logTo(id, line); });
    connect(runner, &TaskRunner::finished, this,
            [this, id](const Result<TaskResult> &result) { onFinished(id, result); });
    // One store write for "started" and the phase the runner enters at once (e.g. pulling).
    live.starting = true;
    runner->start(); // may finish the task, and so erase `live`
    if (const auto again = m_live.find(id); again != m_live.end()) {
        again->second.starting = false;
        store(again->second.info);
    }
}

void TaskEngine::onFinished(const QString &id, const Result<TaskResult> &result)
{
    if (QPointer<TaskRunner> runner = m_runners.take(id)) {
        runner->disconnect(this);
        runner->deleteLater();
    }
    const auto it = m_live.find(id);
    if (it != m_live.end()) {
        const bool cancelled = it->second.cancelRequested;
        if (result.ok())
            complete(id, TaskStatus::Finished, QString(), result.value());
        else if (cancelled || result.error().code == ErrorCode::Cancelled)
            complete(id, TaskStatus::Cancelled, QStringLiteral("cancelled"), {});
        else
            complete(id, TaskStatus::Failed, result.error().message, {});
    }
    if (m_shuttingDown && m_runners.isEmpty())
        Q_EMIT drained();
    schedulePump();
}

void TaskEngine::complete(const QString &id, TaskStatus status, const QString &error,
                          const TaskResult &result)
{
    const auto it = m_live.find(id);
    if (it == m_live.end())
        return;
    Live &live = it->second;
    live.info.status = status;
    live.info.finished = QDateTime::currentDateTimeUtc();
    live.info.error = error;
    live.info.result = result;
    switch (status) {
    case TaskStatus::Finished:
        logTo(id, QStringLiteral("Finished: ") + describeResult(live.info));
        break;
    case TaskStatus::Cancelled:
        logTo(id, QStringLiteral("Cancelled"));
        break;
    default:
        logTo(id, QStringLiteral("Failed: ") + error);
        break;
    }
    live.log->close();
    const TaskInfo info = live.info;
    const bool removed = live.removeRequested;
    m_live.erase(it);

    const QStringList released = m_locks.finish(id);
    for (const QString &other : released)
        logTo(other, QStringLiteral("No longer waiting: task %1 is done").arg(id));

    // The error only when it says more than the status ("cancelled cancelled" said nothing).
    qCInfo(lcTask).noquote() << "task" << id << toString(status)
                             << (error.isEmpty() || error == toString(status) ? QString() : error);
    if (removed) {
        if (const Status s = TaskLog::remove(info.logFile); !s)
            qCWarning(lcTask).noquote() << s.error().message;
    } else {
        store(info);
        Q_EMIT taskChanged(info);
        Q_EMIT taskFinished(info);
    }
    schedulePump();
}

Status TaskEngine::cancel(const QString &id, bool graceful)
{
    const auto it = m_live.find(id);
    if (it == m_live.end()) {
        const auto stored = m_records->task(id);
        if (!stored)
            return Error(ErrorCode::NotFound, QStringLiteral("Task not found in Baricadr database."));
        return Error(ErrorCode::Conflict,
                     QStringLiteral("Task %1 is already %2").arg(id, toString(stored->status)));
    }
    const auto runner = m_runners.value(id);
    if (!runner) {
        complete(id, TaskStatus::Cancelled, QStringLiteral("cancelled"), {});
        return {};
    }
    if (!it->second.cancelRequested)
        logTo(id, graceful ? QStringLiteral("Cancel asked: stopping after the file in flight")
                           : QStringLiteral("Cancel asked: stopping now"));
    it->second.cancelRequested = true;
    m_locks.stopDeduplicating(id);
    runner->cancel(graceful); // may finish synchronously: `it` is not used after this
    return {};
}

Status TaskEngine::remove(const QString &id)
{
    const auto it = m_live.find(id);
    if (it == m_live.end()) {
        const auto stored = m_records->task(id);
        if (!stored)
            return Error(ErrorCode::NotFound, QStringLiteral("Task not found in Baricadr database."));
        if (Status s = m_records->removeTask(id); !s)
            return s;
        if (const Status s = TaskLog::remove(stored->logFile); !s)
            qCWarning(lcTask).noquote() << s.error().message;
        Q_EMIT taskRemoved(id);
        return {};
    }
    // The row goes now (the caller is told the task is removed); the path locks are held until the
    // runner has really stopped, so nothing overlapping starts while rclone is still exiting.
    it->second.removeRequested = true;
    it->second.progressDirty = false;
    if (Status s = m_records->removeTask(id); !s)
        return s;
    Q_EMIT taskRemoved(id);
    return cancel(id, false);
}

Result<QString> TaskEngine::thaw(const QString &freezeTaskId, const QString &email)
{
    const auto task = m_records->task(freezeTaskId);
    if (!task)
        return Error(ErrorCode::NotFound, QStringLiteral("Task not found in Baricadr database."));
    if (task->type != TaskType::Freeze)
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("Task %1 is a %2 task; only a freeze can be thawed")
                         .arg(freezeTaskId, toString(task->type)));
    if (!isFinal(task->status))
        return Error(ErrorCode::Conflict,
                     QStringLiteral("Freeze task %1 is still %2; thaw it once it is done")
                         .arg(freezeTaskId, toString(task->status)));
    const auto journal = m_records->journalForTask(freezeTaskId);
    if (!journal)
        return journal.error();
    if (journal->isEmpty())
        return Error(
            ErrorCode::InvalidInput,
            QStringLiteral("Freeze task %1 removed no file%2: nothing to thaw")
                .arg(freezeTaskId, task->options.dryRun ? QStringLiteral(" (it was a dry run)") : QString()));
    QStringList files;
    files.reserve(journal->size());
    for (const JournalEntry &e : *journal) {
        const QString abs = paths::join(e.repoRoot, e.relPath);
        if (!paths::contains(task->path, abs))
            continue; // cannot happen for a well-formed journal; never pull outside the task's path
        files.append(paths::relative(task->path, abs));
    }
    TaskOptions options;
    options.email = email;
    SubmitExtra extra;
    extra.files = files;
    extra.thawOf = freezeTaskId;
    return submit(TaskType::Pull, task->path, options, extra);
}

Result<QStringList> TaskEngine::recoverInterrupted()
{
    auto ids = m_records->markInterrupted(QStringLiteral("interrupted"));
    if (!ids || ids->isEmpty())
        return ids;
    qCWarning(lcTask).noquote() << ids->size() << "task(s) left unfinished by a previous run marked failed:"
                                << ids->join(u' ');
    // A freeze records each file in the journal right before unlinking it, so a crash between
    // the two leaves a row for a file that is still here. Take such rows back: the journal
    // lists what was removed, nothing else.
    for (const QString &id : std::as_const(*ids)) {
        const auto journal = m_records->journalForTask(id);
        if (!journal) {
            qCWarning(lcTask).noquote()
                << "task" << id << ": cannot read its freeze journal:" << journal.error().message;
            continue;
        }
        for (const JournalEntry &e : *journal) {
            const QString path = paths::join(e.repoRoot, e.relPath);
            struct stat st
            {
            };
            if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
                continue; // removed, as recorded
            const qint64 mtimeNs = toNs(st.st_mtim);
            if (qint64(st.st_size) != e.size || mtimeNs != e.mtimeNs)
                continue; // something else now has that name: the recorded file is gone
            if (const Status s = m_records->forgetFrozen(e); !s) {
                qCWarning(lcTask).noquote()
                    << "task" << id << ":" << path
                    << "was not removed, but its journal row could not be taken back:" << s.error().message;
                continue;
            }
            qCWarning(lcTask).noquote() << "task" << id << ":" << path
                                        << "was still there after the interruption: journal row taken back";
        }
    }
    return ids;
}

Result<QStringList> TaskEngine::cleanupZombies()
{
    const auto unfinished = m_records->unfinishedTasks();
    if (!unfinished)
        return unfinished.error();
    QStringList ids;
    for (TaskInfo t : *unfinished) {
        if (m_live.contains(t.id))
            continue;
        t.status = TaskStatus::Failed;
        t.error = QStringLiteral("interrupted");
        t.finished = QDateTime::currentDateTimeUtc();
        if (const Status s = m_records->updateTask(t); !s)
            return s.error();
        ids.append(t.id);
        Q_EMIT taskChanged(t);
    }
    return ids;
}

Result<int> TaskEngine::cleanupOld()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-m_settings.cleanupAgeSeconds);
    const auto old = m_records->tasksFinishedBefore(before);
    if (!old)
        return old.error();
    int removed = 0;
    for (const TaskInfo &t : *old) {
        if (m_live.contains(t.id))
            continue;
        if (const Status s = m_records->removeTask(t.id); !s)
            return s.error();
        if (const Status s = TaskLog::remove(t.logFile); !s)
            qCWarning(lcTask).noquote() << s.error().message;
        ++removed;
        Q_EMIT taskRemoved(t.id);
    }
    return removed;
}

void TaskEngine::shutdown()
{
    m_shuttingDown = true;
    m_cleanupTimer.stop();
    QStringList waiting;
    QStringList running;
    for (const auto &[id, live] : m_live)
        (m_runners.contains(id) ? running : waiting).append(id);
    for (const QString &id : waiting)
        complete(id, TaskStatus::Cancelled, QStringLiteral("cancelled: the service stopped"), {});
    for (const QString &id : running)
        (void)cancel(id, false);
    writeProgress();
    if (m_runners.isEmpty())
        QMetaObject::invokeMethod(this, &TaskEngine::drained, Qt::QueuedConnection);
}

std::optional<TaskInfo> TaskEngine::liveTask(const QString &id) const
{
    const auto it = m_live.find(id);
    if (it == m_live.end())
        return std::nullopt;
    return it->second.info;
}

QList<TaskInfo> TaskEngine::liveTasks() const
{
    QList<TaskInfo> out;
    out.reserve(qsizetype(m_live.size()));
    for (const auto &[id, live] : m_live)
        out.append(live.info);
    return out;
}

void TaskEngine::writeProgress()
{
    for (auto &[id, live] : m_live) {
        if (!live.progressDirty)
            continue;
        live.progressDirty = false;
        if (const Status s = m_records->updateProgress(id, live.info.progress); !s)
            qCWarning(lcTask).noquote() << "cannot record progress of task" << id << s.error().message;
    }
}

void TaskEngine::store(const TaskInfo &info)
{
    const auto it = m_live.find(info.id);
    if (it != m_live.end() && (it->second.removeRequested || it->second.starting))
        return; // starting: startTask() stores the state the runner's start left
    // Only the final state must survive a database crash: recovery fails an unfinished task
    // "interrupted" whatever intermediate state it had.
    const Status s = isFinal(info.status) ? m_records->updateTask(info) : m_records->updateTaskInterim(info);
    if (!s)
        qCWarning(lcTask).noquote() << "cannot record task" << info.id << s.error().message;
}

void TaskEngine::logTo(const QString &id, const QString &line)
{
    const auto it = m_live.find(id);
    if (it != m_live.end() && it->second.log)
        it->second.log->write(line);
}

} // namespace baricadr
