#include "config/settings.h"

#include "store/databaseuri.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QUrl>

#include <algorithm>
#include <limits>

Q_LOGGING_CATEGORY(lcConfig, "baricadr.config")

namespace baricadr {

namespace {

// Each setter checks one value and stores it; it returns what is allowed when the value is bad
// (e.g. "must be an integer between 1 and 64"), or an empty string when it took the value.
using Setter = QString (*)(Settings &, const QString &);

struct KeyDef
{
    const char *name;
    bool secret;
    Setter set;
};

bool parseBool(const QString &value, bool *out)
{
    const QString v = value.trimmed().toLower();
    if (v == u"true" || v == u"1" || v == u"yes" || v == u"on") {
        *out = true;
        return true;
    }
    if (v == u"false" || v == u"0" || v == u"no" || v == u"off") {
        *out = false;
        return true;
    }
    return false;
}

template<typename T> QString setInt(T &field, const QString &value, qint64 min, qint64 max, const char *unit)
{
    bool ok = false;
    const qint64 v = value.trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max)
        return QStringLiteral("must be an integer between %1 and %2%3")
            .arg(min)
            .arg(max)
            .arg(QLatin1String(unit));
    field = static_cast<T>(v);
    return QString();
}

QString setBool(bool &field, const QString &value)
{
    if (!parseBool(value, &field))
        return QStringLiteral("must be one of true, false, 1, 0, yes, no");
    return QString();
}

QString setString(QString &field, const QString &value)
{
    field = value;
    return QString();
}

QString setPath(QString &field, const QString &value)
{
    if (value.trimmed().isEmpty())
        return QStringLiteral("must be a path, not empty");
    if (value.contains(QChar(u'\0')))
        return QStringLiteral("must be a path without NUL bytes");
    field = value.trimmed();
    return QString();
}

// A path that may be empty (the feature is off then).
QString setOptionalPath(QString &field, const QString &value)
{
    if (value.contains(QChar(u'\0')))
        return QStringLiteral("must be a path without NUL bytes");
    field = value.trimmed();
    return QString();
}

// Validated by the store's own parser, so that what starts here is what the store can open.
QString setDatabaseUri(Settings &s, const QString &value)
{
    const QString v = value.trimmed();
    const auto parsed = DatabaseUri::parse(v, QStringLiteral("DATABASE_URI"));
    if (!parsed) {
        QString what = parsed.error().message;
        if (what.startsWith(QLatin1String("DATABASE_URI: ")))
            what = what.mid(int(qstrlen("DATABASE_URI: ")));
        return QStringLiteral("is not valid (") + what + u')';
    }
    s.databaseUri = v;
    return QString();
}

QString setListen(Settings &s, const QString &value)
{
    static const QString allowed =
        QStringLiteral("must be HOST:PORT with an IP address (or localhost) and a port 0..65535, e.g. "
                       "127.0.0.1:9100 or [::1]:9100");
    const QString v = value.trimmed();
    const int colon = v.lastIndexOf(u':');
    if (colon <= 0)
        return allowed;
    QString host = v.left(colon);
    bool ok = false;
    const uint port = v.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return allowed;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return allowed; // an IPv6 address needs brackets
    if (host == u"localhost")
        host = QStringLiteral("127.0.0.1");
    if (host == u"*")
        host = QStringLiteral("0.0.0.0");
    if (QHostAddress(host).isNull())
        return allowed;
    s.listen = v;
    s.listenHost = host;
    s.listenPort = quint16(port);
    return QString();
}

QString setMailAdmin(Settings &s, const QString &value)
{
    QStringList list;
    for (const QString &part : value.split(u',')) {
        const QString a = part.trimmed();
        if (a.isEmpty())
            continue;
        if (a.count(u'@') != 1 || a.startsWith(u'@') || a.endsWith(u'@'))
            return QStringLiteral("must be a comma-separated list of email addresses (user@host)");
        list.append(a);
    }
    s.mailAdmin = list;
    return QString();
}

constexpr qint64 TenYears = 10LL * 366 * 24 * 3600;

// The one definition of every key. Order matters only for aliases: the original's
// SQLALCHEMY_DATABASE_URI comes before DATABASE_URI so that the new name wins in the same source.
const KeyDef keyTable[] = {
    {"BARICADR_REPOS_CONF", false, [](Settings &s, const QString &v) { return setPath(s.reposConf, v); }},
    {"TASK_LOG_DIR", false, [](Settings &s, const QString &v) { return setPath(s.taskLogDir, v); }},
    {"BARICADR_DATA_DIR", false, [](Settings &s, const QString &v) { return setPath(s.dataDir, v); }},
    {"SQLALCHEMY_DATABASE_URI", true, setDatabaseUri},
    {"DATABASE_URI", true, setDatabaseUri},
    {"WORKERS", false, [](Settings &s, const QString &v) { return setInt(s.workers, v, 1, 64, ""); }},
    {"CLEANUP_INTERVAL", false,
     [](Settings &s, const QString &v) {
         return setInt(s.cleanupInterval, v, 0, TenYears, " seconds (0 = never)");
     }},
    {"CLEANUP_AGE", false,
     [](Settings &s, const QString &v) { return setInt(s.cleanupAge, v, 60, TenYears * 10, " seconds"); }},
    {"CLEANUP_ZOMBIES_INTERVAL", false,
     [](Settings &s, const QString &v) {
         return setInt(s.cleanupZombiesInterval, v, 0, TenYears, " seconds (0 = only at start)");
     }},
    {"WATERMARK_CHECK_INTERVAL", false,
     [](Settings &s, const QString &v) {
         return setInt(s.watermarkCheckInterval, v, 10, 7 * 24 * 3600, " seconds");
     }},
    {"MAIL_SERVER", false,
     [](Settings &s, const QString &v) { return setString(s.mailServer, v.trimmed()); }},
    {"MAIL_PORT", false, [](Settings &s, const QString &v) { return setInt(s.mailPort, v, 1, 65535, ""); }},
    {"MAIL_USE_SSL", false, [](Settings &s, const QString &v) { return setBool(s.mailUseSsl, v); }},
    {"MAIL_USE_TLS", false, [](Settings &s, const QString &v) { return setBool(s.mailUseTls, v); }},
    {"MAIL_CA_FILE", false, [](Settings &s, const QString &v) { return setOptionalPath(s.mailCaFile, v); }},
    {"MAIL_SENDER", false,
     [](Settings &s, const QString &v) { return setString(s.mailSender, v.trimmed()); }},
    {"MAIL_ADMIN", false, setMailAdmin},
    {"MAIL_USERNAME", false,
     [](Settings &s, const QString &v) { return setString(s.mailUsername, v.trimmed()); }},
    {"MAIL_PASSWORD", true, [](Settings &s, const QString &v) { return setString(s.mailPassword, v); }},
    {"RCLONE_PATH", false, [](Settings &s, const QString &v) { return setPath(s.rclonePath, v); }},
    {"RCLONE_TIMEOUT", false,
     [](Settings &s, const QString &v) {
         return setInt(s.rcloneTimeout, v, 0, 30 * 24 * 3600, " seconds (0 = none)");
     }},
    {"RCLONE_CONTIMEOUT", false,
     [](Settings &s, const QString &v) { return setInt(s.rcloneConTimeout, v, 1, 3600, " seconds"); }},
    {"RCLONE_IO_TIMEOUT", false,
     [](Settings &s, const QString &v) { return setInt(s.rcloneIoTimeout, v, 1, 24 * 3600, " seconds"); }},
    {"RCLONE_NICE", false,
     [](Settings &s, const QString &v) {
         return setInt(s.rcloneNice, v, 0, 19, " (0 = same priority as the service)");
     }},
    {"BARICADR_LISTEN", false, setListen},
    {"AUTH_HTPASSWD_FILE", false,
     [](Settings &s, const QString &v) { return setOptionalPath(s.authHtpasswdFile, v); }},
    {"AUTH_TOKENS_FILE", false,
     [](Settings &s, const QString &v) { return setOptionalPath(s.authTokensFile, v); }},
    {"TLS_CERT_FILE", false, [](Settings &s, const QString &v) { return setOptionalPath(s.tlsCertFile, v); }},
    {"TLS_KEY_FILE", false, [](Settings &s, const QString &v) { return setOptionalPath(s.tlsKeyFile, v); }},
    {"MAX_BODY_BYTES", false,
     [](Settings &s, const QString &v) {
         return setInt(s.maxBodyBytes, v, 1024, 1024LL * 1024 * 1024, " bytes");
     }},
    {"SECRET_KEY", true, [](Settings &s, const QString &v) { return setString(s.secretKey, v); }},
};

const KeyDef *findKey(const QString &name)
{
    for (const KeyDef &k : keyTable) {
        if (name == QLatin1String(k.name))
            return &k;
    }
    return nullptr;
}

// Keys of the original's local.cfg (Flask/Celery) that mean nothing here: accepted with a warning
// so that an upgrader's file still loads.
const char *const legacyKeys[] = {
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "SQLALCHEMY_TRACK_MODIFICATIONS",
    "DEBUG",
    "TESTING",
    "LOG_FOLDER",
    "PERMANENT_SESSION_LIFETIME",
    "BARICADR_TEST_MODE",
};

bool isLegacyKey(const QString &name)
{
    for (const char *k : legacyKeys) {
        if (name == QLatin1String(k))
            return true;
    }
    return false;
}

QString quoteValue(const KeyDef &def, const QString &value)
{
    if (def.secret) {
        if (QLatin1String(def.name).endsWith(QLatin1String("DATABASE_URI")))
            return u'"' + Settings::redactUri(value) + u'"';
        return QStringLiteral("a value that is not shown (secret)");
    }
    return u'"' + value + u'"';
}

struct IniEntry
{
    QString value;
    int line = 0;
};

// Reads KEY = value lines; '#' and ';' start comment lines; [section] headers are ignored;
// a value in matching single or double quotes is unquoted (the original's local.cfg style).
Status readIni(const QString &path, QHash<QString, IniEntry> *entries, QStringList *errors)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Config,
                     QStringLiteral("cannot read config file %1: %2").arg(path, file.errorString()));
    int lineNo = 0;
    while (!file.atEnd()) {
        const QByteArray raw = file.readLine();
        ++lineNo;
        // A NUL or another control character has no place in a settings file (a value read up
        // to it would silently differ from what the admin sees).
        const auto bad = std::find_if(raw.cbegin(), raw.cend(), [](char c) {
            return (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
        });
        if (bad != raw.cend()) {
            errors->append(path + u':' + QString::number(lineNo) +
                           QStringLiteral(": a control character (byte 0x%1) in the line")
                               .arg(int(static_cast<unsigned char>(*bad)), 2, 16, QLatin1Char('0')));
            continue;
        }
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(u'#') || line.startsWith(u';'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']'))
            continue;
        const int eq = line.indexOf(u'=');
        const QString where = path + u':' + QString::number(lineNo) + u": ";
        if (eq <= 0) {
            errors->append(where + QStringLiteral("expected KEY = value"));
            continue;
        }
        const QString key = line.left(eq).trimmed();
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.startsWith(u'"') || value.startsWith(u'\'')) &&
            value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        if (!findKey(key)) {
            if (isLegacyKey(key)) {
                qCWarning(lcConfig).noquote() << where + key +
                                                     QStringLiteral(" is a setting of the original "
                                                                    "Baricadr and is ignored");
                continue;
            }
            errors->append(where + QStringLiteral("unknown key \"%1\" (known keys: %2)")
                                       .arg(key, Settings::knownKeys().join(QStringLiteral(", "))));
            continue;
        }
        if (entries->contains(key)) {
            errors->append(
                where +
                QStringLiteral("%1 is already set at line %2").arg(key).arg(entries->value(key).line));
            continue;
        }
        entries->insert(key, IniEntry{value, lineNo});
    }
    return {};
}

} // namespace

