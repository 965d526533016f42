#include "demoservice.h"

#include "freeze/freezeplanner.h"
#include "repo/exclude.h"
#include "repo/repoconfig.h"
#include "scan/localscanner.h"
#include "util/paths.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QUuid>

#include <sys/stat.h>
#include <utime.h>

namespace baricadr::test {

namespace {
template<typename T> QFuture<Result<T>> ready(Result<T> r)
{
    return QtFuture::makeReadyFuture(std::move(r));
}
QFuture<Result<void>> readyVoid(Result<void> r)
{
    return QtFuture::makeReadyFuture(std::move(r));
}

QHash<QString, RemoteEntry> remoteIndex(const QString &remoteDir)
{
    QHash<QString, RemoteEntry> out;
    QDirIterator it(remoteDir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo fi = it.fileInfo();
        RemoteEntry e;
        e.relPath = QDir(remoteDir).relativeFilePath(fi.filePath());
        e.size = fi.size();
        e.mtimeNs = fi.lastModified().toMSecsSinceEpoch() * 1'000'000LL;
        out.insert(e.relPath, e);
    }
    return out;
}
} // namespace

DemoService::DemoService(QList<Repo> repos, QObject *parent)
    : BaricadrService(parent)
    , m_repos(std::move(repos))
{}

const DemoService::Repo *DemoService::repoFor(const QString &path) const
{
    for (const Repo &r : m_repos) {
        if (paths::contains(r.root, path))
            return &r;
    }
    return nullptr;
}

QFuture<Result<QList<RepoInfo>>> DemoService::repos()
{
    QList<RepoInfo> out;
    for (const Repo &r : m_repos) {
        RepoInfo i;
        i.root = r.root;
        i.settings = QJsonObject{
            {QStringLiteral("local_path"), r.root},      {QStringLiteral("backend"), QStringLiteral("local")},
            {QStringLiteral("path"), r.remoteDir},       {QStringLiteral("freezable"), r.freezable},
            {QStringLiteral("freeze_age"), r.freezeAge}, {QStringLiteral("exclude"), r.exclude}};
        i.atimeMode = QStringLiteral("relatime");
        for (const Pin &p : m_pins) {
            if (paths::contains(r.root, p.path))
                i.pins << p;
        }
        out << i;
    }
    return ready<QList<RepoInfo>>(out);
}

QFuture<Result<QList<ListEntry>>> DemoService::list(const ListRequest &request)
{
    const Repo *r = repoFor(request.path);
    if (!r)
        return ready<QList<ListEntry>>(
            Error(ErrorCode::InvalidInput,
                  QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(request.path)));
    if (r->root == failListingOf)
        return ready<QList<ListEntry>>(Error(
            ErrorCode::RemoteUnreachable,
            QStringLiteral("Cannot reach the remote of %1: connection refused (127.0.0.1:1)").arg(r->root)));
    QList<ListEntry> out;
    QDirIterator it(r->remoteDir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo fi = it.fileInfo();
        ListEntry e;
        e.path = QDir(r->remoteDir).relativeFilePath(fi.filePath());
        e.missing = !QFileInfo::exists(r->root + u'/' + e.path);
        e.full =
            QJsonObject{{QStringLiteral("Path"), e.path},
                        {QStringLiteral("Name"), fi.fileName()},
                        {QStringLiteral("Size"), fi.isDir() ? -1 : fi.size()},
                        {QStringLiteral("ModTime"), fi.lastModified().toUTC().toString(Qt::ISODateWithMs)},
                        {QStringLiteral("IsDir"), fi.isDir()}};
        out << e;
    }
    return ready<QList<ListEntry>>(out);
}

Result<FreezePlan> DemoService::plan(const QString &path) const
{
    const Repo *r = repoFor(path);
    if (!r)
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(path));
    if (!r->freezable)
        return Error(ErrorCode::NotFreezable, QStringLiteral("Repository %1 is not freezable").arg(r->root));
    ScanOptions so;
    so.root = r->root;
    so.subPath = paths::relative(r->root, path);
    std::vector<LocalEntry> local;
    LocalScanner::scanAll(so, &local);
    FreezePolicy fp;
    fp.nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    fp.freezeAgeDays = r->freezeAge;
    RepoConfig rc;
    rc.root = r->root;
    rc.exclude = splitExcludeList(r->exclude);
    fp.isExcluded = [rc](const QString &rel) { return isExcluded(rc, paths::join(rc.root, rel)); };
    for (const Pin &p : m_pins) {
        if (paths::contains(r->root, p.path))
            fp.pins << paths::relative(r->root, p.path);
    }
    return planFreeze(local, remoteIndex(r->remoteDir), fp);
}

