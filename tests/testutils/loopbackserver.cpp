#include "loopbackserver.h"

#include "testenv.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpSocket>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>

namespace baricadr::test {

LoopbackServer::~LoopbackServer()
{
    stop();
}

bool LoopbackServer::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 LoopbackServer::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

QString LoopbackServer::log() const
{
    QByteArray log = m_log;
    if (m_process)
        log += m_process->readAll();
    return QString::fromUtf8(log);
}

void LoopbackServer::collect()
{
    if (m_process)
        m_log += m_process->readAll();
}

bool LoopbackServer::start(const Launch &launch, quint16 port)
{
    if (isRunning())
        return true;
    if (port != 0)
        return startOnPort(launch, port);
    for (int attempt = 0; attempt < launch.attempts; ++attempt) {
        const quint16 candidate = freeLoopbackPort();
        if (candidate != 0 && startOnPort(launch, candidate))
            return true;
    }
    return false;
}

bool LoopbackServer::startOnPort(const Launch &launch, quint16 port)
{
    m_process = std::make_unique<QProcess>();
    if (launch.environment)
        m_process->setProcessEnvironment(*launch.environment);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    // A crashed test must not leave the server running.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start(launch.program, launch.arguments(port));
    if (!m_process->waitForStarted(10000)) {
        m_log += "cannot start " + launch.program.toUtf8() + ": " + m_process->errorString().toUtf8() + '\n';
        m_process.reset();
        return false;
    }
    QByteArray seen;
    const QDeadlineTimer deadline(launch.readyTimeoutMs);
    while (!deadline.hasExpired() && !seen.contains(launch.readyMarker) &&
           m_process->state() != QProcess::NotRunning) {
        m_process->waitForReadyRead(int(std::clamp<qint64>(deadline.remainingTime(), 1, 200)));
        seen += m_process->readAll();
    }
    m_log += seen;
    if (!seen.contains(launch.readyMarker)) {
        m_log += launch.program.toUtf8() + " did not print \"" + launch.readyMarker + "\" in time\n";
        kill();
        return false;
    }
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, port);
    if (!probe.waitForConnected(5000)) {
        m_log += "port " + QByteArray::number(port) + " does not accept connections\n";
        stop();
        return false;
    }
    probe.abort();
    m_port = port;
    return true;
}

void LoopbackServer::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    collect();
    m_process.reset();
}

void LoopbackServer::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    collect();
    m_process.reset();
}

} // namespace baricadr::test
