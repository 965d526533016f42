#include "config/settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "resultverify.h"

using namespace baricadr;

class TestSettings : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString writeIni(const QByteArray &content, const QString &name = QStringLiteral("baricadr.conf"))
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path;
    }
    static QProcessEnvironment env(const QStringList &pairs = {})
    {
        QProcessEnvironment e;
        for (const QString &p : pairs) {
            const int eq = int(p.indexOf(u'='));
            e.insert(p.left(eq), p.mid(eq + 1));
        }
        return e;
    }

private Q_SLOTS:
    void defaults();
    void missingDefaultFileIsFine();
    void missingExplicitFileIsAnError();
    void precedence();
    void iniSyntax();
    void badValues_data();
    void badValues();
    void badValueInEnvironment();
    void secretsNeverInMessages();
    void allErrorsReported();
    void unknownAndDuplicateIniKeys();
    void legacyKeysAccepted();
    void databaseUriAlias();
    void booleans_data();
    void booleans();
    void listen_data();
    void listen();
    void crossFieldChecks();
    void describeHasNoSecrets();
    void knownKeysAreUnique();
};

void TestSettings::defaults()
{
    const QString ini = writeIni("");
    const auto s = Settings::load(ini, true, env());
    QVERIFY_OK(s);
    QCOMPARE(s->reposConf, QStringLiteral("/etc/baricadr/repos.yml"));
    QCOMPARE(s->taskLogDir, QStringLiteral("/var/log/baricadr/tasks"));
    QCOMPARE(s->dataDir, QStringLiteral("/var/lib/baricadr"));
    QCOMPARE(s->databaseUri, QStringLiteral("sqlite:///var/lib/baricadr/baricadr.sqlite"));
    QCOMPARE(s->sqlitePath(), QStringLiteral("/var/lib/baricadr/baricadr.sqlite"));
    QCOMPARE(s->workers, 2);
    QCOMPARE(s->cleanupInterval, 21600);
    QCOMPARE(s->cleanupAge, 365LL * 86400);
    QCOMPARE(s->cleanupZombiesInterval, 3600);
    QCOMPARE(s->watermarkCheckInterval, 300);
    QCOMPARE(s->mailPort, 25);
    QVERIFY(!s->mailEnabled());
    QCOMPARE(s->rclonePath, QStringLiteral("rclone"));
    QCOMPARE(s->rcloneTimeout, 0);
    QCOMPARE(s->rcloneConTimeout, 10);
    QCOMPARE(s->rcloneIoTimeout, 30);
    QCOMPARE(s->listen, QStringLiteral("127.0.0.1:9100"));
    QCOMPARE(s->listenHost, QStringLiteral("127.0.0.1"));
    QCOMPARE(s->listenPort, quint16(9100));
    QCOMPARE(s->maxBodyBytes, 1024 * 1024);
    QVERIFY(s->authHtpasswdFile.isEmpty());
    QVERIFY(!s->tlsEnabled());
    QCOMPARE(s->configFile, ini);
}

void TestSettings::missingDefaultFileIsFine()
{
    const auto s = Settings::load(m_dir.filePath(QStringLiteral("nope.conf")), false, env());
    QVERIFY_OK(s);
    QVERIFY(s->configFile.isEmpty());
    QCOMPARE(s->workers, 2);
}

void TestSettings::missingExplicitFileIsAnError()
{
    const QString path = m_dir.filePath(QStringLiteral("nope.conf"));
    const auto s = Settings::load(path, true, env());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::Config);
    QCOMPARE(s.error().message, QStringLiteral("config file %1 does not exist").arg(path));
}

