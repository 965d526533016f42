#include "store/databaseuri.h"

#include <QDir>
#include <QRegularExpression>
#include <QUrl>

namespace baricadr {

namespace {

QString decode(QStringView s)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(s.toUtf8()));
}

QString encode(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

Error uriError(const QString &key, const QString &what)
{
    return Error(ErrorCode::Config, key + QStringLiteral(": ") + what);
}

const QString kExpected = QStringLiteral(
    "expected sqlite:///abs/path/baricadr.sqlite or postgresql://user:password@host:port/database");

Result<int> parsePort(const QString &key, const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return uriError(key, QStringLiteral("the port \"%1\" is not a number between 1 and 65535").arg(text));
    return port;
}

Result<DatabaseUri> parseSqlite(const QString &key, const QString &rest)
{
    if (rest.contains(QLatin1Char('?')))
        return uriError(key,
                        QStringLiteral("query parameters are not supported for SQLite (%1)").arg(kExpected));
    if (rest.isEmpty() || rest == u"/")
        return uriError(key, QStringLiteral("the SQLite URI has no file path (%1)").arg(kExpected));
    QString path = decode(rest);
    if (!path.startsWith(QLatin1Char('/')))
        return uriError(key,
                        QStringLiteral("the SQLite path \"%1\" is relative; give an absolute path with three "
                                       "slashes: sqlite:///abs/path/baricadr.sqlite")
                            .arg(path));
    if (path.endsWith(QLatin1Char('/')))
        return uriError(
            key, QStringLiteral("the SQLite path \"%1\" names a directory, not a database file").arg(path));
    // SQLAlchemy spells absolute paths with four slashes (sqlite:////var/lib/x.sqlite).
    return DatabaseUri::sqlite(QDir::cleanPath(path));
}

Result<DatabaseUri> parsePostgres(const QString &key, const QString &rest)
{
    DatabaseUri uri;
    uri.backend = DatabaseUri::Backend::Postgres;

    QStringView main(rest);
    QStringView query;
    if (const qsizetype q = rest.indexOf(QLatin1Char('?')); q >= 0) {
        main = QStringView(rest).left(q);
        query = QStringView(rest).mid(q + 1);
    }
    QStringView authority = main;
    QStringView dbPart;
    if (const qsizetype slash = main.indexOf(QLatin1Char('/')); slash >= 0) {
        authority = main.left(slash);
        dbPart = main.mid(slash + 1);
    }

    QStringView hostPort = authority;
    if (const qsizetype at = authority.lastIndexOf(QLatin1Char('@')); at >= 0) {
        const QStringView userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        if (const qsizetype colon = userInfo.indexOf(QLatin1Char(':')); colon >= 0) {
            uri.user = decode(userInfo.left(colon));
            uri.password = decode(userInfo.mid(colon + 1));
        } else {
            uri.user = decode(userInfo);
        }
    }

    QStringView hostText = hostPort;
    QStringView portText;
    if (hostPort.startsWith(QLatin1Char('['))) { // [IPv6]:port
        const qsizetype close = hostPort.indexOf(QLatin1Char(']'));
        if (close < 0)
            return uriError(key, QStringLiteral("the host has an unclosed '[' (IPv6 address)"));
        hostText = hostPort.mid(1, close - 1);
        const QStringView after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':')))
                return uriError(key, QStringLiteral("unexpected text after the IPv6 address"));
            portText = after.mid(1);
        }
    } else if (const qsizetype colon = hostPort.lastIndexOf(QLatin1Char(':')); colon >= 0) {
        hostText = hostPort.left(colon);
        portText = hostPort.mid(colon + 1);
    }
    uri.host = decode(hostText);
    if (!portText.isEmpty() || (hostPort.endsWith(QLatin1Char(':')))) {
        auto port = parsePort(key, decode(portText));
        if (!port)
            return port.error();
        uri.port = *port;
    }

    uri.database = decode(dbPart);

    static const QRegularExpression optionKey(QStringLiteral("^[a-z_]+$"));
    if (!query.isEmpty()) {
        for (const QStringView item : query.split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
            const qsizetype eq = item.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return uriError(key, QStringLiteral("a query item is not of the form name=value"));
            const QString name = decode(item.left(eq));
            const QString value = decode(item.mid(eq + 1));
            if (name == u"host") {
                uri.host = value;
            } else if (name == u"port") {
                auto port = parsePort(key, value);
                if (!port)
                    return port.error();
                uri.port = *port;
            } else if (name == u"user") {
                uri.user = value;
            } else if (name == u"password") {
                uri.password = value;
            } else if (name == u"dbname") {
                uri.database = value;
            } else {
                if (!optionKey.match(name).hasMatch())
                    return uriError(
                        key, QStringLiteral("the option name \"%1\" is not a libpq option name").arg(name));
                if (value.contains(QLatin1Char(';')))
                    return uriError(
                        key, QStringLiteral("the value of option \"%1\" must not contain ';'").arg(name));
                uri.options.append({name, value});
            }
        }
    }

    if (uri.database.isEmpty())
        return uriError(key, QStringLiteral("no database name after the host (%1)").arg(kExpected));
    if (uri.database.contains(QLatin1Char('/')))
        return uriError(
            key, QStringLiteral("the database name \"%1\" contains '/'; a socket directory as host must be "
                                "percent-encoded (%2Fvar%2Frun%2Fpostgresql) or given as ?host=/dir")
                     .arg(uri.database));
    if (uri.host.contains(QLatin1Char('/')) && !uri.host.startsWith(QLatin1Char('/')))
        return uriError(
            key, QStringLiteral("the host \"%1\" looks like a relative path; a socket directory must be "
                                "absolute")
                     .arg(uri.host));
    if (uri.isUnixSocket())
        uri.host = QDir::cleanPath(uri.host);
    return uri;
}

} // namespace

