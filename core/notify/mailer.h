#pragma once

#include "util/result.h"

#include <QDateTime>
#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>
#include <QThreadPool>

namespace baricadr {

// How to reach the SMTP server. Independent of Settings on purpose: the engine maps the
// MAIL_* keys onto this.
struct MailSettings
{
    QString server;          // MAIL_SERVER; empty = mail disabled
    int port = 25;           // MAIL_PORT
    bool useSsl = false;     // MAIL_USE_SSL: implicit TLS (smtps://, usually port 465)
    bool useTls = false;     // MAIL_USE_TLS: STARTTLS required on a plain connection
    QString caFile;          // MAIL_CA_FILE: CAs trusted for the server's certificate; empty = system store
    QString sender;          // MAIL_SENDER (From: and envelope sender)
    QString username;        // optional SMTP AUTH
    QString password;        // never logged or shown
    QStringList admins;      // MAIL_ADMIN: get failures of scheduled tasks
    int timeoutSeconds = 30; // connect and whole-transfer limit, so a dead server never hangs a mail

    bool isEnabled() const { return !server.isEmpty(); }
    QString serverUrl() const; // smtp://host:port or smtps://host:port (no credentials)
};

struct MailMessage
{
    QStringList to;
    QString subject;
    QString body; // plain text; any line endings
};

// Sends plain-text mails through libcurl's SMTP client on a private thread pool. Each send
// returns a future that is ready when the server accepted the mail or refused it; an error says
// which server, which recipients and what went wrong (never the password).
class Mailer
{
public:
    explicit Mailer(const MailSettings &settings);
    ~Mailer(); // waits for mails in flight (bounded by the timeouts)
    Mailer(const Mailer &) = delete;
    Mailer &operator=(const Mailer &) = delete;

    const MailSettings &settings() const { return m_settings; }

    QFuture<Status> send(const MailMessage &message);
    QFuture<Status> send(const QList<MailMessage> &messages); // one after the other; first error wins

    // Blocking; what send() runs on the pool.
    static Status sendNow(const MailSettings &settings, const MailMessage &message);
    // The RFC 5322 message as sent: CRLF lines, Date, Message-ID, From, To, Subject (RFC 2047
    // encoded-words when not plain ASCII), MIME headers, UTF-8 body (quoted-printable when needed).
    static QByteArray compose(const MailSettings &settings, const MailMessage &message,
                              const QDateTime &date);

private:
    MailSettings m_settings;
    QThreadPool m_pool;
};

} // namespace baricadr
