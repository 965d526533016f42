#include "tasks/pullrunner.h"

#include "util/paths.h"

namespace baricadr {

PullRunner::PullRunner(const TaskInfo &task, const RepoConfig &repo, const RcloneOptions &rclone,
                       QObject *parent)
    : TaskRunner(parent)
    , m_task(task)
    , m_repo(repo)
    , m_rclone(rclone)
{}

PullRunner::~PullRunner() = default;

void PullRunner::start()
{
    Q_EMIT phaseChanged(TaskStatus::Pulling);
    const QString relPath = paths::relative(m_repo.root, m_task.path);
    PullOptions options;
    options.dryRun = m_task.options.dryRun;
    options.taskId = m_task.id;
    for (const QString &file : m_task.files)
        options.files.append(relPath.isEmpty() ? file : relPath + u'/' + file);

    m_puller = new Puller(m_rclone, this);
    connect(m_puller, &Puller::progress, this, &TaskRunner::progress);
    connect(m_puller, &Puller::fileDone, this, [this](const QString &rel, qint64 bytes) {
        Q_EMIT logLine(QStringLiteral("Pulled %1 (%2 B)").arg(rel).arg(bytes));
    });
    connect(m_puller, &Puller::logMessage, this, &TaskRunner::logLine);
    connect(m_puller, &Puller::finished, this, &PullRunner::onFinished);
    m_puller->start(m_repo, relPath, options);
}

void PullRunner::cancel(bool graceful)
{
    if (m_puller && !m_done)
        m_puller->cancel(graceful);
}

void PullRunner::onFinished(const Result<PullOutcome> &outcome)
{
    if (m_done)
        return;
    m_done = true;
    if (!outcome) {
        Q_EMIT finished(outcome.error());
        return;
    }
    const PullOutcome &o = outcome.value();
    // Files the remote has but this pull had to leave out (a symlink or a file where a directory
    // is needed, a name with a control character, a size that changed on the remote): counted as
    // problems; when nothing could be pulled because of them, the task failed, never "finished".
    if (o.files == 0 && !o.notPulled.isEmpty()) {
        Q_EMIT finished(Error(
            ErrorCode::Io, QStringLiteral("nothing was pulled: %1 file(s) of the remote could not be placed "
                                          "in the repository (first: %2; every one is in the task log)")
                               .arg(o.notPulled.size())
                               .arg(o.notPulled.first())));
        return;
    }
    TaskResult r;
    r.files = o.files;
    r.bytes = o.bytes;
    r.problems = o.notPulled.size();
    const QStringList &affected = m_task.options.dryRun ? o.wouldPull : o.pulled;
    r.affectedCount = affected.size();
    r.affected = affected.mid(0, TaskResult::kAffectedCap);
    if (m_task.options.dryRun)
        for (const QString &rel : o.wouldPull)
            Q_EMIT logLine(QStringLiteral("Would pull %1").arg(rel));
    for (const QString &rel : o.keptLocal)
        Q_EMIT logLine(QStringLiteral("Kept the local %1: it appeared locally while pulling").arg(rel));
    for (const QString &rel : o.notOnRemote)
        Q_EMIT logLine(QStringLiteral("Not on the remote: %1").arg(rel));
    Q_EMIT finished(r);
}

} // namespace baricadr