DatabaseUri DatabaseUri::sqlite(const QString &absolutePath)
{
    DatabaseUri uri;
    uri.backend = Backend::Sqlite;
    uri.sqlitePath = absolutePath;
    return uri;
}

Result<DatabaseUri> DatabaseUri::parse(const QString &text, const QString &key)
{
    const QString s = text.trimmed();
    if (s.isEmpty())
        return uriError(key, QStringLiteral("is empty; ") + kExpected);
    const qsizetype sep = s.indexOf(QStringLiteral("://"));
    if (sep <= 0)
        return uriError(key, QStringLiteral("has no scheme; ") + kExpected);
    const QString scheme = s.left(sep).toLower();
    const QString rest = s.mid(sep + 3);
    if (scheme == u"sqlite" || scheme == u"sqlite+pysqlite")
        return parseSqlite(key, rest);
    if (scheme == u"postgresql" || scheme == u"postgres" || scheme.startsWith(QStringLiteral("postgresql+")))
        return parsePostgres(key, rest);
    return uriError(key, QStringLiteral("unsupported database type \"%1\"; ").arg(scheme) + kExpected);
}

QString DatabaseUri::redacted() const
{
    if (isSqlite())
        return QStringLiteral("sqlite://") + sqlitePath;
    QString out = QStringLiteral("postgresql://");
    if (!user.isEmpty() || !password.isEmpty()) {
        out += encode(user);
        if (!password.isEmpty())
            out += QStringLiteral(":***");
        out += QLatin1Char('@');
    }
    if (host.contains(QLatin1Char(':')) && !isUnixSocket())
        out += QLatin1Char('[') + host + QLatin1Char(']');
    else
        out += encode(host);
    if (port > 0)
        out += QLatin1Char(':') + QString::number(port);
    out += QLatin1Char('/') + encode(database);
    for (qsizetype i = 0; i < options.size(); ++i)
        out += (i == 0 ? QLatin1Char('?') : QLatin1Char('&')) + options[i].first + QLatin1Char('=') +
               encode(options[i].second);
    return out;
}

} // namespace baricadr
