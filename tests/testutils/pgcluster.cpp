#include "pgcluster.h"

#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QUrl>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace baricadr::test {

PgCluster::PgCluster()
    : m_dir(QDir::tempPath() + QStringLiteral("/pg-XXXXXX")) // short: socket paths are limited to 107 bytes
{}

PgCluster::~PgCluster()
{
    stop();
}

bool PgCluster::run(const QString &program, const QStringList &args, bool asPostgres, int timeoutMs,
                    QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (asPostgres) {
        QString runuser = QStandardPaths::findExecutable(
            QStringLiteral("runuser"), {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        p.start(runuser,
                QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} +
                    args);
    } else {
        p.start(program, args);
    }
    if (!p.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(program, p.errorString());
        return false;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        m_error = QStringLiteral("%1 did not finish within %2 ms").arg(program).arg(timeoutMs);
        return false;
    }
    const QString out = QString::fromLocal8Bit(p.readAll());
    if (output)
        *output = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("%1 failed (exit %2): %3").arg(program).arg(p.exitCode()).arg(out.trimmed());
        return false;
    }
    return true;
}

bool PgCluster::start()
{
    if (m_running)
        return true;
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    if (!QFile::exists(binDir() + QStringLiteral("/initdb"))) {
        m_error = QStringLiteral("PostgreSQL 15 is not installed (%1/initdb missing)").arg(binDir());
        return false;
    }
    m_dataDir = m_dir.filePath(QStringLiteral("data"));
    m_socketDir = m_dir.filePath(QStringLiteral("sock"));
    QDir().mkpath(m_dataDir);
    QDir().mkpath(m_socketDir);
    m_asPostgres = ::geteuid() == 0;
    if (m_asPostgres) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw) {
            m_error = QStringLiteral("running as root but there is no postgres user");
            return false;
        }
        ::chmod(QFile::encodeName(m_dir.path()).constData(), 0755);
        for (const QString &d : {m_dataDir, m_socketDir}) {
            if (::chown(QFile::encodeName(d).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                m_error = QStringLiteral("cannot chown %1 to postgres").arg(d);
                return false;
            }
        }
    }
    ::chmod(QFile::encodeName(m_dataDir).constData(), 0700);

    if (!run(binDir() + QStringLiteral("/initdb"),
             {QStringLiteral("-D"), m_dataDir, QStringLiteral("-U"), QStringLiteral("postgres"),
              QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
              QStringLiteral("--locale=C.UTF-8"), QStringLiteral("--no-sync")},
             m_asPostgres, 120000))
        return false;

    m_port = freeLoopbackPort();
    const QString options =
        QStringLiteral("-p %1 -k %2 -c listen_addresses='' -c fsync=off").arg(m_port).arg(m_socketDir);
    if (!run(binDir() + QStringLiteral("/pg_ctl"),
             {QStringLiteral("-D"), m_dataDir, QStringLiteral("-l"),
              m_dataDir + QStringLiteral("/server.log"), QStringLiteral("-o"), options, QStringLiteral("-w"),
              QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("start")},
             m_asPostgres, 90000)) {
        QFile log(m_dataDir + QStringLiteral("/server.log"));
        if (log.open(QIODevice::ReadOnly))
            m_error += QStringLiteral("\nserver log:\n") + QString::fromLocal8Bit(log.readAll());
        return false;
    }
    m_running = true;
    return true;
}

void PgCluster::stop()
{
    if (!m_running)
        return;
    run(binDir() + QStringLiteral("/pg_ctl"),
        {QStringLiteral("-D"), m_dataDir, QStringLiteral("-m"), QStringLiteral("immediate"),
         QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("30"), QStringLiteral("stop")},
        m_asPostgres, 60000);
    m_running = false;
}

QString PgCluster::uri(const QString &database) const
{
    return QStringLiteral("postgresql://postgres@%1:%2/%3")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_socketDir)), QString::number(m_port), database);
}

bool PgCluster::createDatabase(const QString &name)
{
    return run(binDir() + QStringLiteral("/createdb"),
               {QStringLiteral("-h"), m_socketDir, QStringLiteral("-p"), QString::number(m_port),
                QStringLiteral("-U"), QStringLiteral("postgres"), name},
               false, 60000);
}

} // namespace baricadr::test
