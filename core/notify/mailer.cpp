#include "notify/mailer.h"

#include "notify/emailaddress.h"
#include "version.h"

#include <QFile>
#include <QLocale>
#include <QLoggingCategory>
#include <QPromise>
#include <QUuid>

#include <curl/curl.h>

#include <memory>
#include <mutex>

Q_LOGGING_CATEGORY(lcMail, "baricadr.mail")

namespace baricadr {

namespace {

constexpr int kMaxLine = 76; // quoted-printable and folding width

QString stripLineBreaks(QString s)
{
    s.replace(QLatin1Char('\r'), QLatin1Char(' '));
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return s;
}

bool isPlainAscii(const QByteArray &bytes)
{
    for (char c : bytes)
        if (static_cast<unsigned char>(c) >= 0x80 || (c < 0x20 && c != '\t'))
            return false;
    return true;
}

// RFC 2047 B encoded-words of at most 75 characters, never splitting a UTF-8 sequence,
// folded onto continuation lines.
QByteArray encodedWords(const QString &text)
{
    QList<QByteArray> words;
    QByteArray chunk;
    const QList<uint> ucs = text.toUcs4();
    for (uint c : ucs) {
        const char32_t cp = c;
        const QByteArray bytes = QString::fromUcs4(&cp, 1).toUtf8();
        if (chunk.size() + bytes.size() > 45) { // 45 bytes -> 60 base64 chars + 12 = 72
            words.append(chunk);
            chunk.clear();
        }
        chunk += bytes;
    }
    if (!chunk.isEmpty() || words.isEmpty())
        words.append(chunk);
    QByteArray out;
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (i > 0)
            out += "\r\n ";
        out += "=?UTF-8?B?" + words[i].toBase64() + "?=";
    }
    return out;
}

QByteArray headerText(const QString &text, int nameLength)
{
    const QString clean = stripLineBreaks(text);
    QByteArray utf8 = clean.toUtf8();
    if (isPlainAscii(utf8) && utf8.size() + nameLength + 2 <= 998)
        return utf8;
    return encodedWords(clean);
}

QByteArray quotedPrintable(const QByteArray &text) // text has LF line ends
{
    QByteArray out;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArray &line = lines[n];
        int width = 0;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const unsigned char c = static_cast<unsigned char>(line[i]);
            const bool last = i == line.size() - 1;
            QByteArray piece;
            if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))
                piece = QByteArray(1, char(c));
            else
                piece = "=" + QByteArray::number(c, 16).toUpper().rightJustified(2, '0');
            if (width + piece.size() > kMaxLine - 1) {
                out += "=\r\n";
                width = 0;
            }
            out += piece;
            width += int(piece.size());
        }
        if (n + 1 < lines.size())
            out += "\r\n";
    }
    return out;
}

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    const QString domain = at >= 0 ? address.mid(at + 1).trimmed() : QString();
    return domain.isEmpty() ? QStringLiteral("baricadr.localhost") : domain;
}

// The address inside "Name <addr>" or the whole string.
QString bareAddress(const QString &address)
{
    const qsizetype open = address.lastIndexOf(QLatin1Char('<'));
    const qsizetype close = address.lastIndexOf(QLatin1Char('>'));
    if (open >= 0 && close > open)
        return address.mid(open + 1, close - open - 1).trimmed();
    return address.trimmed();
}

struct UploadState
{
    QByteArray data;
    qsizetype offset = 0;
};

size_t readCallback(char *buffer, size_t size, size_t count, void *userdata)
{
    auto *state = static_cast<UploadState *>(userdata);
    const qsizetype room = qsizetype(size) * qsizetype(count);
    const qsizetype n = std::min(room, state->data.size() - state->offset);
    if (n <= 0)
        return 0;
    memcpy(buffer, state->data.constData() + state->offset, size_t(n));
    state->offset += n;
    return size_t(n);
}

ErrorCode codeFor(CURLcode code)
{
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
        return ErrorCode::Timeout;
    case CURLE_LOGIN_DENIED:
        return ErrorCode::Unauthorized;
    case CURLE_URL_MALFORMAT:
        return ErrorCode::Config;
    default:
        return ErrorCode::RemoteUnreachable;
    }
}

} // namespace

QString MailSettings::serverUrl() const
{
    const QString host =
        server.contains(QLatin1Char(':')) ? QLatin1Char('[') + server + QLatin1Char(']') : server;
    return (useSsl ? QStringLiteral("smtps://") : QStringLiteral("smtp://")) + host + QLatin1Char(':') +
           QString::number(port);
}

Mailer::Mailer(const MailSettings &settings)
    : m_settings(settings)
{
    m_pool.setMaxThreadCount(2);
}

Mailer::~Mailer()
{
    m_pool.waitForDone();
}