void TestSettings::precedence()
{
    const QString ini = writeIni("WORKERS = 4\nTASK_LOG_DIR = /srv/logs\nBARICADR_DATA_DIR=/srv/data\n");
    // INI over defaults.
    auto s = Settings::load(ini, true, env());
    QVERIFY_OK(s);
    QCOMPARE(s->workers, 4);
    QCOMPARE(s->taskLogDir, QStringLiteral("/srv/logs"));
    QCOMPARE(s->databaseUri, QStringLiteral("sqlite:///srv/data/baricadr.sqlite"));
    QCOMPARE(s->cleanupAge, 365LL * 86400); // untouched default

    // Environment over INI, key by key.
    s = Settings::load(ini, true, env({QStringLiteral("WORKERS=8"), QStringLiteral("CLEANUP_AGE=120")}));
    QVERIFY_OK(s);
    QCOMPARE(s->workers, 8);
    QCOMPARE(s->cleanupAge, 120);
    QCOMPARE(s->taskLogDir, QStringLiteral("/srv/logs"));

    // An explicit DATABASE_URI wins over the data-dir default.
    s = Settings::load(ini, true, env({QStringLiteral("DATABASE_URI=sqlite:////tmp/x.sqlite")}));
    QVERIFY_OK(s);
    QCOMPARE(s->databaseUri, QStringLiteral("sqlite:////tmp/x.sqlite"));
    QCOMPARE(s->sqlitePath(), QStringLiteral("/tmp/x.sqlite"));

    // Variables of other names are ignored.
    s = Settings::load(ini, true, env({QStringLiteral("workers=9"), QStringLiteral("PATH=/bin")}));
    QVERIFY_OK(s);
    QCOMPARE(s->workers, 4);
}

void TestSettings::iniSyntax()
{
    const QString ini = writeIni("# comment\n; other comment\n[General]\n\n"
                                 "BARICADR_REPOS_CONF = '/srv/repos.yml'\n"
                                 "MAIL_SERVER=\"smtp.example.org\"\n"
                                 "MAIL_SENDER = baricadr@example.org\n"
                                 "MAIL_ADMIN = a@example.org, b@example.org ,\n"
                                 "  WORKERS   =   3   \n");
    const auto s = Settings::load(ini, true, env());
    QVERIFY_OK(s);
    QCOMPARE(s->reposConf, QStringLiteral("/srv/repos.yml"));
    QCOMPARE(s->mailServer, QStringLiteral("smtp.example.org"));
    QCOMPARE(s->mailAdmin, (QStringList{QStringLiteral("a@example.org"), QStringLiteral("b@example.org")}));
    QCOMPARE(s->workers, 3);

    const QString bad = writeIni("WORKERS = 3\nthis line has no equals sign\n", QStringLiteral("bad.conf"));
    const auto b = Settings::load(bad, true, env());
    QVERIFY(!b.ok());
    QCOMPARE(b.error().message, bad + QStringLiteral(":2: expected KEY = value"));
}

