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
// as the original named them. Append-only.
//
// Two ways to write:
// - open(path): the file is opened at once (a clear error if it cannot be) and every line is
//   written and flushed to the OS as it is written.
// - setPath(path) (what the task engine uses): lines go, in order, to one background writer
//   thread, which creates the file on the first line and appends each batch. Creating a file
//   can take milliseconds (measured 1.6 ms on a busy ext4 without a journal), and the engine
//   runs on the thread that answers HTTP requests: a request queueing a task must not wait for
//   its log file. A task waiting in the queue holds no file descriptor. A crash loses the lines
//   not yet written (the writer is normally microseconds behind).
// read() and remove() first wait for the lines of that log already handed to the writer, so a
// log is read whole and never re-created after its removal.
class TaskLog
{
public:
    static QString fileName(const QDateTime &created, const QString &taskId);
    static QString pathFor(const QString &logDir, const QDateTime &created, const QString &taskId);

    // Whole text of a log; NotFound when it is gone (cleaned up, never written).
    static Result<QString> read(const QString &path);
    // Removes a log file; a missing one is fine.
    static Status remove(const QString &path);
    // Returns once every line handed to the background writer so far is written to the OS.
    static void sync();

    TaskLog() = default;
    ~TaskLog();
    TaskLog(const TaskLog &) = delete;
    TaskLog &operator=(const TaskLog &) = delete;

    // Opens (creating the directory and the file if needed) for appending, on this thread.
    Status open(const QString &path);
    // Writes go to the background writer, which creates `path` on the first line. Nothing is
    // touched on this thread. An empty path drops every line.
    void setPath(const QString &path);
    bool isOpen() const { return m_file.isOpen(); }
    QString path() const { return m_path; }

    // Strings that must never reach the file (passwords, keys, obscured passwords): each
    // occurrence standing as a word of its own (not inside a longer word or name) is replaced by
    // "***" before writing. Empty strings are ignored.
    void setSecrets(const QStringList &secrets);

    // Appends "<UTC time> <line>\n" (each line of a multi-line text gets the time stamp).
    // Failures are reported once through the logging category and otherwise ignored: a full
    // disk must not fail the task whose log it is.
    void write(const QString &text);
    void close();

    QString redact(QString text) const;

private:
    QString m_path;
    QFile m_file; // open() only
    bool m_background = false;
    QStringList m_secrets;
    bool m_warned = false;
};

} // namespace baricadr
