#pragma once

#include "repo/filesystem.h"
#include "repo/repoconfig.h"
#include "util/result.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace baricadr {

class TaskEngine;
class TaskRecords;

struct SchedulerSettings
{
    qint64 watermarkCheckIntervalSeconds = 300; // WATERMARK_CHECK_INTERVAL, 0 = no watermark checks
    qint64 secondsPerDay = 86400;               // tests shrink "days" (auto_freeze_interval, verify_interval)
    std::function<QDateTime()> now = [] { return QDateTime::currentDateTimeUtc(); };
    std::function<Result<FsUsage>(const QString &path)> usage = filesystemUsage;
};

// When a periodic run is due, from the persisted last run. Pure.
// - never ran: the schedule starts now, first run one interval later (no freeze storm when a
//   service starts for the first time or a repo gets auto_freeze);
// - due in the past (the service was down): run now, once; the next run is an interval after it.
QDateTime nextDue(const std::optional<QDateTime> &lastRun, qint64 intervalSeconds, const QDateTime &now);

// The schedules of every repo, as timers armed from the persisted state (TaskRecords::lastRun):
// - auto_freeze: a whole-repo freeze every auto_freeze_interval days (kind "auto_freeze");
// - verify_interval: a whole-repo verify every verify_interval days (kind "verify");
// - watermarks: every WATERMARK_CHECK_INTERVAL s, a repo over freeze_watermark_high gets a
//   watermark freeze down to freeze_watermark_low (deduplicated while one is unfinished).
// Scheduled tasks carry `scheduled`, so their failures go to MAIL_ADMIN.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    Scheduler(TaskEngine *engine, TaskRecords *records, SchedulerSettings settings = {},
              QObject *parent = nullptr);
    ~Scheduler() override;

    // Arms every timer (runs overdue schedules now).
    void start();
    void stop();

    // One watermark check of every repo (the timer calls it); the ids of the freezes submitted.
    QStringList checkWatermarks();

    // When a repo's schedule will fire next (invalid when it has none): for the GUI and tests.
    QDateTime nextRun(const QString &repoRoot, const QString &kind) const;

    static constexpr const char *AutoFreeze = "auto_freeze";
    static constexpr const char *Verify = "verify";

Q_SIGNALS:
    void submitted(const QString &kind, const QString &repoRoot, const QString &taskId);
    void failed(const QString &kind, const QString &repoRoot, const QString &error);

private:
    struct Schedule
    {
        QString repoRoot;
        QString kind;
        qint64 intervalSeconds = 0;
        QDateTime due;
        std::unique_ptr<QTimer> timer;
    };
    void arm(Schedule &s);
    void fire(Schedule &s);

    TaskEngine *m_engine;
    TaskRecords *m_records;
    SchedulerSettings m_settings;
    std::vector<std::unique_ptr<Schedule>> m_schedules;
    QTimer m_watermarkTimer;
};

} // namespace baricadr
