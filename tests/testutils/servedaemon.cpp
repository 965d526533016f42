#include "servedaemon.h"

#include "testenv.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTest>

#include <csignal>

namespace baricadr::test {

ServeDaemon::ServeDaemon(const QString &stateDir)
    : m_dir(stateDir)
    , m_env(QProcessEnvironment::systemEnvironment())
{}

ServeDaemon::~ServeDaemon()
{
    stop();
}

bool ServeDaemon::start()
{
    if (isRunning())
        return false;
    QDir().mkpath(m_dir);
    QFile repos(m_dir + QStringLiteral("/repos.yml"));
    if (!repos.open(QIODevice::WriteOnly) || repos.write(m_repos) != m_repos.size())
        return false;
    repos.close();
    QProcessEnvironment env = m_env;
    env.insert(QStringLiteral("BARICADR_REPOS_CONF"), repos.fileName());
    if (!env.contains(QStringLiteral("DATABASE_URI")))
        env.insert(QStringLiteral("DATABASE_URI"), databaseUri());
    env.insert(QStringLiteral("TASK_LOG_DIR"), m_dir + QStringLiteral("/logs"));
    env.insert(QStringLiteral("BARICADR_DATA_DIR"), m_dir + QStringLiteral("/data"));
    env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));

    for (int attempt = 0; attempt < 3; ++attempt) {
        const quint16 port = freeLoopbackPort();
        m_logStart = m_log.size();
        m_log += "==== start on port " + QByteArray::number(port) + " ====\n";
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(env);
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        QProcess *p = m_process.get();
        QObject::connect(p, &QProcess::readyReadStandardError, p,
                         [this, p] { m_log += p->readAllStandardError(); });
        QObject::connect(p, &QProcess::readyReadStandardOutput, p,
                         [this, p] { m_log += p->readAllStandardOutput(); });
        p->start(baricadrExecutable(), {QStringLiteral("serve"), QStringLiteral("--listen"),
                                        QStringLiteral("127.0.0.1:%1").arg(port)});
        if (!p->waitForStarted(10000))
            return false;
        QDeadlineTimer deadline(15000);
        while (!currentLog().contains(QStringLiteral("listening on")) && !deadline.hasExpired() &&
               p->state() == QProcess::Running)
            QTest::qWait(20);
        if (currentLog().contains(QStringLiteral("listening on"))) {
            m_base = QStringLiteral("http://127.0.0.1:%1").arg(port);
            m_port = port;
            return true;
        }
        p->waitForFinished(5000);
        m_log += p->readAllStandardError();
        if (!currentLog().contains(QStringLiteral("cannot listen")))
            return false; // a real failure, not a port taken meanwhile
    }
    return false;
}

void ServeDaemon::kill9()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(10000);
    m_log += m_process->readAllStandardError();
}

int ServeDaemon::stop()
{
    if (!m_process)
        return -1;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(20000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
            return -1;
        }
    }
    m_log += m_process->readAllStandardError();
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

bool ServeDaemon::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 ServeDaemon::pid() const
{
    return m_process ? m_process->processId() : 0;
}

} // namespace baricadr::test
