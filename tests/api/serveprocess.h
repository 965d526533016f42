#pragma once

// Starts the real `baricadr serve` executable on a free loopback port, with its own repos.yml,
// SQLite database and task log dir in a temp dir, and stops it with SIGTERM.

#include "testenv.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace baricadr::test {

class ServeProcess
{
public:
    ServeProcess() { m_env = QProcessEnvironment::systemEnvironment(); }
    ~ServeProcess() { stop(); }

    QString dir() const { return m_dir.path(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void setEnv(const QString &key, const QString &value) { m_env.insert(key, value); }

    // repos.yml text; the default is one sftp repo at dir()/repo whose remote does not exist.
    void setReposYaml(const QByteArray &yaml) { m_repos = yaml; }

    bool start(bool tls = false)
    {
        if (m_repos.isEmpty()) {
            QDir().mkpath(path(QStringLiteral("repo")));
            m_repos = path(QStringLiteral("repo")).toUtf8() +
                      ":\n  backend: sftp\n  url: \"127.0.0.1:/backup\"\n  user: foo\n  password: bar\n";
        }
        QFile repos(path(QStringLiteral("repos.yml")));
        if (!repos.open(QIODevice::WriteOnly))
            return false;
        repos.write(m_repos);
        repos.close();
        m_env.insert(QStringLiteral("BARICADR_REPOS_CONF"), repos.fileName());
        if (!m_env.contains(QStringLiteral("DATABASE_URI")))
            m_env.insert(QStringLiteral("DATABASE_URI"),
                         QStringLiteral("sqlite:///") + path(QStringLiteral("db.sqlite")));
        if (!m_env.contains(QStringLiteral("TASK_LOG_DIR")))
            m_env.insert(QStringLiteral("TASK_LOG_DIR"), path(QStringLiteral("logs")));
        m_env.insert(QStringLiteral("BARICADR_DATA_DIR"), path(QStringLiteral("data")));
        m_env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_port = freeLoopbackPort();
            m_process = std::make_unique<QProcess>();
            m_process->setProcessEnvironment(m_env);
            m_process->setProcessChannelMode(QProcess::SeparateChannels);
            QObject::connect(m_process.get(), &QProcess::readyReadStandardError, m_process.get(),
                             [this] { m_log += m_process->readAllStandardError(); });
            m_process->start(baricadrExecutable(), {QStringLiteral("serve"), QStringLiteral("--listen"),
                                                    QStringLiteral("127.0.0.1:%1").arg(m_port)});
            if (!m_process->waitForStarted(10000))
                return false;
            // Started when the summary line is out (bounded wait).
            for (int i = 0; i < 200 && !m_log.contains("listening on"); ++i) {
                if (m_process->state() != QProcess::Running)
                    break;
                QTest::qWait(50);
            }
            if (m_log.contains("listening on")) {
                m_base = QStringLiteral("%1://127.0.0.1:%2").arg(tls ? u"https"_qs : u"http"_qs).arg(m_port);
                return true;
            }
            m_process->waitForFinished(5000);
            if (!m_log.contains("cannot listen"))
                return false; // a real failure, not a port race
        }
        return false;
    }

    // SIGTERM; returns the exit code (-1 when it had to be killed).
    int stop()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return m_process ? m_process->exitCode() : -1;
        m_process->terminate();
        if (!m_process->waitForFinished(20000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
            return -1;
        }
        m_log += m_process->readAllStandardError();
        return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
    }

    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    QString base() const { return m_base; }
    quint16 port() const { return m_port; }
    QString log() const { return QString::fromUtf8(m_log); }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QByteArray m_repos;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    quint16 m_port = 0;
    QString m_base;
};

} // namespace baricadr::test
