#pragma once

#include "rclone/rcloneoptions.h"
#include "tasks/task.h"
#include "util/result.h"

#include <QByteArray>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>

namespace baricadr {

Q_DECLARE_LOGGING_CATEGORY(lcRclone)

// One rclone process (qBittorrent's SearchHandler pattern): an argument list, never a shell;
// credentials only in the environment; streaming stdout lines; stderr parsed as
// `--use-json-log` lines into stats and per-file events; an optional watchdog; cancel() is
// SIGTERM then SIGKILL after a grace period; one finished() with a typed, plain-words error.
//
// Every run gets `--use-json-log -v --stats 1s --stats-log-level NOTICE --retries 1
// --low-level-retries 1 --contimeout … --timeout …` (never -vv: it prints the obscured,
// reversible password). The child gets SIGKILL if this process dies (PR_SET_PDEATHSIG), so a
// crashed service never leaves an rclone writing behind it.
class RcloneJob : public QObject
{
    Q_OBJECT
public:
    // `args`: the subcommand and its arguments, e.g. {"lsjson", "-R", "baricadr_remote:x"}.
    // `what`: what the run does, for error messages ("listing sftp://u@h:22/x").
    RcloneJob(const RcloneOptions &options, const QStringList &args, const QProcessEnvironment &env,
              const QString &what, QObject *parent = nullptr);
    ~RcloneJob() override;

    // Runs without the common flags (for `rclone version` and the like).
    void setCommonFlags(bool on) { m_commonFlags = on; }
    // What ends a run at the first error line instead of letting rclone carry on (a listing
    // whose remote went away otherwise goes on directory by directory, 2 s each, for minutes).
    enum class FailFast
    {
        Never,
        ConnectionErrors, // the remote is unreachable: nothing more will work (copies)
        AnyError,         // an incomplete answer is useless (listings, stats)
    };
    void setFailFast(FailFast mode) { m_failFast = mode; }
    // Emit stdoutLines (default on). Off: stdout is discarded as it comes.
    void setReadStdout(bool on) { m_readStdout = on; }

    // Starts the process. finished() is always emitted later, from the event loop, exactly once.
    void start();
    // Stops the run: SIGTERM (graceful) or SIGKILL at once; finished(Cancelled) follows.
    void cancel(bool graceful = true);

    bool isRunning() const;
    qint64 pid() const;
    // The full command line with the program, safe to log (it never holds a secret).
    QString commandLineForLog() const;
    QStringList arguments() const; // as passed to the process, common flags included
    int exitCode() const { return m_exitCode; }
    // The last (at most 50) stderr lines that were not stats, raw.
    QStringList stderrTail() const { return m_stderrTail; }
    qint64 garbageLines() const { return m_garbageLines; }
    void addGarbageLines(qint64 n) { m_garbageLines += n; }

Q_SIGNALS:
    // Complete stdout lines (without '\n'), in order, batched per read.
    void stdoutLines(const QList<QByteArray> &lines);
    void progress(const baricadr::TaskProgress &progress);
    void fileCopied(const QString &object);
    void fileFailed(const QString &object, const QString &message);
    // Human-readable log messages (info and above) for the task log.
    void logMessage(const QString &level, const QString &message);
    void finished(const baricadr::Status &status);

private:
    void onStdout();
    void onStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void handleStderrLine(const QByteArray &line);
    void finish(const Status &status);
    static QList<QByteArray> takeLines(QProcess &process, QByteArray &partial, qint64 *oversized);

    RcloneOptions m_options;
    QStringList m_args;
    QProcessEnvironment m_env;
    QList<QByteArray> m_secrets; // credential values given in m_env, longest first
    QString m_what;
    bool m_commonFlags = true;
    bool m_readStdout = true;
    QProcess *m_process = nullptr;
    QTimer m_watchdog;
    QTimer m_killTimer;
    QByteArray m_stdoutPartial;
    QByteArray m_stderrPartial;
    QStringList m_stderrTail;
    qint64 m_garbageLines = 0;
    int m_exitCode = -1;
    enum class Stop
    {
        None,
        Cancelled,
        TimedOut,
        FailedFast
    } m_stop = Stop::None;
    FailFast m_failFast = FailFast::Never;
    bool m_finished = false;
    bool m_started = false;
};

} // namespace baricadr
