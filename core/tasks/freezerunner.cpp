#include "tasks/freezerunner.h"

#include "repo/filesystem.h"
#include "tasks/taskrecords.h"
#include "util/paths.h"

#include <QLocale>
#include <QTimer>

namespace baricadr {

namespace {
constexpr qint64 kPinRefreshMs = 1000;
} // namespace

FreezeRunner::FreezeRunner(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records,
                           const RcloneOptions &rclone, QObject *parent)
    : TaskRunner(parent)
    , m_task(task)
    , m_repo(repo)
    , m_records(records)
    , m_rclone(rclone)
{}

FreezeRunner::~FreezeRunner() = default;

QStringList FreezeRunner::currentPins()
{
    if (m_pinsAge.isValid() && m_pinsAge.elapsed() < kPinRefreshMs)
        return m_pins;
    const auto pins = m_records.pins();
    if (pins) {
        m_pins.clear();
        for (const Pin &pin : *pins)
            if (paths::contains(m_repo.root, pin.path))
                m_pins.append(paths::relative(m_repo.root, pin.path));
        m_pinsAge.start();
    }
    // On a read error the last known pins stay in force (and are re-read next time).
    return m_pins;
}

void FreezeRunner::start()
{
    Q_EMIT phaseChanged(TaskStatus::Freezing);
    FreezeJobRequest request;
    request.repo = m_repo;
    request.relPath = paths::relative(m_repo.root, m_task.path);
    request.taskId = m_task.id;
    request.dryRun = m_task.options.dryRun;
    request.force = m_task.options.force;
    request.rclone = m_rclone;
    const auto pins = m_records.pins();
    if (!pins) {
        QTimer::singleShot(0, this, [this, e = pins.error()] { onFinished(e); });
        return;
    }
    request.pins = currentPins();
    request.isPinnedNow = [this](const QString &relPath) {
        const QStringList now = currentPins();
        for (const QString &pin : now)
            if (pin.isEmpty() || relPath == pin || relPath.startsWith(pin + u'/'))
                return true;
        return false;
    };
    request.record = [this](const JournalEntry &entry) { return m_records.recordFrozen(entry); };
    request.retract = [this](const JournalEntry &entry) { return m_records.forgetFrozen(entry); };
    request.listRecentlyAccessed = m_task.options.dryRun;
    // The task keeps counts and a capped list; every file goes to the log as it is decided, so
    // a dry run of a huge repo does not hold its whole plan (FreezeJob::filePlanned/fileKept).
    request.planListCap = 0;

    if (m_task.watermarkLow > 0) {
        const auto usage = filesystemUsage(m_repo.root);
        if (!usage) {
            QTimer::singleShot(0, this, [this, e = usage.error()] { onFinished(e); });
            return;
        }
        const double capacity = double(usage->used + usage->available);
        const qint64 target = qint64(capacity * m_task.watermarkLow / 100.0);
        const qint64 toFree = std::max<qint64>(0, usage->used - target);
        Q_EMIT logLine(QStringLiteral("Filesystem of %1 is %2% full; freeing %3 to get under %4%")
                           .arg(m_repo.root)
                           .arg(usage->usedPercent, 0, 'f', 1)
                           .arg(QLocale::c().formattedDataSize(toFree, 1, QLocale::DataSizeTraditionalFormat))
                           .arg(m_task.watermarkLow));
        if (toFree == 0) {
            QTimer::singleShot(0, this, [this] { onFinished(FreezeOutcome{}); });
            return;
        }
        request.watermark = WatermarkPolicy{toFree, m_repo.freezeMinAge};
    }

    m_job = new FreezeJob(std::move(request), this);
    connect(m_job, &FreezeJob::progress, this, &TaskRunner::progress);
    connect(m_job, &FreezeJob::fileFrozen, this, [this](const JournalEntry &e) {
        ++m_result.affectedCount;
        if (m_result.affected.size() < TaskResult::kAffectedCap)
            m_result.affected.append(e.relPath);
        Q_EMIT logLine(QStringLiteral("Frozen %1 (%2 B)").arg(e.relPath).arg(e.size));
    });
    connect(m_job, &FreezeJob::filePlanned, this, [this](const FreezeCandidate &c) {
        if (!m_task.options.dryRun)
            return; // a real freeze reports each file once it is frozen (fileFrozen)
        ++m_result.affectedCount;
        if (m_result.affected.size() < TaskResult::kAffectedCap)
            m_result.affected.append(c.local.relPath);
        Q_EMIT logLine(QStringLiteral("Would freeze %1 (%2 B)").arg(c.local.relPath).arg(c.local.size));
    });
    connect(m_job, &FreezeJob::fileKept, this,
            [this](const QString &relPath, KeepReason reason, const QString &detail) {
                Q_EMIT logLine(QStringLiteral("Kept %1: %2%3")
                                   .arg(relPath, toString(reason),
                                        detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail)));
                if (m_task.options.dryRun)
                    Q_EMIT logLine(QStringLiteral("Would keep %1: %2").arg(relPath, toString(reason)));
            });
    connect(m_job, &FreezeJob::logMessage, this, [this](const QString &level, const QString &message) {
        Q_EMIT logLine(level == QLatin1String("info") ? message : level + QStringLiteral(": ") + message);
    });
    connect(m_job, &FreezeJob::finished, this, &FreezeRunner::onFinished);
    m_job->start();
}

void FreezeRunner::cancel(bool)
{
    // FreezeJob always stops between files: a file is never half frozen.
    if (m_job && !m_done)
        m_job->cancel();
}

void FreezeRunner::onFinished(const Result<FreezeOutcome> &outcome)
{
    if (m_done)
        return;
    m_done = true;
    if (!outcome) {
        Q_EMIT finished(outcome.error());
        return;
    }
    const FreezeOutcome &o = outcome.value();
    for (const ScanError &e : o.scanErrors)
        Q_EMIT logLine(
            QStringLiteral("warning: not scanned: %1").arg(e.relPath + QStringLiteral(": ") + e.message));
    m_result.files = o.files;
    m_result.bytes = o.bytes;
    m_result.keptFiles = o.keptFiles;
    Q_EMIT finished(m_result);
}

} // namespace baricadr
