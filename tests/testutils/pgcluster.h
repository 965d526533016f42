#pragma once

#include <QString>
#include <QTemporaryDir>

namespace baricadr::test {

// A throwaway PostgreSQL 15 cluster for tests: initdb into a temporary directory, started on a
// private Unix socket directory only (no TCP), stopped in the destructor. As root, the server
// runs as the `postgres` user (initdb refuses root). Every step is bounded in time.
class PgCluster
{
public:
    PgCluster();
    ~PgCluster();
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;

    bool start(); // initdb + pg_ctl start; false with errorString() on failure
    void stop();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_error; }

    QString socketDir() const { return m_socketDir; }
    quint16 port() const { return m_port; }
    // DATABASE_URI for `database` over the Unix socket, as user postgres (trust auth).
    QString uri(const QString &database = QStringLiteral("postgres")) const;
    // CREATE DATABASE, for test isolation. Names: [a-z0-9_]+.
    bool createDatabase(const QString &name);

    static QString binDir() { return QStringLiteral("/usr/lib/postgresql/15/bin"); }

private:
    bool run(const QString &program, const QStringList &args, bool asPostgres, int timeoutMs,
             QString *output = nullptr);

    QTemporaryDir m_dir;
    QString m_dataDir;
    QString m_socketDir;
    quint16 m_port = 0;
    bool m_running = false;
    bool m_asPostgres = false;
    QString m_error;
};

} // namespace baricadr::test