QByteArray Mailer::compose(const MailSettings &settings, const MailMessage &message, const QDateTime &date)
{
    QByteArray body = message.body.toUtf8();
    body.replace("\r\n", "\n");
    body.replace('\r', '\n');
    bool needsQp = !isPlainAscii(QByteArray(body).replace('\n', ' '));
    for (const QByteArray &line : body.split('\n'))
        needsQp = needsQp || line.size() > 998 || line.startsWith("From ");
    QByteArray encodedBody = needsQp ? quotedPrintable(body) : QByteArray(body).replace("\n", "\r\n");
    if (!encodedBody.endsWith("\r\n"))
        encodedBody += "\r\n";

    QStringList to;
    for (const QString &r : message.to)
        to.append(stripLineBreaks(r).trimmed());

    QByteArray out;
    out += "Date: " +
           QLocale::c().toString(date.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")).toLatin1() +
           " +0000\r\n";
    out += "From: " + stripLineBreaks(settings.sender).toUtf8() + "\r\n";
    out += "To: " + to.join(QStringLiteral(",\r\n ")).toUtf8() + "\r\n";
    out += "Subject: " + headerText(message.subject, 7) + "\r\n";
    out += "Message-ID: <" + QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1() + "@" +
           domainOf(bareAddress(settings.sender)).toUtf8() + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out +=
        needsQp ? "Content-Transfer-Encoding: quoted-printable\r\n" : "Content-Transfer-Encoding: 7bit\r\n";
    out += "X-Mailer: Baricadr " BARICADR_VERSION "\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "\r\n";
    out += encodedBody;
    return out;
}

Status Mailer::sendNow(const MailSettings &settings, const MailMessage &message)
{
    const QString where = settings.serverUrl();
    const QString recipients = message.to.join(QStringLiteral(", "));
    auto fail = [&](ErrorCode code, const QString &why) {
        return Error(code, QStringLiteral("Could not send the mail \"%1\" to %2 via %3: %4")
                               .arg(stripLineBreaks(message.subject).left(200), recipients, where, why));
    };
    if (!settings.isEnabled())
        return fail(ErrorCode::Config, QStringLiteral("no mail server configured (MAIL_SERVER)"));
    if (settings.port < 1 || settings.port > 65535)
        return fail(ErrorCode::Config,
                    QStringLiteral("MAIL_PORT %1 is not a port number").arg(settings.port));
    if (bareAddress(settings.sender).isEmpty())
        return fail(ErrorCode::Config, QStringLiteral("no sender address configured (MAIL_SENDER)"));
    if (message.to.isEmpty())
        return fail(ErrorCode::InvalidInput, QStringLiteral("no recipient"));
    for (const QString &r : message.to) {
        if (Status s = validateEmailAddress(bareAddress(r)); !s)
            return fail(ErrorCode::InvalidInput,
                        QStringLiteral("recipient \"%1\": %2").arg(r, s.error().message));
    }

    static std::once_flag curlInit;
    std::call_once(curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return fail(ErrorCode::Internal, QStringLiteral("libcurl could not be initialised"));
    struct SlistDeleter
    {
        void operator()(curl_slist *l) const { curl_slist_free_all(l); }
    };
    std::unique_ptr<curl_slist, SlistDeleter> rcpt;
    for (const QString &r : message.to) {
        const QByteArray addr = "<" + bareAddress(r).toUtf8() + ">";
        rcpt.reset(curl_slist_append(rcpt.release(), addr.constData()));
    }

    UploadState upload{compose(settings, message, QDateTime::currentDateTimeUtc()), 0};
    const QByteArray url = where.toUtf8();
    const QByteArray from = "<" + bareAddress(settings.sender).toUtf8() + ">";
    const QByteArray user = settings.username.toUtf8();
    const QByteArray password = settings.password.toUtf8();
    char errorBuffer[CURL_ERROR_SIZE] = {};

    CURL *c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); // we run on worker threads
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, long(std::max(1, settings.timeoutSeconds)));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, long(std::max(1, settings.timeoutSeconds)));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readCallback);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    if (settings.useTls && !settings.useSsl)
        curl_easy_setopt(c, CURLOPT_USE_SSL, long(CURLUSESSL_ALL)); // STARTTLS, or fail
    // The server's certificate is always verified (name and chain); MAIL_CA_FILE only says
    // which CAs to trust instead of the system store (a site CA, a relay's own certificate).
    const QByteArray caFile = QFile::encodeName(settings.caFile);
    if (!settings.caFile.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, caFile.constData());
    if (!settings.username.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password.constData());
    }

    const CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
        QString why = QString::fromUtf8(errorBuffer).trimmed();
        if (why.isEmpty())
            why = QString::fromUtf8(curl_easy_strerror(code));
        if (!settings.password.isEmpty())
            why.replace(settings.password, QStringLiteral("***"));
        qCWarning(lcMail).noquote() << "mail to" << recipients << "via" << where << "failed:" << why;
        return fail(codeFor(code), why);
    }
    qCInfo(lcMail).noquote() << "mail sent to" << recipients << "via" << where;
    return {};
}

QFuture<Status> Mailer::send(const MailMessage &message)
{
    return send(QList<MailMessage>{message});
}

QFuture<Status> Mailer::send(const QList<MailMessage> &messages)
{
    auto promise = std::make_shared<QPromise<Status>>();
    QFuture<Status> future = promise->future();
    promise->start();
    m_pool.start([promise, settings = m_settings, messages] {
        Status result;
        for (const MailMessage &m : messages) {
            Status s = sendNow(settings, m);
            if (!s && result.ok())
                result = s;
        }
        promise->addResult(result);
        promise->finish();
    });
    return future;
}

} // namespace baricadr