void TestSettings::badValues_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected"); // after "<file>:<line>: "
    QTest::newRow("workers word") << QByteArray("WORKERS = abc")
                                  << "WORKERS must be an integer between 1 and 64, got \"abc\"";
    QTest::newRow("NUL in a value") << QByteArray("WORKERS = 4\0", 12)
                                    << "a control character (byte 0x00) in the line";
    QTest::newRow("workers zero") << QByteArray("WORKERS = 0")
                                  << "WORKERS must be an integer between 1 and 64, got \"0\"";
    QTest::newRow("workers too many")
        << QByteArray("WORKERS = 65") << "WORKERS must be an integer between 1 and 64, got \"65\"";
    QTest::newRow("workers float") << QByteArray("WORKERS = 2.5")
                                   << "WORKERS must be an integer between 1 and 64, got \"2.5\"";
    QTest::newRow("cleanup interval negative")
        << QByteArray("CLEANUP_INTERVAL = -1")
        << "CLEANUP_INTERVAL must be an integer between 0 and 316224000 seconds (0 = never), got \"-1\"";
    QTest::newRow("cleanup age")
        << QByteArray("CLEANUP_AGE = 1y")
        << "CLEANUP_AGE must be an integer between 60 and 3162240000 seconds, got \"1y\"";
    QTest::newRow("zombies")
        << QByteArray("CLEANUP_ZOMBIES_INTERVAL = x")
        << "CLEANUP_ZOMBIES_INTERVAL must be an integer between 0 and 316224000 seconds (0 = "
           "only at start), got \"x\"";
    QTest::newRow("watermark interval")
        << QByteArray("WATERMARK_CHECK_INTERVAL = 5")
        << "WATERMARK_CHECK_INTERVAL must be an integer between 10 and 604800 seconds, got \"5\"";
    QTest::newRow("mail port") << QByteArray("MAIL_PORT = 70000")
                               << "MAIL_PORT must be an integer between 1 and 65535, got \"70000\"";
    QTest::newRow("mail ssl") << QByteArray("MAIL_USE_SSL = maybe")
                              << "MAIL_USE_SSL must be one of true, false, 1, 0, yes, no, got \"maybe\"";
    QTest::newRow("mail tls") << QByteArray("MAIL_USE_TLS = 2")
                              << "MAIL_USE_TLS must be one of true, false, 1, 0, yes, no, got \"2\"";
    QTest::newRow("mail admin")
        << QByteArray("MAIL_ADMIN = root")
        << "MAIL_ADMIN must be a comma-separated list of email addresses (user@host), got "
           "\"root\"";
    QTest::newRow("rclone timeout")
        << QByteArray("RCLONE_TIMEOUT = -5")
        << "RCLONE_TIMEOUT must be an integer between 0 and 2592000 seconds (0 = none), "
           "got \"-5\"";
    QTest::newRow("rclone contimeout")
        << QByteArray("RCLONE_CONTIMEOUT = 0")
        << "RCLONE_CONTIMEOUT must be an integer between 1 and 3600 seconds, got \"0\"";
    QTest::newRow("rclone io timeout")
        << QByteArray("RCLONE_IO_TIMEOUT = 10s")
        << "RCLONE_IO_TIMEOUT must be an integer between 1 and 86400 seconds, got "
           "\"10s\"";
    QTest::newRow("rclone nice")
        << QByteArray("RCLONE_NICE = 20")
        << "RCLONE_NICE must be an integer between 0 and 19 (0 = same priority as the service), got \"20\"";
    QTest::newRow("listen no port")
        << QByteArray("BARICADR_LISTEN = 127.0.0.1")
        << "BARICADR_LISTEN must be HOST:PORT with an IP address (or localhost) and a "
           "port 0..65535, e.g. 127.0.0.1:9100 or [::1]:9100, got \"127.0.0.1\"";
    QTest::newRow("listen bad host")
        << QByteArray("BARICADR_LISTEN = example.org:80")
        << "BARICADR_LISTEN must be HOST:PORT with an IP address (or localhost) and a "
           "port 0..65535, e.g. 127.0.0.1:9100 or [::1]:9100, got \"example.org:80\"";
    QTest::newRow("max body")
        << QByteArray("MAX_BODY_BYTES = 10")
        << "MAX_BODY_BYTES must be an integer between 1024 and 1073741824 bytes, got \"10\"";
    QTest::newRow("empty path") << QByteArray("TASK_LOG_DIR =")
                                << "TASK_LOG_DIR must be a path, not empty, got \"\"";
    QTest::newRow("database scheme")
        << QByteArray("DATABASE_URI = mysql://u@h/db")
        << "DATABASE_URI is not valid (unsupported database type \"mysql\"; expected "
           "sqlite:///abs/path/baricadr.sqlite or postgresql://user:password@host:port/database), got "
           "\"mysql://u@h/db\"";
    QTest::newRow("database relative sqlite")
        << QByteArray("DATABASE_URI = sqlite://relative.db")
        << "DATABASE_URI is not valid (the SQLite path \"relative.db\" is relative; give an absolute path "
           "with three "
           "slashes: sqlite:///abs/path/baricadr.sqlite), got \"sqlite://relative.db\"";
}

void TestSettings::badValues()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    const QString ini = writeIni("# first line\n" + line + "\n");
    const auto s = Settings::load(ini, true, env());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::Config);
    QCOMPARE(s.error().message, ini + QStringLiteral(":2: ") + expected);
}

void TestSettings::badValueInEnvironment()
{
    const auto s = Settings::load(QString(m_dir.filePath(QStringLiteral("none.conf"))), false,
                                  env({QStringLiteral("WORKERS=many")}));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message,
             QStringLiteral("environment: WORKERS must be an integer between 1 and 64, got \"many\""));
    // A good INI value does not hide a bad environment override.
    const QString ini = writeIni("WORKERS = 3\n");
    const auto t = Settings::load(ini, true, env({QStringLiteral("WORKERS=0")}));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().message,
             QStringLiteral("environment: WORKERS must be an integer between 1 and 64, got \"0\""));
}

void TestSettings::secretsNeverInMessages()
{
    const QString ini = writeIni("DATABASE_URI = mysql://dbuser:hunter2@db/x\n");
    const auto s = Settings::load(ini, true, env());
    QVERIFY(!s.ok());
    QVERIFY(!s.error().message.contains(QStringLiteral("hunter2")));
    QCOMPARE(s.error().message,
             ini +
                 QStringLiteral(
                     ":1: DATABASE_URI is not valid (unsupported database type \"mysql\"; expected "
                     "sqlite:///abs/path/baricadr.sqlite or postgresql://user:password@host:port/database), "
                     "got \"mysql://dbuser:***@db/x\""));
    const auto pg = Settings::load(ini, true, env({QStringLiteral("DATABASE_URI=postgresql://u:s3cret@/")}));
    QVERIFY(!pg.ok());
    QVERIFY(!pg.error().message.contains(QStringLiteral("s3cret")));
}

