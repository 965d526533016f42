#pragma once

#include "util/result.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace baricadr {

// The service's settings: defaults < INI file < environment variables of the same names.
// Every key is defined once, in the table in settings.cpp (name, type, range, default, meaning);
// docs/configuration.md lists the same keys and tests/config/tst_configdocs.cpp checks that.
struct Settings
{
    static constexpr const char *DefaultConfigFile = "/etc/baricadr/baricadr.conf";

    // Where things are.
    QString reposConf = QStringLiteral("/etc/baricadr/repos.yml");  // BARICADR_REPOS_CONF
    QString taskLogDir = QStringLiteral("/var/log/baricadr/tasks"); // TASK_LOG_DIR
    QString dataDir = QStringLiteral("/var/lib/baricadr");          // BARICADR_DATA_DIR
    // DATABASE_URI (or the original's SQLALCHEMY_DATABASE_URI): "sqlite:///abs/path" or
    // "postgresql://user:pass@host:port/db". Default: sqlite:///<dataDir>/baricadr.sqlite.
    // May hold a password: show it only through redactedDatabaseUri().
    QString databaseUri;

    // Task engine.
    int workers = 2;                       // WORKERS, 1..64
    qint64 cleanupInterval = 21600;        // CLEANUP_INTERVAL, seconds, 0 = never
    qint64 cleanupAge = 365LL * 24 * 3600; // CLEANUP_AGE, seconds
    qint64 cleanupZombiesInterval = 3600;  // CLEANUP_ZOMBIES_INTERVAL, seconds, 0 = only at start
    qint64 watermarkCheckInterval = 300;   // WATERMARK_CHECK_INTERVAL, seconds

    // Mail (empty mailServer = no mail).
    QString mailServer;      // MAIL_SERVER
    int mailPort = 25;       // MAIL_PORT
    bool mailUseSsl = false; // MAIL_USE_SSL: SMTPS (implicit TLS)
    bool mailUseTls = false; // MAIL_USE_TLS: STARTTLS
    QString mailCaFile;      // MAIL_CA_FILE: PEM CAs trusted for the mail server (empty = system store)
    QString mailSender;      // MAIL_SENDER
    QStringList mailAdmin;   // MAIL_ADMIN, comma-separated
    QString mailUsername;    // MAIL_USERNAME
    QString mailPassword;    // MAIL_PASSWORD (secret)

    // rclone.
    QString rclonePath = QStringLiteral("rclone"); // RCLONE_PATH (looked up on PATH when not absolute)
    int rcloneTimeout = 0;     // RCLONE_TIMEOUT, seconds, overall watchdog per rclone run, 0 = none
    int rcloneConTimeout = 10; // RCLONE_CONTIMEOUT, seconds (rclone --contimeout)
    int rcloneIoTimeout = 30;  // RCLONE_IO_TIMEOUT, seconds (rclone --timeout)
    int rcloneNice = 10;       // RCLONE_NICE, added to rclone's nice value (0..19)

    // HTTP service.
    QString listen = QStringLiteral("127.0.0.1:9100"); // BARICADR_LISTEN, "host:port" or "[v6]:port"
    QString listenHost = QStringLiteral("127.0.0.1");  // parsed from listen
    quint16 listenPort = 9100;                         // parsed from listen (0 = any free port)
    QString authHtpasswdFile;          // AUTH_HTPASSWD_FILE: htpasswd -B file; empty = no Basic auth
    QString authTokensFile;            // AUTH_TOKENS_FILE: one bearer token per line; empty = no tokens
    QString tlsCertFile;               // TLS_CERT_FILE (PEM), with TLS_KEY_FILE: serve HTTPS
    QString tlsKeyFile;                // TLS_KEY_FILE (PEM)
    qint64 maxBodyBytes = 1024 * 1024; // MAX_BODY_BYTES

    QString secretKey; // SECRET_KEY: accepted for compatibility with the original, unused (secret)

    // Where the values came from (for messages): the INI file read, empty when none was.
    QString configFile;

    // Loads defaults, then `iniPath` (missing is fine unless `iniPathExplicit`; an empty path
    // means the default file), then the environment. Every bad value is reported (one line each)
    // with the key, its source ("file:line" or "environment"), the value (never for a secret)
    // and what is allowed; the error code is ErrorCode::Config.
    static Result<Settings> load(const QString &iniPath, bool iniPathExplicit,
                                 const QProcessEnvironment &env);

    // Every key the code reads, in table order (for the docs test and `check-config`).
    static QStringList knownKeys();
    // Keys that hold secrets: their values never appear in a message.
    static QStringList secretKeys();
    // Keys of the original's local.cfg that are accepted in the INI file and ignored.
    static QStringList ignoredLegacyKeys();

    // One-line summary without secrets (database password redacted).
    QString describe() const;
    QString redactedDatabaseUri() const;
    // The SQLite file of a "sqlite://" URI ("sqlite:///abs/x" and "sqlite:////abs/x" both give
    // "/abs/x"), or an empty string for PostgreSQL.
    QString sqlitePath() const;
    bool databaseIsPostgres() const { return !databaseUri.startsWith(QLatin1String("sqlite:")); }
    bool mailEnabled() const { return !mailServer.isEmpty(); }
    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }

    // Replaces the password of a URI ("scheme://user:pass@host") with "***".
    static QString redactUri(const QString &uri);
};

} // namespace baricadr
