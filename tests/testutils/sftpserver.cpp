#include "sftpserver.h"

#include "testenv.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcessEnvironment>
#include <QTcpSocket>
#include <QtDebug>

#include <csignal>
#include <sys/prctl.h>

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
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 SftpServer::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

QString SftpServer::serverLog() const
{
    QString log = QString::fromUtf8(m_log);
    if (m_process)
        log += QString::fromUtf8(m_process->readAllStandardError());
    return log;
}

bool SftpServer::start()
{
    if (isRunning())
        return true;
    // A port free a moment ago may be taken by the time rclone binds it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const quint16 port = freeLoopbackPort();
        if (port != 0 && startOnPort(port))
            return true;
    }
    qWarning().noquote() << "SftpServer: could not start rclone serve sftp:" << serverLog();
    return false;
}

bool SftpServer::restart()
{
    stop();
    if (m_port == 0)
        return start();
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

    QStringList args{QStringLiteral("serve"),
                     QStringLiteral("sftp"),
                     QStringLiteral("--addr"),
                     QStringLiteral("127.0.0.1:%1").arg(port),
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

    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(env);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(QProcess::nullDevice());
    // A crashed test must not leave the server running.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start(QStringLiteral("rclone"), args);
    if (!m_process->waitForStarted(10000)) {
        m_log += "failed to start rclone: " + m_process->errorString().toUtf8() + '\n';
        m_process.reset();
        return false;
    }

    // Wait for "SFTP server listening on …" (host keys are generated first, ~1 s the first
    // time), then check that a TCP connection is accepted.
    QByteArray seen;
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired() && !seen.contains("SFTP server listening")) {
        if (m_process->state() == QProcess::NotRunning)
            break;
        m_process->waitForReadyRead(
            static_cast<int>(qMax<qint64>(1, qMin<qint64>(500, deadline.remainingTime()))));
        seen += m_process->readAllStandardError();
    }
    m_log += seen;
    if (!seen.contains("SFTP server listening")) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
        m_log += m_process->readAllStandardError();
        m_process.reset();
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

void SftpServer::stop()
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
    m_log += m_process->readAllStandardError();
    m_process.reset();
}

void SftpServer::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
    m_log += m_process->readAllStandardError();
    m_process.reset();
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
