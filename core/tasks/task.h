#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace baricadr {

enum class TaskType
{
    Pull,
    Freeze,
    Verify
};

// Wire names (API, store, logs) are the lower-case words of the original:
// waiting, started, pulling, freezing, verifying, finished, failed, cancelled.
enum class TaskStatus
{
    Waiting,
    Started,
    Pulling,
    Freezing,
    Verifying,
    Finished,
    Failed,
    Cancelled
};

QString toString(TaskType type);
QString toString(TaskStatus status);
std::optional<TaskType> taskTypeFromString(const QString &s);
std::optional<TaskStatus> taskStatusFromString(const QString &s);
bool isFinal(TaskStatus status); // finished, failed, cancelled

struct TaskOptions
{
    QString email;
    bool dryRun = false;
    bool force = false; // freeze: skip the last-access rule only, never a remote check

    bool operator==(const TaskOptions &) const = default;
};

struct TaskProgress
{
    qint64 bytes = 0;
    qint64 totalBytes = 0;
    qint64 files = 0;
    qint64 totalFiles = 0;
    double speed = 0;                 // bytes per second
    std::optional<qint64> etaSeconds; // unknown when unset
};

struct TaskResult
{
    qint64 files = 0;         // pulled, frozen (or would be, on a dry run), or verified
    qint64 bytes = 0;         // transferred or freed
    qint64 keptFiles = 0;     // freeze: files kept with a reason
    qint64 problems = 0;      // verify: journal entries missing or different on the remote; pull: files
                              // of the remote that could not be placed (each in the log)
    QStringList affected;     // paths (repo-relative), capped at kAffectedCap; full list in the log
    qint64 affectedCount = 0; // true number of affected paths

    static constexpr int kAffectedCap = 1000;
};

// One task as stored and reported. The id is a UUID without braces (as the original's).
struct TaskInfo
{
    QString id;
    TaskType type = TaskType::Pull;
    QString path;     // absolute, normalised
    QString repoRoot; // root of the repo the path belongs to
    TaskOptions options;
    TaskStatus status = TaskStatus::Waiting;
    QDateTime created; // UTC
    QDateTime started;
    QDateTime finished;
    QString error;          // empty unless failed/cancelled
    TaskProgress progress;  // meaningful while running
    TaskResult result;      // meaningful once finished
    QString logFile;        // absolute path in TASK_LOG_DIR
    QString thawOf;         // pull created by a thaw: the freeze task it undoes
    QStringList files;      // pull of an explicit file list (thaw); empty = the whole path
    bool scheduled = false; // started by a schedule (auto-freeze, watermark, verify)
    int watermarkLow = 0;   // freeze started by a watermark: stop once usage is under this percent
                            // (0 = an ordinary freeze)
};

} // namespace baricadr
