#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>

#include <memory>

namespace baricadr::test {

// A real `baricadr serve` process over a state directory that outlives it, for fault tests:
// it can be killed with SIGKILL and started again on the same repos.yml, SQLite database, task
// logs and data dir (what a crash and a restart by systemd look like).
//
//   ServeDaemon serve(dir.path());
//   serve.setReposYaml(yaml);
//   QVERIFY2(serve.start(), qPrintable(serve.log()));
//   ... serve.kill9(); QVERIFY(serve.start()); ...
//
// The environment is the test's, plus BARICADR_REPOS_CONF, DATABASE_URI (SQLite in the state
// dir), TASK_LOG_DIR, BARICADR_DATA_DIR and RCLONE_CONFIG=/dev/null; setEnv() overrides or adds
// (e.g. PATH, to put a fake rclone first).
class ServeDaemon
{
public:
    explicit ServeDaemon(const QString &stateDir);
    ~ServeDaemon();

    ServeDaemon(const ServeDaemon &) = delete;
    ServeDaemon &operator=(const ServeDaemon &) = delete;

    void setReposYaml(const QByteArray &yaml) { m_repos = yaml; }
    void setEnv(const QString &key, const QString &value) { m_env.insert(key, value); }

    // Starts a new process on a free loopback port and waits (bounded, ~15 s) for its
    // "listening on" line. False if it exited or never said it listens (see log()).
    bool start();
    // SIGKILL, then reaps it: nothing is flushed, nothing is cleaned up.
    void kill9();
    // SIGTERM; the exit code, or -1 if it crashed or had to be killed.
    int stop();

    bool isRunning() const;
    qint64 pid() const;
    QString base() const { return m_base; }
    quint16 port() const { return m_port; }
    QString stateDir() const { return m_dir; }
    QString databasePath() const { return m_dir + QStringLiteral("/db.sqlite"); }
    QString databaseUri() const { return QStringLiteral("sqlite:///") + databasePath(); }
    // stderr of every process started so far (each start is marked).
    QString log() const { return QString::fromUtf8(m_log); }
    // stderr of the current (or last) process only.
    QString currentLog() const { return QString::fromUtf8(m_log.mid(m_logStart)); }

private:
    QString m_dir;
    QByteArray m_repos;
    QProcessEnvironment m_env;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    qsizetype m_logStart = 0;
    QString m_base;
    quint16 m_port = 0;
};

} // namespace baricadr::test
