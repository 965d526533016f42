#include "s3server.h"

#include "rclone/rcloneremote.h"
#include "testenv.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QtDebug>

#include <csignal>
#include <sys/prctl.h>

namespace baricadr::test {

S3Server::S3Server(const QString &bucket)
    : m_bucket(bucket)
{}

S3Server::~S3Server()
{
    stop();
}

QString S3Server::s3rverProgram()
{
    return sourceDir() + QStringLiteral("/tests/s3/node_modules/.bin/s3rver");
}

QString S3Server::unavailableReason()
{
    if (!QFileInfo(s3rverProgram()).isExecutable())
        return QStringLiteral("s3rver is not installed in %1 (run packaging/install-deps.sh)")
            .arg(s3rverProgram());
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        return QStringLiteral("node is not installed");
    return QString();
}

bool S3Server::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 S3Server::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

QString S3Server::endpoint() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString S3Server::serverLog() const
{
    return QString::fromUtf8(m_log);
}

bool S3Server::start()
{
    if (isRunning())
        return true;
    if (!unavailableReason().isEmpty() || !m_data.isValid())
        return false;
    for (int attempt = 0; attempt < 5; ++attempt) {
        const quint16 port = freeLoopbackPort();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardInputFile(QProcess::nullDevice());
        // A crashed test must not leave the server running.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_process->start(s3rverProgram(),
                         {QStringLiteral("-d"), m_data.path(), QStringLiteral("-a"),
                          QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(port),
                          QStringLiteral("--configure-bucket"), m_bucket});
        if (!m_process->waitForStarted(10000)) {
            m_log += m_process->errorString().toUtf8();
            m_process.reset();
            return false;
        }
        QByteArray seen;
        const QDeadlineTimer deadline(20000);
        while (!deadline.hasExpired() && !seen.contains("S3rver listening") &&
               m_process->state() != QProcess::NotRunning) {
            m_process->waitForReadyRead(200);
            seen += m_process->readAll();
        }
        m_log += seen;
        if (seen.contains("S3rver listening")) {
            m_port = port;
            return true;
        }
        stop();
    }
    qWarning().noquote() << "S3Server: could not start s3rver:" << serverLog();
    return false;
}

void S3Server::stop()
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
    m_log += m_process->readAll();
    m_process.reset();
}

void S3Server::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_process.reset();
}

RepoConfig S3Server::repoFor(const QString &localRoot, const QString &prefix) const
{
    RepoConfig repo;
    repo.root = localRoot;
    repo.sourceFile = QStringLiteral("<S3Server fixture>");
    repo.backend = Backend::S3;
    repo.provider = QStringLiteral("Other");
    repo.endpoint = endpoint();
    repo.region = QStringLiteral("us-east-1");
    repo.s3Path = prefix.isEmpty() ? m_bucket : m_bucket + u'/' + prefix;
    repo.accessKeyId = QStringLiteral("S3RVER");
    repo.secretAccessKey = QStringLiteral("S3RVER");
    return repo;
}

QString S3Server::upload(const QString &localDir, const QString &prefix) const
{
    const RcloneRemote remote(repoFor(localDir, prefix));
    QProcess p;
    p.setProcessEnvironment(remote.environment());
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("rclone"),
            {QStringLiteral("copy"), QStringLiteral("--links"), localDir, remote.spec()});
    if (!p.waitForFinished(120000) || p.exitCode() != 0)
        return QStringLiteral("rclone copy to s3 failed: ") + QString::fromUtf8(p.readAll());
    return QString();
}

} // namespace baricadr::test
