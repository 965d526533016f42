#include "parsers.h"

#include "util/jsonnumbers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include <cmath>

namespace baricadr::rclone {

LinkName splitLinkName(const QString &path)
{
    if (path.size() > kLinkSuffix.size() && path.endsWith(kLinkSuffix) && !path.endsWith(u"/.rclonelink"))
        return {path.chopped(kLinkSuffix.size()), true};
    return {path, false};
}

namespace {

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

bool digits(QStringView s, qsizetype pos, int count, int *out)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = s[pos + i];
        if (c < u'0' || c > u'9')
            return false;
        v = v * 10 + (c.unicode() - u'0');
    }
    *out = v;
    return true;
}

} // namespace

std::optional<qint64> parseRfc3339Ns(QStringView s)
{
    int year, month, day, hour, minute, second;
    if (s.size() < 20 || !digits(s, 0, 4, &year) || s[4] != u'-' || !digits(s, 5, 2, &month) ||
        s[7] != u'-' || !digits(s, 8, 2, &day) || (s[10] != u'T' && s[10] != u't' && s[10] != u' ') ||
        !digits(s, 11, 2, &hour) || s[13] != u':' || !digits(s, 14, 2, &minute) || s[16] != u':' ||
        !digits(s, 17, 2, &second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    qsizetype pos = 19;
    qint64 nanos = 0;
    if (pos < s.size() && s[pos] == u'.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= u'0' && s[pos] <= u'9') {
            if (n < 9) {
                nanos = nanos * 10 + (s[pos].unicode() - u'0');
                ++n;
            }
            ++pos;
        }
        if (n == 0)
            return std::nullopt;
        for (; n < 9; ++n)
            nanos *= 10;
    }
    if (pos >= s.size())
        return std::nullopt;
    qint64 offsetSeconds = 0;
    if (s[pos] == u'Z' || s[pos] == u'z') {
        ++pos;
    } else if (s[pos] == u'+' || s[pos] == u'-') {
        int oh, om;
        if (!digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != u':' ||
            !digits(s, pos + 4, 2, &om))
            return std::nullopt;
        offsetSeconds = (oh * 3600 + om * 60) * (s[pos] == u'-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size())
        return std::nullopt;
    const qint64 secs =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
        minute * 60 + second - offsetSeconds;
    // ns since the epoch fit in 64 bits only for years ~1678..2262: refuse the rest.
    qint64 ns = 0;
    if (__builtin_mul_overflow(secs, qint64(1000000000), &ns) ||
        __builtin_add_overflow(ns, qint64(nanos), &ns))
        return std::nullopt;
    return ns;
}

LsjsonLine parseLsjsonLine(QByteArrayView raw, bool keepObject)
{
    LsjsonLine out;
    QByteArrayView line = raw.trimmed();
    if (line.isEmpty() || line == "[" || line == "]" || line == "[]") {
        out.kind = LsjsonLine::Kind::Structural;
        return out;
    }
    if (line.endsWith(','))
        line.chop(1);
    if (!line.startsWith('{')) {
        out.error = QStringLiteral("not a JSON object");
        return out;
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        out.error = QStringLiteral("invalid JSON: ") + err.errorString();
        return out;
    }
    const QJsonObject o = doc.object();
    const QJsonValue path = o.value(QLatin1StringView("Path"));
    if (!path.isString() || path.toString().isEmpty()) {
        out.error = QStringLiteral("object without a Path");
        return out;
    }
    RemoteEntry &e = out.entry;
    e.isDir = o.value(QLatin1StringView("IsDir")).toBool(false);
    const LinkName link = e.isDir ? LinkName{path.toString(), false} : splitLinkName(path.toString());
    e.relPath = link.path;
    e.isSymlink = link.isSymlink;
    const QJsonValue size = o.value(QLatin1StringView("Size"));
    e.size = json::toInt64(size, -1);
    if (const auto mtime = parseRfc3339Ns(o.value(QLatin1StringView("ModTime")).toString()))
        e.mtimeNs = *mtime;
    const QJsonObject hashes = o.value(QLatin1StringView("Hashes")).toObject();
    for (const QLatin1StringView type : {QLatin1StringView("md5"), QLatin1StringView("sha1")}) {
        const QString h = hashes.value(type).toString();
        if (!h.isEmpty()) {
            e.hash = h;
            e.hashType = type;
            break;
        }
    }
    if (e.hash.isEmpty() && !hashes.isEmpty()) {
        for (auto it = hashes.begin(); it != hashes.end(); ++it) {
            if (!it.value().toString().isEmpty()) {
                e.hash = it.value().toString();
                e.hashType = it.key();
                break;
            }
        }
    }
    if (keepObject)
        out.object = o;
    out.kind = LsjsonLine::Kind::Entry;
    return out;
}

namespace {

// "2026/11/26 10:04:07 ERROR : x: msg" -> "x: msg"
QString stripPlainPrefix(const QString &line)
{
    static const QRegularExpression prefix(
        QStringLiteral("^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)? "
                       "*(?:(?:ERROR|NOTICE|INFO|DEBUG|CRITICAL|EMERGENCY|ALERT|WARNING) *: *)?"));
    QString out = line;
    out.remove(prefix);
    return out.trimmed();
}

qint64 jsonInt(const QJsonObject &o, QLatin1StringView key)
{
    return json::toInt64(o.value(key), 0);
}

} // namespace

LogLine parseLogLine(QByteArrayView raw)
{
    LogLine out;
    const QByteArrayView line = raw.trimmed();
    if (line.startsWith('{')) {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &err);
        if (err.error == QJsonParseError::NoError && doc.isObject()) {
            const QJsonObject o = doc.object();
            out.level = o.value(QLatin1StringView("level")).toString();
            out.message = o.value(QLatin1StringView("msg")).toString().trimmed();
            out.object = o.value(QLatin1StringView("object")).toString();
            const QJsonValue statsValue = o.value(QLatin1StringView("stats"));
            if (statsValue.isObject()) {
                const QJsonObject st = statsValue.toObject();
                TaskProgress p;
                p.bytes = jsonInt(st, QLatin1StringView("bytes"));
                p.totalBytes = jsonInt(st, QLatin1StringView("totalBytes"));
                p.files = jsonInt(st, QLatin1StringView("transfers"));
                p.totalFiles = jsonInt(st, QLatin1StringView("totalTransfers"));
                const double speed = st.value(QLatin1StringView("speed")).toDouble(0);
                p.speed = std::isfinite(speed) && speed > 0 ? speed : 0;
                const QJsonValue eta = st.value(QLatin1StringView("eta"));
                if (const qint64 secs = json::toInt64(eta, -1); secs >= 0)
                    p.etaSeconds = secs;
                out.progress = p;
                out.errors = jsonInt(st, QLatin1StringView("errors"));
                out.kind = LogLine::Kind::Stats;
                return out;
            }
            const bool isError = out.level == u"error" || out.level == u"critical" || out.level == u"fatal";
            if (!out.object.isEmpty() && out.message.contains(u"Copied (") && !isError)
                out.kind = LogLine::Kind::FileCopied;
            else if (!out.object.isEmpty() && isError)
                out.kind = LogLine::Kind::FileError;
            else
                out.kind = LogLine::Kind::Message;
            return out;
        }
    }
    out.kind = LogLine::Kind::PlainText;
    out.message = stripPlainPrefix(QString::fromUtf8(line));
    return out;
}

QString meaningfulStderrLine(const QStringList &stderrLines)
{
    QString firstFatal, firstError, firstPlain, lastMessage;
    for (const QString &raw : stderrLines) {
        const LogLine l = parseLogLine(raw.toUtf8());
        if (l.kind == LogLine::Kind::Stats || l.message.isEmpty())
            continue;
        const QString text = l.object.isEmpty() ? l.message : l.object + QStringLiteral(": ") + l.message;
        if (l.kind == LogLine::Kind::PlainText) {
            if (firstFatal.isEmpty() && (l.message.startsWith(u"Failed to create file system") ||
                                         l.message.startsWith(u"Fatal error")))
                firstFatal = text;
            if (firstPlain.isEmpty())
                firstPlain = text;
        } else if (l.level == u"error" || l.level == u"critical" || l.level == u"fatal") {
            if (firstError.isEmpty())
                firstError = text;
        } else {
            lastMessage = text;
        }
    }
    for (const QString &s : {firstFatal, firstError, firstPlain, lastMessage})
        if (!s.isEmpty())
            return s.left(1000);
    return QString();
}

Error classifyFailure(int exitCode, const QStringList &stderrLines, const QString &what)
{
    const QString detail = meaningfulStderrLine(stderrLines);
    const QString lower = stderrLines.join(u'\n').toLower();
    const auto any = [&lower](std::initializer_list<const char16_t *> needles) {
        for (const char16_t *n : needles)
            if (lower.contains(QStringView(n)))
                return true;
        return false;
    };
    const QString suffix = detail.isEmpty() ? QStringLiteral(" (rclone exit code %1)").arg(exitCode)
                                            : QStringLiteral(": ") + detail;

    if (any({u"unable to authenticate", u"permission denied (publickey", u"invalidaccesskeyid",
             u"signaturedoesnotmatch", u"access denied", u"accessdenied", u"nocredentialproviders",
             u"auth fail"}))
        return Error(
            ErrorCode::RemoteUnreachable,
            what +
                QStringLiteral(" failed: the remote refused the credentials (check user, password or key)") +
                suffix);
    if (any({u"connection refused", u"no route to host", u"network is unreachable", u"i/o timeout",
             u"no such host", u"couldn't connect", u"dial tcp", u"handshake failed", u"connection reset",
             u"broken pipe", u"context deadline exceeded", u"connection lost", u"lost connection",
             u"send request failed", u"use of closed network connection", u"unexpected eof",
             u"timeout awaiting", u"connection timed out"}))
        return Error(ErrorCode::RemoteUnreachable,
                     what + QStringLiteral(" failed: the remote cannot be reached") + suffix);
    if (any({u"no space left on device", u"disk quota exceeded", u"file too big for remaining disk space"}))
        return Error(ErrorCode::Io, what + QStringLiteral(" failed: the local disk is full") + suffix);
    if (exitCode == 3 || exitCode == 4 ||
        any({u"directory not found", u"object not found", u"file not found"}))
        return Error(ErrorCode::NotFound, what + QStringLiteral(" failed: not found on the remote") + suffix);
    if (any({u"permission denied", u"read-only file system"}))
        return Error(ErrorCode::Io, what + QStringLiteral(" failed: permission denied") + suffix);
    return Error(ErrorCode::RcloneFailed, what +
                                              QStringLiteral(" failed (rclone exit code %1)").arg(exitCode) +
                                              (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
}

} // namespace baricadr::rclone
