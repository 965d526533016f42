#include "tasks/verifyjob.h"

#include "rclone/remotelister.h"
#include "tasks/taskrecords.h"
#include "util/paths.h"

#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace baricadr {

VerifyJob::VerifyJob(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records,
                     const RcloneOptions &rclone, QObject *parent)
    : TaskRunner(parent)
    , m_task(task)
    , m_repo(repo)
    , m_records(records)
    , m_rclone(rclone)
{}

VerifyJob::~VerifyJob() = default;

void VerifyJob::start()
{
    Q_EMIT phaseChanged(TaskStatus::Verifying);
    const QString relPrefix = paths::relative(m_repo.root, m_task.path);
    // Latest journal entry per path (a file frozen, thawed and frozen again counts once, as
    // last frozen). Only path, size and hash are kept.
    const auto read =
        m_records.journalUnder(m_repo.root, relPrefix, [this](const QList<JournalEntry> &batch) {
            for (const JournalEntry &e : batch)
                m_expected.insert(e.relPath, Expected{e.size, e.hash});
            return !m_cancelled;
        });
    if (!read) {
        QTimer::singleShot(0, this, [this, e = read.error()] { done(e); });
        return;
    }
    m_paths = m_expected.keys();
    std::sort(m_paths.begin(), m_paths.end());
    Q_EMIT logLine(QStringLiteral("Checking %1 frozen file(s) under %2 against the remote")
                       .arg(m_paths.size())
                       .arg(m_task.path));
    QTimer::singleShot(0, this, &VerifyJob::statNextChunk);
}

void VerifyJob::statNextChunk()
{
    if (m_cancelled || m_done)
        return;
    TaskProgress p;
    p.files = m_offset;
    p.totalFiles = m_paths.size();
    Q_EMIT progress(p);
    if (m_offset >= m_paths.size()) {
        m_result.files = m_paths.size();
        if (m_result.problems == 0)
            Q_EMIT logLine(QStringLiteral("All %1 frozen file(s) are on the remote").arg(m_paths.size()));
        else
            Q_EMIT logLine(QStringLiteral("%1 of %2 frozen file(s) are missing or different on the remote")
                               .arg(m_result.problems)
                               .arg(m_paths.size()));
        done(m_result);
        return;
    }
    m_chunk = m_paths.mid(m_offset, kChunk);
    bool withHash = false;
    for (const QString &path : std::as_const(m_chunk))
        if (!m_expected.value(path).hash.isEmpty())
            withHash = true;
    if (m_lister)
        m_lister->deleteLater();
    m_lister = new RemoteLister(m_rclone, this);
    connect(m_lister, &RemoteLister::statFinished, this, &VerifyJob::onStat);
    m_lister->stat(m_repo, m_chunk, withHash);
    if (m_offset == 0)
        Q_EMIT logLine(QStringLiteral("rclone: ") + m_lister->commandLineForLog());
}

void VerifyJob::onStat(const Result<QHash<QString, RemoteEntry>> &result)
{
    if (m_done)
        return;
    if (m_cancelled) {
        done(Error(ErrorCode::Cancelled, QStringLiteral("cancelled")));
        return;
    }
    if (!result) {
        done(result.error());
        return;
    }
    const auto &remote = result.value();
    for (const QString &path : std::as_const(m_chunk)) {
        const Expected expected = m_expected.value(path);
        const auto it = remote.constFind(path);
        if (it == remote.constEnd()) {
            problem(path, QStringLiteral("missing on the remote"));
            continue;
        }
        if (it->size >= 0 && it->size != expected.size) {
            problem(path, QStringLiteral("size differs: remote %1 B, %2 B when frozen")
                              .arg(it->size)
                              .arg(expected.size));
            continue;
        }
        const qsizetype colon = expected.hash.indexOf(u':');
        if (colon > 0 && !it->hash.isEmpty()) {
            const QString type = expected.hash.left(colon);
            const QString value = expected.hash.mid(colon + 1);
            if ((it->hashType.isEmpty() || it->hashType == type) &&
                it->hash.compare(value, Qt::CaseInsensitive) != 0) {
                problem(path,
                        QStringLiteral("%1 differs: remote %2, %3 when frozen").arg(type, it->hash, value));
                continue;
            }
        }
    }
    m_offset += m_chunk.size();
    statNextChunk();
}

void VerifyJob::problem(const QString &relPath, const QString &what)
{
    ++m_result.problems;
    ++m_result.affectedCount;
    if (m_result.affected.size() < TaskResult::kAffectedCap)
        m_result.affected.append(relPath);
    const bool local = QFileInfo::exists(paths::join(m_repo.root, relPath));
    Q_EMIT logLine(QStringLiteral("PROBLEM %1: %2%3")
                       .arg(relPath, what,
                            local ? QStringLiteral(" (a local copy exists)")
                                  : QStringLiteral(" (no local copy: this data may be lost)")));
}

void VerifyJob::cancel(bool)
{
    if (m_done || m_cancelled)
        return;
    m_cancelled = true;
    if (m_lister)
        m_lister->cancel(); // statFinished follows
    else
        QTimer::singleShot(0, this,
                           [this] { done(Error(ErrorCode::Cancelled, QStringLiteral("cancelled"))); });
}

void VerifyJob::done(const Result<TaskResult> &result)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(result);
}

} // namespace baricadr
