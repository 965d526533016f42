#pragma once

#include "util/result.h"

#include <QDateTime>
#include <QFile>
#include <QString>
#include <QStringList>

namespace baricadr {

// The per-task log a user reads (GET /tasks/log/<id>): what was asked, the rclone command line
// (never with secrets), every file pulled, frozen or kept with its reason, and the result.
// One file per task in TASK_LOG_DIR named "<created %Y-%m-%d_%H-%M-%S>_<task id>.log" (UTC),
// as the original named them. Append-only; every line is flushed to the OS as it is written so a
// crash loses at most the line being written.
class TaskLog
{
public:
    static QString fileName(const QDateTime &created, const QString &taskId);
    static QString pathFor(const QString &logDir, const QDateTime &created, const QString &taskId);

    // Whole text of a log; NotFound when it is gone (cleaned up, never written).
    static Result<QString> read(const QString &path);
    // Removes a log file; a missing one is fine.
    static Status remove(const QString &path);

    TaskLog() = default;
    ~TaskLog();
    TaskLog(const TaskLog &) = delete;
    TaskLog &operator=(const TaskLog &) = delete;

    // Opens (creating the directory and the file if needed) for appending.
    Status open(const QString &path);
    bool isOpen() const { return m_file.isOpen(); }
    QString path() const { return m_file.fileName(); }

    // Strings that must never reach the file (passwords, keys, obscured passwords): each
    // occurrence is replaced by "***" before writing. Empty strings are ignored.
    void setSecrets(const QStringList &secrets);

    // Appends "<UTC time> <line>\n" (each line of a multi-line text gets the time stamp).
    // Failures are reported once through the logging category and otherwise ignored: a full
    // disk must not fail the task whose log it is.
    void write(const QString &text);
    void close();

    QString redact(QString text) const;

private:
    QFile m_file;
    QStringList m_secrets;
    bool m_warned = false;
};

} // namespace baricadr
