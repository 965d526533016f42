#include "s3server.h"

#include "rclone/rcloneremote.h"
#include "testenv.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QtDebug>

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
    return m_server.isRunning();
}

qint64 S3Server::pid() const
{
    return m_server.pid();
}

QString S3Server::endpoint() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_server.port());
}

QString S3Server::serverLog() const
{
    return m_server.log();
}

bool S3Server::start()
{
    if (isRunning())
        return true;
    if (!unavailableReason().isEmpty() || !m_data.isValid())
        return false;
    LoopbackServer::Launch launch;
    launch.program = s3rverProgram();
    launch.readyMarker = "S3rver listening";
    launch.readyTimeoutMs = 20000;
    launch.arguments = [this](quint16 port) {
        return QStringList{QStringLiteral("-d"),
                           m_data.path(),
                           QStringLiteral("-a"),
                           QStringLiteral("127.0.0.1"),
                           QStringLiteral("-p"),
                           QString::number(port),
                           QStringLiteral("--configure-bucket"),
                           m_bucket};
    };
    if (m_server.start(launch))
        return true;
    qWarning().noquote() << "S3Server: could not start s3rver:" << serverLog();
    return false;
}

void S3Server::stop()
{
    m_server.stop();
}

void S3Server::kill()
{
    m_server.kill();
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
