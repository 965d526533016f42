#include "store/databaseuri.h"

#include <QTest>

using namespace baricadr;

class tst_DatabaseUri : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("sqlite");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("redacted");

        QTest::newRow("sqlite") << "sqlite:///var/lib/baricadr/baricadr.sqlite" << true
                                << "/var/lib/baricadr/baricadr.sqlite"
                                << "" << -1 << ""
                                << ""
                                << ""
                                << "sqlite:///var/lib/baricadr/baricadr.sqlite";
        QTest::newRow("sqlite sqlalchemy four slashes")
            << "sqlite:////var/lib/baricadr.sqlite" << true << "/var/lib/baricadr.sqlite"
            << "" << -1 << ""
            << ""
            << ""
            << "sqlite:///var/lib/baricadr.sqlite";
        QTest::newRow("sqlite percent and dots")
            << "  sqlite:///data/my%20db/../x.sqlite " << true << "/data/x.sqlite"
            << "" << -1 << ""
            << ""
            << ""
            << "sqlite:///data/x.sqlite";
        QTest::newRow("pg full") << "postgresql://bob:p%40ss:w0rd@db.example.org:5433/baricadr" << false << ""
                                 << "db.example.org" << 5433 << "bob"
                                 << "p@ss:w0rd"
                                 << "baricadr"
                                 << "postgresql://bob:***@db.example.org:5433/baricadr";
        QTest::newRow("postgres scheme, no port") << "postgres://bob@localhost/bdb" << false << ""
                                                  << "localhost" << -1 << "bob"
                                                  << ""
                                                  << "bdb"
                                                  << "postgresql://bob@localhost/bdb";
        QTest::newRow("sqlalchemy driver") << "postgresql+psycopg2://u:pw@h:1/d" << false << ""
                                           << "h" << 1 << "u"
                                           << "pw"
                                           << "d"
                                           << "postgresql://u:***@h:1/d";
        QTest::newRow("socket dir encoded")
            << "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql:5432/baricadr" << false << ""
            << "/var/run/postgresql" << 5432 << "postgres"
            << ""
            << "baricadr"
            << "postgresql://postgres@%2Fvar%2Frun%2Fpostgresql:5432/baricadr";
        QTest::newRow("socket dir in query")
            << "postgresql:///baricadr?host=/run/postgresql&sslmode=disable" << false << ""
            << "/run/postgresql" << -1 << ""
            << ""
            << "baricadr"
            << "postgresql://%2Frun%2Fpostgresql/baricadr?sslmode=disable";
        QTest::newRow("ipv6") << "postgresql://u@[::1]:6000/d" << false << ""
                              << "::1" << 6000 << "u"
                              << ""
                              << "d"
                              << "postgresql://u@[::1]:6000/d";
        QTest::newRow("password in query") << "postgresql://u@h/d?password=secret" << false << ""
                                           << "h" << -1 << "u"
                                           << "secret"
                                           << "d"
                                           << "postgresql://u:***@h/d";
    }

    void valid()
    {
        QFETCH(QString, uri);
        QFETCH(bool, sqlite);
        QFETCH(QString, path);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, database);
        QFETCH(QString, redacted);
        auto r = DatabaseUri::parse(uri);
        QVERIFY2(r.ok(), r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->isSqlite(), sqlite);
        QCOMPARE(r->sqlitePath, path);
        QCOMPARE(r->host, host);
        QCOMPARE(r->port, port);
        QCOMPARE(r->user, user);
        QCOMPARE(r->password, password);
        QCOMPARE(r->database, database);
        QCOMPARE(r->redacted(), redacted);
        QCOMPARE(r->isUnixSocket(), host.startsWith(QLatin1Char('/')));
        if (!password.isEmpty())
            QVERIFY(!r->redacted().contains(password));
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "DATABASE_URI: is empty";
        QTest::newRow("no scheme") << "/var/lib/x.sqlite"
                                   << "DATABASE_URI: has no scheme";
        QTest::newRow("mysql") << "mysql://u:secretpw@h/d"
                               << "unsupported database type \"mysql\"";
        QTest::newRow("sqlite relative") << "sqlite://baricadr.sqlite"
                                         << "the SQLite path \"baricadr.sqlite\" is relative";
        QTest::newRow("sqlite relative dir") << "sqlite://data/b.sqlite"
                                             << "is relative";
        QTest::newRow("sqlite no path") << "sqlite://"
                                        << "has no file path";
        QTest::newRow("sqlite root") << "sqlite:///"
                                     << "has no file path";
        QTest::newRow("sqlite dir") << "sqlite:///var/lib/"
                                    << "names a directory";
        QTest::newRow("sqlite query") << "sqlite:///x.db?mode=ro"
                                      << "query parameters are not supported";
        QTest::newRow("pg no db") << "postgresql://u:secretpw@host:5432"
                                  << "no database name";
        QTest::newRow("pg no db slash") << "postgresql://u:secretpw@host/"
                                        << "no database name";
        QTest::newRow("pg bad port") << "postgresql://u:secretpw@host:54x2/db"
                                     << "the port \"54x2\" is not a number";
        QTest::newRow("pg port range") << "postgresql://u:secretpw@host:70000/db"
                                       << "between 1 and 65535";
        QTest::newRow("pg unencoded socket") << "postgresql://u:secretpw@/var/run/postgresql/db"
                                             << "must be percent-encoded";
        QTest::newRow("pg relative socket") << "postgresql://u:secretpw@/db?host=run/pg"
                                            << "relative path";
        QTest::newRow("pg bad option") << "postgresql://u:secretpw@h/db?Bad-Opt=1"
                                       << "not a libpq option name";
        QTest::newRow("pg option semicolon") << "postgresql://u:secretpw@h/db?sslmode=a;b"
                                             << "must not contain ';'";
        QTest::newRow("pg item without =") << "postgresql://u:secretpw@h/db?secretpw"
                                           << "name=value";
    }

    void invalid()
    {
        QFETCH(QString, uri);
        QFETCH(QString, message);
        auto r = DatabaseUri::parse(uri);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Config);
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
        QVERIFY2(r.error().message.startsWith(QStringLiteral("DATABASE_URI: ")),
                 qPrintable(r.error().message));
        QVERIFY2(!r.error().message.contains(QStringLiteral("secretpw")), qPrintable(r.error().message));
    }

    void keyNamedInErrors()
    {
        auto r =
            DatabaseUri::parse(QStringLiteral("oracle://x/y"), QStringLiteral("SQLALCHEMY_DATABASE_URI"));
        QVERIFY(r.error().message.startsWith(QStringLiteral("SQLALCHEMY_DATABASE_URI: ")));
    }
};

QTEST_GUILESS_MAIN(tst_DatabaseUri)
#include "tst_databaseuri.moc"