void TestSettings::allErrorsReported()
{
    const QString ini = writeIni("WORKERS = x\nMAIL_PORT = y\n");
    const auto s = Settings::load(ini, true, env({QStringLiteral("RCLONE_CONTIMEOUT=z")}));
    QVERIFY(!s.ok());
    const QStringList lines = s.error().message.split(u'\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith(ini + QStringLiteral(":1: WORKERS")));
    QVERIFY(lines.at(1).startsWith(ini + QStringLiteral(":2: MAIL_PORT")));
    QVERIFY(lines.at(2).startsWith(QStringLiteral("environment: RCLONE_CONTIMEOUT")));
}

void TestSettings::unknownAndDuplicateIniKeys()
{
    const QString ini = writeIni("WORKERS = 2\nWORKER = 3\nWORKERS = 4\n");
    const auto s = Settings::load(ini, true, env());
    QVERIFY(!s.ok());
    const QStringList lines = s.error().message.split(u'\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).startsWith(
                 ini + QStringLiteral(":2: unknown key \"WORKER\" (known keys: BARICADR_REPOS_CONF, ")),
             qPrintable(lines.at(0)));
    QCOMPARE(lines.at(1), ini + QStringLiteral(":3: WORKERS is already set at line 1"));
}

void TestSettings::legacyKeysAccepted()
{
    const QString ini =
        writeIni("CELERY_BROKER_URL = 'redis://redis:6379/0'\nSQLALCHEMY_TRACK_MODIFICATIONS = False\n"
                 "SECRET_KEY = 'changeme'\n");
    QTest::ignoreMessage(QtWarningMsg,
                         qPrintable(ini + QStringLiteral(":1: CELERY_BROKER_URL is a setting of the "
                                                         "original Baricadr and is ignored")));
    QTest::ignoreMessage(QtWarningMsg,
                         qPrintable(ini + QStringLiteral(":2: SQLALCHEMY_TRACK_MODIFICATIONS is a setting "
                                                         "of the original Baricadr and is ignored")));
    const auto s = Settings::load(ini, true, env());
    QVERIFY_OK(s);
    QCOMPARE(s->secretKey, QStringLiteral("changeme"));
}

void TestSettings::databaseUriAlias()
{
    const QString ini = writeIni("SQLALCHEMY_DATABASE_URI = postgresql://u:p@db.example.org:5432/baricadr\n");
    auto s = Settings::load(ini, true, env());
    QVERIFY_OK(s);
    QCOMPARE(s->databaseUri, QStringLiteral("postgresql://u:p@db.example.org:5432/baricadr"));
    QVERIFY(s->databaseIsPostgres());
    QVERIFY(s->sqlitePath().isEmpty());
    QCOMPARE(s->redactedDatabaseUri(), QStringLiteral("postgresql://u:***@db.example.org:5432/baricadr"));
    // The new name wins in the same source; the environment wins over the file.
    const QString both =
        writeIni("SQLALCHEMY_DATABASE_URI = sqlite:////old.db\nDATABASE_URI = sqlite:////new.db\n",
                 QStringLiteral("both.conf"));
    s = Settings::load(both, true, env());
    QVERIFY_OK(s);
    QCOMPARE(s->databaseUri, QStringLiteral("sqlite:////new.db"));
    s = Settings::load(both, true, env({QStringLiteral("SQLALCHEMY_DATABASE_URI=sqlite:////env.db")}));
    QVERIFY_OK(s);
    QCOMPARE(s->databaseUri, QStringLiteral("sqlite:////env.db"));
}

void TestSettings::booleans_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("expected");
    for (const char *t : {"true", "True", "TRUE", "1", "yes", "Yes"})
        QTest::newRow(t) << QString::fromLatin1(t) << true;
    for (const char *f : {"false", "False", "0", "no", "NO"})
        QTest::newRow(f) << QString::fromLatin1(f) << false;
}

