#pragma once

#include "util/result.h"

#include <QList>
#include <QPair>
#include <QString>

namespace baricadr {

// Where the task store lives, parsed from DATABASE_URI (or the original's SQLALCHEMY_DATABASE_URI):
//   sqlite:///abs/path/baricadr.sqlite          (SQLAlchemy's sqlite:////abs/path is accepted too)
//   postgresql://user:pass@host:port/db         (also postgres://, postgresql+psycopg2://)
//   postgresql://user@%2Fvar%2Frun%2Fpostgresql/db or postgresql:///db?host=/var/run/postgresql
//                                                (a host that is an absolute directory = Unix socket dir)
// Other query items (sslmode=require, connect_timeout=10, …) are passed to libpq.
struct DatabaseUri
{
    enum class Backend
    {
        Sqlite,
        Postgres
    };

    Backend backend = Backend::Sqlite;
    QString sqlitePath; // SQLite: absolute file path
    // PostgreSQL:
    QString host;  // host name, IP address, or socket directory (absolute path)
    int port = -1; // -1 = libpq default (5432)
    QString user;
    QString password; // never logged: use redacted()
    QString database;
    QList<QPair<QString, QString>> options; // extra libpq connection options

    // `key` names the setting in error messages (DATABASE_URI, SQLALCHEMY_DATABASE_URI).
    static Result<DatabaseUri> parse(const QString &uri, const QString &key = QStringLiteral("DATABASE_URI"));
    static DatabaseUri sqlite(const QString &absolutePath);

    bool isSqlite() const { return backend == Backend::Sqlite; }
    bool isPostgres() const { return backend == Backend::Postgres; }
    bool isUnixSocket() const { return isPostgres() && host.startsWith(QLatin1Char('/')); }

    // The URI for logs and summaries: the password replaced by "***".
    QString redacted() const;
};

} // namespace baricadr
