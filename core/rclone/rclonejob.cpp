#include "rclonejob.h"

#include "rclone/parsers.h"

#include <QMetaObject>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(baricadr::lcRclone, "baricadr.rclone")

namespace baricadr {

namespace {
constexpr qsizetype kMaxLine = 16 * 1024 * 1024; // a longer "line" is garbage, dropped
constexpr int kTailLines = 50;
} // namespace

RcloneJob::RcloneJob(const RcloneOptions &options, const QStringList &args, const QProcessEnvironment &env,
                     const QString &what, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_args(args)
    , m_env(env)
    , m_what(what)
{
    // The credentials rclone is given (obscured password, S3 keys, the config's password): should
    // rclone ever print one, it is masked before a log line, a task error or an API answer sees
    // it. These are the exact long values handed over, so nothing else is ever masked.
    for (const QString &name : env.keys()) {
        if (!name.startsWith(QLatin1StringView("RCLONE_")))
            continue;
        static const char *const kSecretSuffixes[] = {
            "_PASS",          "_PASSWORD", "_SECRET_ACCESS_KEY", "_ACCESS_KEY_ID",
            "_SESSION_TOKEN", "_TOKEN",    "_KEY_FILE_PASS"};
        for (const char *suffix : kSecretSuffixes) {
            if (name.endsWith(QLatin1StringView(suffix))) {
                const QByteArray value = env.value(name).toUtf8();
                if (!value.isEmpty())
                    m_secrets.append(value);
                break;
            }
        }
    }
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    m_watchdog.setSingleShot(true);
    m_killTimer.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        if (!isRunning())
            return;
        qCWarning(lcRclone) << "watchdog:" << m_what << "still running after" << m_options.watchdogSeconds
                            << "s; stopping it";
        m_stop = Stop::TimedOut;
        m_process->terminate();
        m_killTimer.start(m_options.killGraceMs);
    });
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (isRunning())
            m_process->kill();
    });
}

RcloneJob::~RcloneJob()
{
    if (isRunning()) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

QStringList RcloneJob::arguments() const
{
    QStringList args = m_args;
    if (m_commonFlags) {
        args << QStringLiteral("--use-json-log") << QStringLiteral("-v") << QStringLiteral("--stats")
             << QStringLiteral("1s") << QStringLiteral("--stats-log-level") << QStringLiteral("NOTICE")
             << QStringLiteral("--retries") << QStringLiteral("1") << QStringLiteral("--low-level-retries")
             << QStringLiteral("1") << QStringLiteral("--contimeout")
             << QStringLiteral("%1s").arg(qMax(1, m_options.contimeoutSeconds)) << QStringLiteral("--timeout")
             << QStringLiteral("%1s").arg(qMax(1, m_options.ioTimeoutSeconds));
        args << m_options.extraFlags;
    }
    return args;
}

QString RcloneJob::commandLineForLog() const
{
    QStringList parts{m_options.program};
    for (const QString &a : arguments()) {
        // Quote for readability only; nothing is ever run through a shell.
        const bool plain = !a.isEmpty() && std::all_of(a.begin(), a.end(), [](QChar c) {
            return c.isLetterOrNumber() || QStringView(u"-_./:=,@%+").contains(c);
        });
        parts << (plain ? a : u'\'' + QString(a).replace(u'\'', QStringLiteral("'\\''")) + u'\'');
    }
    return parts.join(u' ');
}

bool RcloneJob::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 RcloneJob::pid() const
{
    return m_process ? m_process->processId() : 0;
}

void RcloneJob::start()
{
    if (m_started)
        return;
    m_started = true;
    m_process = new QProcess(this);
    m_process->setProcessEnvironment(m_env);
    m_process->setStandardInputFile(QProcess::nullDevice());
    if (!m_readStdout)
        m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->setChildProcessModifier([niceIncrement = m_options.niceIncrement] {
        // In the child, between fork and exec: die with the parent.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() == 1)
            ::_exit(127);
        // Transfers yield the CPU to the service (its API answers, its event loop).
        if (niceIncrement > 0)
            (void)::nice(niceIncrement);
    });
    connect(m_process, &QProcess::readyReadStandardOutput, this, &RcloneJob::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &RcloneJob::onStderr);
    connect(m_process, &QProcess::finished, this, &RcloneJob::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &RcloneJob::onError);
    qCDebug(lcRclone).noquote() << "starting" << commandLineForLog();
    if (m_options.watchdogSeconds > 0)
        m_watchdog.start(m_options.watchdogSeconds * 1000);
    m_process->start(m_options.program, arguments(), QIODevice::ReadOnly);
}

void RcloneJob::cancel(bool graceful)
{
    if (m_finished)
        return;
    if (!isRunning()) {
        if (!m_started) {
            m_started = true;
            finish(Error(ErrorCode::Cancelled, m_what + QStringLiteral(": cancelled")));
        }
        return;
    }
    m_stop = Stop::Cancelled;
    if (graceful) {
        m_process->terminate();
        m_killTimer.start(m_options.killGraceMs);
    } else {
        m_process->kill();
    }
}

QList<QByteArray> RcloneJob::takeLines(QProcess &process, QByteArray &partial, qint64 *oversized)
{
    QList<QByteArray> lines;
    partial += process.readAll();
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = partial.indexOf('\n', start);
        if (nl < 0)
            break;
        qsizetype end = nl;
        if (end > start && partial[end - 1] == '\r')
            --end;
        lines.append(partial.mid(start, end - start));
        start = nl + 1;
    }
    partial.remove(0, start);
    if (partial.size() > kMaxLine) {
        partial.clear();
        ++*oversized;
    }
    return lines;
}