QFuture<Result<FreezePlan>> DemoService::previewFreeze(const FreezeRequest &request)
{
    return ready<FreezePlan>(plan(request.path));
}

QString DemoService::start(TaskType type, const QString &path, const QStringList &files,
                           const QString &thawOf)
{
    TaskInfo t;
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    t.type = type;
    t.path = path;
    t.repoRoot = repoFor(path) ? repoFor(path)->root : QString();
    t.created = QDateTime::currentDateTimeUtc();
    t.files = files;
    t.thawOf = thawOf;
    m_tasks.insert(t.id, t);
    m_logs.insert(t.id, QStringLiteral("%1 %2 asked\n").arg(toString(type), path));
    Q_EMIT taskChanged(t);
    QTimer::singleShot(stepMs, this, [this, id = t.id] { advance(id); });
    return t.id;
}

void DemoService::advance(const QString &id)
{
    auto it = m_tasks.find(id);
    if (it == m_tasks.end() || isFinal(it->status))
        return;
    TaskInfo &t = *it;
    if (t.status == TaskStatus::Waiting) {
        t.status = t.type == TaskType::Pull ? TaskStatus::Pulling : TaskStatus::Freezing;
        t.started = QDateTime::currentDateTimeUtc();
        t.progress.totalBytes = 4 * 1024 * 1024;
        t.progress.totalFiles = 8;
    } else if (t.progress.files < t.progress.totalFiles && t.progress.files < steps) {
        t.progress.files += t.progress.totalFiles / std::max(steps, 1);
        t.progress.bytes = t.progress.totalBytes * t.progress.files / t.progress.totalFiles;
        t.progress.etaSeconds = (t.progress.totalFiles - t.progress.files) * stepMs / 1000 + 1;
    } else {
        // Do the work for real on the directories.
        const Repo *r = repoFor(t.path);
        if (t.type == TaskType::Pull && r) {
            const QHash<QString, RemoteEntry> idx = remoteIndex(r->remoteDir);
            const QString sub = paths::relative(r->root, t.path);
            for (auto e = idx.cbegin(); e != idx.cend(); ++e) {
                if (!t.files.isEmpty() ? !t.files.contains(e.key())
                                       : !(sub.isEmpty() || e.key() == sub || e.key().startsWith(sub + u'/')))
                    continue;
                const QString dst = r->root + u'/' + e.key();
                if (QFileInfo::exists(dst))
                    continue;
                QDir().mkpath(QFileInfo(dst).absolutePath());
                if (QFile::copy(r->remoteDir + u'/' + e.key(), dst)) {
                    QFile f(dst); // like rclone: the remote's mtime, a fresh atime
                    if (f.open(QIODevice::ReadWrite))
                        f.setFileTime(QDateTime::fromMSecsSinceEpoch(e->mtimeNs / 1'000'000),
                                      QFileDevice::FileModificationTime);
                    ++t.result.files;
                    t.result.bytes += e->size;
                    t.result.affected << e.key();
                }
            }
        } else if (t.type == TaskType::Freeze && r) {
            const Result<FreezePlan> p = plan(t.path);
            if (!p.ok()) {
                t.status = TaskStatus::Failed;
                t.error = p.error().message;
            } else {
                for (const FreezeCandidate &c : p->toFreeze) {
                    if (QFile::remove(r->root + u'/' + c.local.relPath)) {
                        ++t.result.files;
                        t.result.bytes += c.local.size;
                        t.result.affected << c.local.relPath;
                    }
                }
                t.result.keptFiles = p->keptTotal();
                m_frozenBy.insert(t.id, t.result.affected);
            }
        }
        if (t.status != TaskStatus::Failed)
            t.status = TaskStatus::Finished;
        t.finished = QDateTime::currentDateTimeUtc();
        t.result.affectedCount = t.result.affected.size();
        m_logs[id] += QStringLiteral("%1: %2 files, %3 bytes\n")
                          .arg(toString(t.status))
                          .arg(t.result.files)
                          .arg(t.result.bytes);
        Q_EMIT taskChanged(t);
        return;
    }
    Q_EMIT taskChanged(t);
    QTimer::singleShot(stepMs, this, [this, id] { advance(id); });
}