QStringList Settings::knownKeys()
{
    QStringList keys;
    for (const KeyDef &k : keyTable)
        keys.append(QLatin1String(k.name));
    return keys;
}

QStringList Settings::secretKeys()
{
    QStringList keys;
    for (const KeyDef &k : keyTable) {
        if (k.secret)
            keys.append(QLatin1String(k.name));
    }
    return keys;
}

QStringList Settings::ignoredLegacyKeys()
{
    QStringList keys;
    for (const char *k : legacyKeys)
        keys.append(QLatin1String(k));
    return keys;
}

Result<Settings> Settings::load(const QString &iniPathIn, bool iniPathExplicit,
                                const QProcessEnvironment &env)
{
    Settings s;
    QStringList errors;
    bool databaseUriSet = false;

    const QString iniPath = iniPathIn.isEmpty() ? QString::fromLatin1(DefaultConfigFile) : iniPathIn;
    QHash<QString, IniEntry> ini;
    if (QFileInfo::exists(iniPath)) {
        const Status read = readIni(iniPath, &ini, &errors);
        if (!read)
            return read.error();
        s.configFile = iniPath;
    } else if (iniPathExplicit) {
        return Error(ErrorCode::Config, QStringLiteral("config file %1 does not exist").arg(iniPath));
    }

    auto apply = [&](const KeyDef &def, const QString &value, const QString &source) {
        const QString allowed = def.set(s, value);
        if (!allowed.isEmpty()) {
            errors.append(QStringLiteral("%1: %2 %3, got %4")
                              .arg(source, QLatin1String(def.name), allowed, quoteValue(def, value)));
            return;
        }
        if (QLatin1String(def.name).endsWith(QLatin1String("DATABASE_URI")))
            databaseUriSet = true;
    };

    for (const KeyDef &def : keyTable) {
        const auto it = ini.constFind(QLatin1String(def.name));
        if (it != ini.constEnd())
            apply(def, it->value, iniPath + u':' + QString::number(it->line));
    }
    for (const KeyDef &def : keyTable) {
        const QString name = QLatin1String(def.name);
        if (env.contains(name))
            apply(def, env.value(name), QStringLiteral("environment"));
    }

    if (!databaseUriSet)
        s.databaseUri = QStringLiteral("sqlite://") + s.dataDir + QStringLiteral("/baricadr.sqlite");
    if (!s.dataDir.startsWith(u'/') && !databaseUriSet)
        errors.append(
            QStringLiteral("BARICADR_DATA_DIR must be an absolute path, got \"%1\"").arg(s.dataDir));

    if (s.mailUseSsl && s.mailUseTls)
        errors.append(QStringLiteral("MAIL_USE_SSL (SMTPS) and MAIL_USE_TLS (STARTTLS) cannot both be true: "
                                     "choose one"));
    if (s.tlsCertFile.isEmpty() != s.tlsKeyFile.isEmpty())
        errors.append(QStringLiteral("TLS_CERT_FILE and TLS_KEY_FILE must be set together (TLS needs both)"));
    if (s.mailEnabled() && s.mailSender.isEmpty())
        errors.append(QStringLiteral("MAIL_SENDER must be set when MAIL_SERVER is set"));
    if (!s.mailPassword.isEmpty() && s.mailUsername.isEmpty())
        errors.append(QStringLiteral("MAIL_PASSWORD is set but MAIL_USERNAME is not"));

    if (!errors.isEmpty())
        return Error(ErrorCode::Config, errors.join(u'\n'));
    return s;
}