void RcloneJob::onStdout()
{
    m_process->setReadChannel(QProcess::StandardOutput);
    const QList<QByteArray> lines = takeLines(*m_process, m_stdoutPartial, &m_garbageLines);
    if (!lines.isEmpty())
        Q_EMIT stdoutLines(lines);
}

void RcloneJob::onStderr()
{
    m_process->setReadChannel(QProcess::StandardError);
    qint64 dropped = 0;
    const QList<QByteArray> lines = takeLines(*m_process, m_stderrPartial, &dropped);
    m_process->setReadChannel(QProcess::StandardOutput);
    for (const QByteArray &line : lines)
        handleStderrLine(line);
}

void RcloneJob::handleStderrLine(const QByteArray &rawLine)
{
    if (rawLine.trimmed().isEmpty())
        return;
    QByteArray line = rawLine;
    for (const QByteArray &secret : std::as_const(m_secrets))
        line.replace(secret, QByteArrayLiteral("***"));
    const rclone::LogLine l = rclone::parseLogLine(line);
    switch (l.kind) {
    case rclone::LogLine::Kind::Stats:
        Q_EMIT progress(*l.progress);
        return;
    case rclone::LogLine::Kind::FileCopied:
        Q_EMIT fileCopied(l.object);
        break;
    case rclone::LogLine::Kind::FileError:
        Q_EMIT fileFailed(l.object, l.message);
        break;
    case rclone::LogLine::Kind::Message:
    case rclone::LogLine::Kind::PlainText:
        break;
    }
    m_stderrTail.append(QString::fromUtf8(line.left(4000)));
    if (m_stderrTail.size() > kTailLines)
        m_stderrTail.removeFirst();
    const QString text = l.object.isEmpty() ? l.message : l.object + QStringLiteral(": ") + l.message;
    Q_EMIT logMessage(l.level.isEmpty() ? QStringLiteral("error") : l.level, text);

    const bool isError = l.level == u"error" || l.level == u"critical" || l.level == u"fatal";
    if (isError && m_failFast != FailFast::Never && m_stop == Stop::None && isRunning()) {
        const bool connection = rclone::classifyFailure(1, {QString::fromUtf8(line)}, QString()).code ==
                                ErrorCode::RemoteUnreachable;
        if (m_failFast == FailFast::AnyError || connection) {
            qCInfo(lcRclone).noquote() << m_what << ": stopping rclone at the first error:" << text;
            m_stop = Stop::FailedFast;
            m_process->kill();
        }
    }
}

void RcloneJob::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_watchdog.stop();
    m_killTimer.stop();
    // Drain what is left, including a last line without '\n'.
    onStdout();
    if (!m_stdoutPartial.isEmpty()) {
        const QList<QByteArray> last{m_stdoutPartial};
        m_stdoutPartial.clear();
        Q_EMIT stdoutLines(last);
    }
    onStderr();
    if (!m_stderrPartial.isEmpty()) {
        handleStderrLine(m_stderrPartial);
        m_stderrPartial.clear();
    }
    m_exitCode = status == QProcess::NormalExit ? exitCode : -1;

    if (m_stop == Stop::Cancelled) {
        finish(Error(ErrorCode::Cancelled, m_what + QStringLiteral(": cancelled")));
    } else if (m_stop == Stop::TimedOut) {
        finish(Error(ErrorCode::Timeout, m_what + QStringLiteral(" took longer than %1 s and was stopped")
                                                      .arg(m_options.watchdogSeconds)));
    } else if (m_stop == Stop::FailedFast) {
        finish(rclone::classifyFailure(exitCode == 0 ? 1 : exitCode, m_stderrTail, m_what));
    } else if (status == QProcess::CrashExit) {
        finish(Error(ErrorCode::RcloneFailed,
                     m_what + QStringLiteral(" failed: rclone was killed by a signal") +
                         (m_stderrTail.isEmpty()
                              ? QString()
                              : QStringLiteral(": ") + rclone::meaningfulStderrLine(m_stderrTail))));
    } else if (exitCode == 0) {
        finish(Status());
    } else {
        finish(rclone::classifyFailure(exitCode, m_stderrTail, m_what));
    }
}

void RcloneJob::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // Crashed etc. also end in finished()
    m_watchdog.stop();
    const QString why = m_process->errorString();
    finish(Error(
        ErrorCode::RcloneMissing,
        QStringLiteral("%1 failed: cannot run rclone '%2' (%3). Install rclone (Debian package \"rclone\") "
                       "or set the path of the rclone program in the settings.")
            .arg(m_what, m_options.program, why)));
}

void RcloneJob::finish(const Status &status)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!status.ok())
        qCInfo(lcRclone).noquote() << status.error().message;
    // Always from the event loop, never from inside start() or cancel().
    QMetaObject::invokeMethod(
        this, [this, status] { Q_EMIT finished(status); }, Qt::QueuedConnection);
}

} // namespace baricadr