void DemoService::injectTask(const TaskInfo &task)
{
    m_tasks.insert(task.id, task);
    m_logs.insert(task.id, QStringLiteral("%1 %2\n").arg(toString(task.type), task.path));
    if (task.type == TaskType::Freeze && task.status == TaskStatus::Finished)
        m_frozenBy.insert(task.id, task.result.affected);
    Q_EMIT taskChanged(task);
}

QFuture<Result<QString>> DemoService::submitPull(const PullRequest &request)
{
    if (!repoFor(request.path))
        return ready<QString>(
            Error(ErrorCode::InvalidInput,
                  QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(request.path)));
    return ready<QString>(start(TaskType::Pull, request.path, {}, {}));
}

QFuture<Result<QString>> DemoService::submitFreeze(const FreezeRequest &request)
{
    const Repo *r = repoFor(request.path);
    if (!r)
        return ready<QString>(
            Error(ErrorCode::InvalidInput,
                  QStringLiteral("Could not find baricadr repository for path \"%1/\"").arg(request.path)));
    if (!r->freezable)
        return ready<QString>(
            Error(ErrorCode::NotFreezable, QStringLiteral("Repository %1 is not freezable").arg(r->root)));
    return ready<QString>(start(TaskType::Freeze, request.path, {}, {}));
}

QFuture<Result<QString>> DemoService::submitVerify(const QString &path, const QString &)
{
    return ready<QString>(start(TaskType::Verify, path, {}, {}));
}

QFuture<Result<QString>> DemoService::thaw(const QString &freezeTaskId)
{
    if (!m_frozenBy.contains(freezeTaskId))
        return ready<QString>(
            Error(ErrorCode::NotFound, QStringLiteral("No freeze journal for task %1").arg(freezeTaskId)));
    return ready<QString>(start(TaskType::Pull, m_tasks.value(freezeTaskId).path,
                                m_frozenBy.value(freezeTaskId), freezeTaskId));
}

QFuture<Result<QList<TaskInfo>>> DemoService::tasks(const TaskQuery &)
{
    return ready<QList<TaskInfo>>(m_tasks.values());
}

QFuture<Result<TaskInfo>> DemoService::task(const QString &id)
{
    if (!m_tasks.contains(id))
        return ready<TaskInfo>(
            Error(ErrorCode::NotFound,
                  QStringLiteral("Task not found in Baricadr database. Maybe it is too old.")));
    return ready<TaskInfo>(m_tasks.value(id));
}

QFuture<Result<QString>> DemoService::taskLog(const QString &id)
{
    if (!m_logs.contains(id))
        return ready<QString>(
            Error(ErrorCode::NotFound, QStringLiteral("Task log not found, maybe it is too old.")));
    return ready<QString>(m_logs.value(id));
}

QFuture<Result<void>> DemoService::removeTask(const QString &id)
{
    if (!m_tasks.remove(id))
        return readyVoid(Error(ErrorCode::NotFound, QStringLiteral("Task not found in Baricadr database.")));
    Q_EMIT taskRemoved(id);
    return readyVoid({});
}

QFuture<Result<void>> DemoService::cancelTask(const QString &id, bool)
{
    auto it = m_tasks.find(id);
    if (it == m_tasks.end())
        return readyVoid(Error(ErrorCode::NotFound, QStringLiteral("Task not found in Baricadr database.")));
    if (!isFinal(it->status)) {
        it->status = TaskStatus::Cancelled;
        it->error = QStringLiteral("Cancelled by a user.");
        it->finished = QDateTime::currentDateTimeUtc();
        Q_EMIT taskChanged(*it);
    }
    return readyVoid({});
}

QFuture<Result<QString>> DemoService::cleanupZombies()
{
    return ready<QString>(QString());
}

QFuture<Result<QList<Pin>>> DemoService::pins()
{
    return ready<QList<Pin>>(m_pins);
}

QFuture<Result<void>> DemoService::addPin(const QString &path, const QString &comment)
{
    Pin p;
    p.path = path;
    p.repoRoot = repoFor(path) ? repoFor(path)->root : QString();
    p.created = QDateTime::currentDateTimeUtc();
    p.comment = comment;
    m_pins << p;
    return readyVoid({});
}

QFuture<Result<void>> DemoService::removePin(const QString &path)
{
    m_pins.removeIf([&](const Pin &p) { return p.path == path; });
    return readyVoid({});
}

} // namespace baricadr::test