void TestSettings::booleans()
{
    QFETCH(QString, value);
    QFETCH(bool, expected);
    const auto s = Settings::load(m_dir.filePath(QStringLiteral("none.conf")), false,
                                  env({QStringLiteral("MAIL_USE_TLS=") + value}));
    QVERIFY_OK(s);
    QCOMPARE(s->mailUseTls, expected);
}

void TestSettings::listen_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("v4") << "0.0.0.0:80"
                        << "0.0.0.0" << 80;
    QTest::newRow("localhost") << "localhost:9200"
                               << "127.0.0.1" << 9200;
    QTest::newRow("v6") << "[::1]:9100"
                        << "::1" << 9100;
    QTest::newRow("any port") << "127.0.0.1:0"
                              << "127.0.0.1" << 0;
}

void TestSettings::listen()
{
    QFETCH(QString, value);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto s = Settings::load(m_dir.filePath(QStringLiteral("none.conf")), false,
                                  env({QStringLiteral("BARICADR_LISTEN=") + value}));
    QVERIFY_OK(s);
    QCOMPARE(s->listen, value);
    QCOMPARE(s->listenHost, host);
    QCOMPARE(int(s->listenPort), port);
}

void TestSettings::crossFieldChecks()
{
    auto s = Settings::load(m_dir.filePath(QStringLiteral("none.conf")), false,
                            env({QStringLiteral("MAIL_USE_SSL=1"), QStringLiteral("MAIL_USE_TLS=1"),
                                 QStringLiteral("BARICADR_REPOS_CONF=/x")}));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message,
             QStringLiteral("MAIL_USE_SSL (SMTPS) and MAIL_USE_TLS (STARTTLS) cannot both be "
                            "true: choose one"));
    s = Settings::load(m_dir.filePath(QStringLiteral("none.conf")), false,
                       env({QStringLiteral("TLS_CERT_FILE=/etc/cert.pem")}));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message,
             QStringLiteral("TLS_CERT_FILE and TLS_KEY_FILE must be set together (TLS needs both)"));
    s = Settings::load(m_dir.filePath(QStringLiteral("none.conf")), false,
                       env({QStringLiteral("MAIL_SERVER=smtp.example.org")}));
    QVERIFY(!s.ok());
    QCOMPARE(s.error().message, QStringLiteral("MAIL_SENDER must be set when MAIL_SERVER is set"));
}

void TestSettings::describeHasNoSecrets()
{
    const auto s = Settings::load(
        QString(), false,
        env({QStringLiteral("DATABASE_URI=postgresql://baricadr:dbpass@localhost/baricadr"),
             QStringLiteral("MAIL_SERVER=smtp.example.org"), QStringLiteral("MAIL_SENDER=b@example.org"),
             QStringLiteral("MAIL_USERNAME=mailer"), QStringLiteral("MAIL_PASSWORD=mailpass"),
             QStringLiteral("SECRET_KEY=flasksecret"),
             QStringLiteral("AUTH_HTPASSWD_FILE=/etc/baricadr/htpasswd")}));
    QVERIFY_OK(s);
    QCOMPARE(s->mailPassword, QStringLiteral("mailpass"));
    const QString d = s->describe();
    QVERIFY(!d.contains(QStringLiteral("dbpass")));
    QVERIFY(!d.contains(QStringLiteral("mailpass")));
    QVERIFY(!d.contains(QStringLiteral("flasksecret")));
    QVERIFY(!d.contains(u'\n'));
    QVERIFY2(d.contains(QStringLiteral("db=postgresql://baricadr:***@localhost/baricadr")), qPrintable(d));
    QVERIFY2(d.contains(QStringLiteral("auth=basic")), qPrintable(d));
    QVERIFY2(d.contains(QStringLiteral("mail=smtp.example.org:25")), qPrintable(d));
}

void TestSettings::knownKeysAreUnique()
{
    const QStringList keys = Settings::knownKeys();
    QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), keys.size());
    for (const char *k : {"BARICADR_REPOS_CONF", "TASK_LOG_DIR", "DATABASE_URI", "SQLALCHEMY_DATABASE_URI",
                          "WORKERS", "MAIL_PASSWORD", "SECRET_KEY", "BARICADR_LISTEN", "AUTH_TOKENS_FILE"})
        QVERIFY2(keys.contains(QLatin1String(k)), k);
    for (const QString &secret : Settings::secretKeys())
        QVERIFY(keys.contains(secret));
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