QString Settings::redactUri(const QString &uri)
{
    // scheme://user:password@host... → scheme://user:***@host...
    const int schemeEnd = uri.indexOf(QLatin1String("://"));
    if (schemeEnd < 0)
        return uri;
    const int authStart = schemeEnd + 3;
    int authEnd = uri.indexOf(u'/', authStart);
    if (authEnd < 0)
        authEnd = uri.size();
    const int at = uri.lastIndexOf(u'@', authEnd - 1);
    if (at < authStart)
        return uri;
    const int colon = uri.indexOf(u':', authStart);
    if (colon < 0 || colon > at)
        return uri;
    return uri.left(colon + 1) + QStringLiteral("***") + uri.mid(at);
}

QString Settings::redactedDatabaseUri() const
{
    return redactUri(databaseUri);
}

QString Settings::sqlitePath() const
{
    const auto uri = DatabaseUri::parse(databaseUri);
    return uri && uri->isSqlite() ? uri->sqlitePath : QString();
}

QString Settings::describe() const
{
    QStringList auth;
    if (!authHtpasswdFile.isEmpty())
        auth << QStringLiteral("basic");
    if (!authTokensFile.isEmpty())
        auth << QStringLiteral("tokens");
    const QString mail = mailEnabled() ? mailServer + u':' + QString::number(mailPort) +
                                             (mailUseSsl   ? QStringLiteral("/ssl")
                                              : mailUseTls ? QStringLiteral("/starttls")
                                                           : QString())
                                       : QStringLiteral("off");
    return QStringLiteral("config=%1 repos=%2 db=%3 logs=%4 workers=%5 listen=%6 auth=%7 tls=%8 mail=%9")
        .arg(configFile.isEmpty() ? QStringLiteral("(defaults)") : configFile, reposConf,
             redactedDatabaseUri(), taskLogDir, QString::number(workers), listen,
             auth.isEmpty() ? QStringLiteral("off") : auth.join(u','),
             tlsEnabled() ? QStringLiteral("on") : QStringLiteral("off"), mail);
}

} // namespace baricadr
