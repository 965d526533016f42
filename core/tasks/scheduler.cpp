#include "tasks/scheduler.h"

#include "tasks/taskengine.h"
#include "tasks/taskrecords.h"

#include <QLoggingCategory>

#include <algorithm>

namespace baricadr {

Q_LOGGING_CATEGORY(lcSchedule, "baricadr.schedule")

namespace {
// QTimer takes an int of milliseconds: wake up at least this often and re-evaluate.
constexpr qint64 kMaxTimerMs = 24LL * 3600 * 1000;
} // namespace

QDateTime nextDue(const std::optional<QDateTime> &lastRun, qint64 intervalSeconds, const QDateTime &now)
{
    if (!lastRun || !lastRun->isValid())
        return now.addSecs(intervalSeconds);
    const QDateTime due = lastRun->addSecs(intervalSeconds);
    return due < now ? now : due;
}

Scheduler::Scheduler(TaskEngine *engine, TaskRecords *records, SchedulerSettings settings, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_records(records)
    , m_settings(std::move(settings))
{
    connect(&m_watermarkTimer, &QTimer::timeout, this, [this] { checkWatermarks(); });
}

Scheduler::~Scheduler() = default;

void Scheduler::start()
{
    stop();
    const QDateTime now = m_settings.now();
    for (const RepoConfig &repo : m_engine->repos()) {
        auto add = [&](const char *kind, qint64 intervalSeconds) {
            auto s = std::make_unique<Schedule>();
            s->repoRoot = repo.root;
            s->kind = QString::fromLatin1(kind);
            s->intervalSeconds = intervalSeconds;
            const auto last = m_records->lastRun(repo.root, s->kind);
            if (!last) {
                qCWarning(lcSchedule).noquote() << "cannot read the last" << s->kind << "run of" << repo.root
                                                << ":" << last.error().message << "- counting from now";
            }
            std::optional<QDateTime> lastRun;
            if (last && last->isValid())
                lastRun = *last;
            if (!lastRun) {
                // The schedule starts now: remember it, so a restart does not push the first run back.
                if (const Status st = m_records->setLastRun(repo.root, s->kind, now); !st)
                    qCWarning(lcSchedule).noquote() << st.error().message;
            }
            s->due = nextDue(lastRun, intervalSeconds, now);
            s->timer = std::make_unique<QTimer>();
            s->timer->setSingleShot(true);
            Schedule *raw = s.get();
            connect(s->timer.get(), &QTimer::timeout, this, [this, raw] { fire(*raw); });
            m_schedules.push_back(std::move(s));
            arm(*raw);
            qCInfo(lcSchedule).noquote()
                << raw->kind << "of" << repo.root << "next at" << raw->due.toString(Qt::ISODate);
        };
        if (repo.autoFreeze && repo.freezable)
            add(AutoFreeze, qint64(repo.autoFreezeInterval) * m_settings.secondsPerDay);
        if (repo.verifyInterval > 0)
            add(Verify, qint64(repo.verifyInterval) * m_settings.secondsPerDay);
    }
    const bool anyWatermark = std::any_of(m_engine->repos().cbegin(), m_engine->repos().cend(),
                                          [](const RepoConfig &r) { return r.watermarkHigh.has_value(); });
    if (anyWatermark && m_settings.watermarkCheckIntervalSeconds > 0) {
        m_watermarkTimer.start(std::chrono::milliseconds(
            std::min(m_settings.watermarkCheckIntervalSeconds * 1000, kMaxTimerMs)));
    }
}

void Scheduler::stop()
{
    m_schedules.clear();
    m_watermarkTimer.stop();
}

void Scheduler::arm(Schedule &s)
{
    const qint64 ms = std::clamp<qint64>(m_settings.now().msecsTo(s.due), 0, kMaxTimerMs);
    s.timer->start(std::chrono::milliseconds(ms));
}

void Scheduler::fire(Schedule &s)
{
    const QDateTime now = m_settings.now();
    if (now < s.due) { // woke up early (long interval split into 24 h steps, or a clock change)
        arm(s);
        return;
    }
    const TaskType type = s.kind == QLatin1String(AutoFreeze) ? TaskType::Freeze : TaskType::Verify;
    SubmitExtra extra;
    extra.scheduled = true;
    const auto id = m_engine->submit(type, s.repoRoot, TaskOptions{}, extra);
    // The run counts as done once submitted; a failure to submit is reported and retried at the
    // next interval, not in a loop.
    if (const Status st = m_records->setLastRun(s.repoRoot, s.kind, now); !st)
        qCWarning(lcSchedule).noquote()
            << "cannot record the" << s.kind << "run of" << s.repoRoot << ":" << st.error().message;
    s.due = now.addSecs(s.intervalSeconds);
    arm(s);
    if (id) {
        qCInfo(lcSchedule).noquote() << s.kind << "of" << s.repoRoot << "submitted as task" << *id;
        Q_EMIT submitted(s.kind, s.repoRoot, *id);
    } else {
        qCWarning(lcSchedule).noquote()
            << s.kind << "of" << s.repoRoot << "could not be submitted:" << id.error().message;
        Q_EMIT failed(s.kind, s.repoRoot, id.error().message);
    }
}

QStringList Scheduler::checkWatermarks()
{
    QStringList ids;
    for (const RepoConfig &repo : m_engine->repos()) {
        if (!repo.watermarkHigh || !repo.freezable)
            continue;
        const auto usage = m_settings.usage(repo.root);
        if (!usage) {
            qCWarning(lcSchedule).noquote()
                << "watermark check of" << repo.root << "failed:" << usage.error().message;
            continue;
        }
        if (usage->usedPercent < *repo.watermarkHigh)
            continue;
        SubmitExtra extra;
        extra.scheduled = true;
        extra.watermarkLow = repo.watermarkLow.value_or(*repo.watermarkHigh);
        const auto id = m_engine->submit(TaskType::Freeze, repo.root, TaskOptions{}, extra);
        if (id) {
            qCInfo(lcSchedule).noquote()
                << repo.root << "is" << usage->usedPercent << "% full (high watermark" << *repo.watermarkHigh
                << "%): watermark freeze" << *id;
            ids.append(*id);
            Q_EMIT submitted(QStringLiteral("watermark"), repo.root, *id);
        } else {
            Q_EMIT failed(QStringLiteral("watermark"), repo.root, id.error().message);
        }
    }
    return ids;
}

QDateTime Scheduler::nextRun(const QString &repoRoot, const QString &kind) const
{
    for (const auto &s : m_schedules)
        if (s->repoRoot == repoRoot && s->kind == kind)
            return s->due;
    return {};
}

} // namespace baricadr
