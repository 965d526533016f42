#include "sftpserver.h"

#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QtDebug>

namespace baricadr::test {

SftpServer::SftpServer(const QString &root)
    : SftpServer(root, Options())
{}

SftpServer::SftpServer(const QString &root, const Options &options)
    : m_options(options)
{
    if (root.isEmpty()) {
        m_ownedRoot = std::make_unique<QTemporaryDir>();
        m_root = m_ownedRoot->path();
    } else {
        m_root = QDir::cleanPath(QDir(root).absolutePath());
        QDir().mkpath(m_root);
    }
}

SftpServer::~SftpServer()
{
    stop();
}

bool SftpServer::isRunning() const
{
    return m_server.isRunning();
}

qint64 SftpServer::pid() const
{
    return m_server.pid();
}

QString SftpServer::serverLog() const
{
    return m_server.log();
}

bool SftpServer::start()
{
    if (isRunning())
        return true;
    if (startOnPort(0))
        return true;
    qWarning().noquote() << "SftpServer: could not start rclone serve sftp:" << serverLog();
    return false;
}

bool SftpServer::restart()
{
    stop();
    return startOnPort(m_port);
}

bool SftpServer::startOnPort(quint16 port)
{
    if (!m_cacheDir.isValid()) {
        qWarning() << "SftpServer: no temp dir for the cache";
        return false;
    }
    QString keys = m_options.authorizedKeys;
    if (keys.isEmpty()) {
        // Without --authorized-keys rclone would read ~/.ssh/authorized_keys.
        keys = m_cacheDir.filePath(QStringLiteral("no_authorized_keys"));
        QFile f(keys);
        if (!f.exists() && !f.open(QIODevice::WriteOnly)) {
            qWarning() << "SftpServer: cannot create" << keys;
            return false;
        }
    }

    QProcessEnvironment env;
    const QProcessEnvironment sys = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"PATH", "HOME", "TMPDIR", "LANG"}) {
        const QString n = QString::fromLatin1(name);
        if (sys.contains(n))
            env.insert(n, sys.value(n));
    }
    env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
    env.insert(QStringLiteral("RCLONE_USER"), m_options.user);
    env.insert(QStringLiteral("RCLONE_PASS"), m_options.password);

    LoopbackServer::Launch launch;
    launch.program = QStringLiteral("rclone");
    launch.environment = env;
    // Host keys are generated first (~1 s the first time), then it prints this.
    launch.readyMarker = "SFTP server listening";
    launch.arguments = [this, keys](quint16 p) {
        QStringList args{QStringLiteral("serve"),
                         QStringLiteral("sftp"),
                         QStringLiteral("--addr"),
                         QStringLiteral("127.0.0.1:%1").arg(p),
                         QStringLiteral("--cache-dir"),
                         m_cacheDir.path(),
                         QStringLiteral("--dir-cache-time"),
                         QStringLiteral("1s"),
                         QStringLiteral("--authorized-keys"),
                         keys};
        if (m_options.links)
            args << QStringLiteral("--links");
        if (!m_options.bwlimit.isEmpty())
            args << QStringLiteral("--bwlimit") << m_options.bwlimit;
        args << m_root;
        return args;
    };
    if (!m_server.start(launch, port))
        return false;
    m_port = m_server.port();
    return true;
}

void SftpServer::stop()
{
    m_server.stop();
}

void SftpServer::kill()
{
    m_server.kill();
}

RepoConfig SftpServer::repoFor(const QString &localRoot, const QString &remoteSubdir) const
{
    RepoConfig repo;
    repo.root = QDir::cleanPath(QDir(localRoot).absolutePath());
    QDir().mkpath(repo.root);
    repo.sourceFile = QStringLiteral("<SftpServer fixture>");
    repo.backend = Backend::Sftp;
    repo.host = QStringLiteral("127.0.0.1");
    repo.port = m_port;
    repo.user = m_options.user;
    repo.password = m_options.password;
    // rclone serve sftp presents root() as "/": the prefix is a path inside it.
    const QString sub = QDir::cleanPath(remoteSubdir.isEmpty() ? QStringLiteral(".") : remoteSubdir);
    QDir().mkpath(m_root + u'/' + sub);
    repo.remotePrefix = sub == QStringLiteral(".") ? QString() : sub;
    return repo;
}

} // namespace baricadr::test
