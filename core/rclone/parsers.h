#pragma once

#include "scan/fileentry.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// Pure functions over rclone 1.60's machine-readable output. No I/O, no state: every input,
// however malformed, gives a value (garbage is reported as such, never a crash).
namespace baricadr::rclone {

inline constexpr QStringView kLinkSuffix = u".rclonelink";

// "dir/name.rclonelink" -> {"dir/name", true}; anything else -> {path, false}.
struct LinkName
{
    QString path;
    bool isSymlink = false;
};
LinkName splitLinkName(const QString &path);

// RFC 3339 as rclone prints it ("2020-01-02T03:04:05Z", "…05.123456789+01:00") -> ns since the
// epoch (UTC). Empty when malformed.
std::optional<qint64> parseRfc3339Ns(QStringView text);

// One line of `rclone lsjson` output. rclone prints "[", then one object per line followed by
// "," (except the last), then "]". The surrounding brackets and blank lines are Structural.
struct LsjsonLine
{
    enum class Kind
    {
        Entry,
        Structural,
        Garbage
    };
    Kind kind = Kind::Garbage;
    RemoteEntry entry;  // relPath = rclone's Path, '.rclonelink' removed for links
    QJsonObject object; // the raw object (only when keepObject)
    QString error;      // why a Garbage line was refused
};
LsjsonLine parseLsjsonLine(QByteArrayView line, bool keepObject = false);

// One stderr line of `rclone --use-json-log`.
struct LogLine
{
    enum class Kind
    {
        Stats,      // periodic stats: `progress` is set
        FileCopied, // "Copied (new)" and friends: `object` is the remote-relative name
        FileError,  // level error with an object
        Message,    // any other JSON log line
        PlainText,  // not JSON: rclone prints fatal errors as plain text even in JSON mode
    };
    Kind kind = Kind::PlainText;
    QString level;   // "info", "error", … ("" for PlainText)
    QString message; // msg, or the plain line without its "YYYY/MM/DD HH:MM:SS " prefix
    QString object;
    std::optional<TaskProgress> progress;
    qint64 errors = 0; // stats.errors
};
LogLine parseLogLine(QByteArrayView line);

// Turns a failed rclone run into a typed, plain-words error. `stderrLines` are rclone's stderr
// lines (raw); `what` names the operation and the remote for the message, e.g.
// "listing sftp://foo@host:22/backup/dir". Connection/auth failures and usage errors share
// exit code 1: they are told apart from stderr.
Error classifyFailure(int exitCode, const QStringList &stderrLines, const QString &what);

// The most telling line of rclone's stderr (first error/fatal, else the last non-stats line).
QString meaningfulStderrLine(const QStringList &stderrLines);

} // namespace baricadr::rclone
