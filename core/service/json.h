#pragma once

// JSON forms of the service's types, shared by the REST API (headless/api), the CLI's --json
// output, the remote client (core/client) and tests. One definition of every wire field.

#include "service/baricadrservice.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace baricadr::json {

// RFC 1123 in GMT as the original (Flask) printed datetimes: "Wed, 17 Feb 2021 15:11:56 GMT".
// A null/invalid QDateTime gives JSON null.
QJsonValue httpDate(const QDateTime &time);
QString httpDateString(const QDateTime &time);

// "a string", "a number", … for messages naming what a JSON field held instead.
QString typeName(const QJsonValue &value);
// The reverse; an invalid QDateTime for null or an unparsable string.
QDateTime parseHttpDate(const QJsonValue &value);

// {"error": message}
QJsonObject error(const QString &message);

// How much of a task to show.
enum class TaskDetail
{
    Summary, // GET /tasks rows: the original's fields plus status details, without affected paths
    Full,    // GET /tasks/status/<id>: everything, affected paths included (capped)
};

// The original's fields {task_id, type, path, status, created, started, finished, error} plus
// repo, progress (while running, else null), result (once final, else null), dry_run, force,
// thaw_of, scheduled.
QJsonObject toJson(const TaskInfo &task, TaskDetail detail = TaskDetail::Full);
QJsonObject toJson(const TaskProgress &progress);
QJsonObject toJson(const TaskResult &result, bool dryRun, bool withAffected);
TaskInfo taskFromJson(const QJsonObject &object);

// POST /list entries: {"Path": …} or rclone's lsjson object with Path rewritten (full).
QJsonObject listEntry(const ListEntry &entry, bool full);
// POST /tree entries: {"Path": …, "missing": bool}.
QJsonObject treeEntry(const ListEntry &entry);
ListEntry listEntryFromJson(const QJsonObject &object);

// POST /freeze/preview. Lists of files are capped at `cap` entries each; the counts and byte
// totals are always exact.
QJsonObject toJson(const FreezePlan &plan, int cap = 10000);
FreezePlan freezePlanFromJson(const QJsonObject &object);

QJsonObject toJson(const Pin &pin);
Pin pinFromJson(const QJsonObject &object);

QJsonObject toJson(const RepoInfo &repo);
RepoInfo repoFromJson(const QJsonObject &object);

// Lenient booleans of the original: true when str(value).lower() is "true", "1" or "yes"
// (JSON true, 1, "True", "yes"…); absent or null → `fallback`. Arrays and objects are refused:
// the error names the field.
Result<bool> flag(const QJsonObject &body, const QString &key, bool fallback = false);

// Optional string field: absent or null → empty; any other non-string type is refused (the
// error names the field), as is a string holding a NUL character.
Result<QString> optionalString(const QJsonObject &body, const QString &key);

// The original's max_depth rule: absent → 1; present but falsy (0, null, false, "") → 0 =
// unlimited; otherwise a non-negative integer (number or decimal string).
Result<int> maxDepth(const QJsonObject &body);

} // namespace baricadr::json
