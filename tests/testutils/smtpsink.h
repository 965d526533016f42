#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace baricadr::test {

// A real SMTP server on 127.0.0.1 that stores what it receives: Debian's aiosmtpd with its
// Maildir handler (`/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox DIR`),
// in clear, over SMTPS (`--smtpscert/--smtpskey`) or with STARTTLS required (`--tlscert/--tlskey`).
class SmtpSink
{
public:
    enum class Tls
    {
        None,
        Smtps,    // TLS from the first byte
        StartTls, // plain greeting, STARTTLS offered and required before MAIL
    };
    struct Message
    {
        QString from;                   // From: header
        QStringList to;                 // To: header, one address per entry
        QString envelopeFrom;           // MAIL FROM (X-MailFrom)
        QStringList envelopeTo;         // RCPT TO (X-RcptTo): includes Bcc-like recipients
        QString subject;                // decoded (RFC 2047)
        QString body;                   // decoded (quoted-printable/base64), LF line ends
        QMap<QString, QString> headers; // lower-case name -> raw unfolded value (last one wins)
        QByteArray raw;
    };

    SmtpSink();
    // With TLS: `certFile`/`keyFile` are the server's PEM certificate and key.
    SmtpSink(Tls tls, const QString &certFile, const QString &keyFile);
    ~SmtpSink();
    SmtpSink(const SmtpSink &) = delete;
    SmtpSink &operator=(const SmtpSink &) = delete;

    bool start(); // false with errorString() if it does not accept connections within 20 s
    void stop();
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }

    QList<Message> messages() const; // in arrival order
    // Waits (processing events, bounded) until at least `count` messages arrived.
    bool waitForMessages(int count, int timeoutMs = 15000) const;

    static Message parse(const QByteArray &raw);

private:
    QTemporaryDir m_dir;
    Tls m_tls = Tls::None;
    QString m_certFile;
    QString m_keyFile;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace baricadr::test
