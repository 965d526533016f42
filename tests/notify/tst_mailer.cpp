// The mailer against a real SMTP server on loopback (aiosmtpd: in clear, over SMTPS and with
// STARTTLS, with a self-signed certificate for 127.0.0.1), a port where nothing listens and a
// server that accepts connections but never answers.
#include "notify/mailer.h"
#include "smtpsink.h"
#include "testenv.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;

class tst_Mailer : public QObject
{
    Q_OBJECT

    test::SmtpSink m_sink;
    QTemporaryDir m_certDir;
    QString m_cert, m_key;

    MailSettings sinkSettings() const
    {
        MailSettings s;
        s.server = QStringLiteral("127.0.0.1");
        s.port = m_sink.port();
        s.sender = QStringLiteral("baricadr@genouest.example.org");
        s.timeoutSeconds = 10;
        return s;
    }

    static Status wait(QFuture<Status> f)
    {
        // Bounded: the mailer's own timeouts end every send.
        QElapsedTimer timer;
        timer.start();
        while (!f.isFinished() && timer.elapsed() < 60000)
            QTest::qWait(20);
        if (!f.isFinished())
            return Error(ErrorCode::Timeout, QStringLiteral("send did not finish within 60 s"));
        return f.result();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sink.start(), qPrintable(m_sink.errorString()));
        m_cert = m_certDir.filePath(QStringLiteral("cert.pem"));
        m_key = m_certDir.filePath(QStringLiteral("key.pem"));
        QVERIFY(test::createSelfSignedCertificate(m_cert, m_key));
    }

    void composeIsWellFormed()
    {
        MailSettings s = sinkSettings();
        MailMessage m{{QStringLiteral("a@example.org"), QStringLiteral("b@example.org")},
                      QStringLiteral("Réglages ✓ — a long subject ") + QString(100, QLatin1Char('x')),
                      QStringLiteral("Line one\nÜnïcödé line\r\n") + QString(1200, QLatin1Char('y')) +
                          QStringLiteral("\n.leading dot\n")};
        const QByteArray raw =
            Mailer::compose(s, m, QDateTime(QDate(2021, 2, 17), QTime(15, 11, 56), Qt::UTC));
        QVERIFY(raw.contains("Date: Wed, 17 Feb 2021 15:11:56 +0000\r\n"));
        QVERIFY(raw.contains("From: baricadr@genouest.example.org\r\n"));
        QVERIFY(raw.contains("To: a@example.org,\r\n b@example.org\r\n"));
        QVERIFY(raw.contains("Subject: =?UTF-8?B?"));
        QVERIFY(raw.contains("@genouest.example.org>\r\n")); // Message-ID
        QVERIFY(raw.contains("Content-Type: text/plain; charset=UTF-8\r\n"));
        QVERIFY(raw.contains("Content-Transfer-Encoding: quoted-printable\r\n"));
        // Every line ends in CRLF, none is longer than 998 octets, no bare LF or CR.
        const QList<QByteArray> lines = raw.split('\n');
        for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
            QVERIFY2(lines[i].endsWith('\r'), lines[i].constData());
            QVERIFY(lines[i].size() <= 999);
            QVERIFY(!lines[i].chopped(1).contains('\r'));
        }
        for (char c : raw)
            QVERIFY(static_cast<unsigned char>(c) < 0x80); // 7-bit clean
        // Decoded by a real parser, the subject and body are what was given.
        const auto parsed = test::SmtpSink::parse(raw);
        QCOMPARE(parsed.subject, m.subject);
        QCOMPARE(parsed.body, QString(m.body).replace(QStringLiteral("\r\n"), QStringLiteral("\n")));

        // Header injection through the subject is impossible.
        m.subject = QStringLiteral("hi\r\nBcc: evil@example.org");
        const QByteArray injected = Mailer::compose(s, m, QDateTime::currentDateTimeUtc());
        QVERIFY(!injected.contains("\r\nBcc:"));
        // ASCII stays readable.
        m.subject = QStringLiteral("BARICADR: finished pulling /data/x");
        m.body = QStringLiteral("plain\n");
        const QByteArray ascii = Mailer::compose(s, m, QDateTime::currentDateTimeUtc());
        QVERIFY(ascii.contains("Subject: BARICADR: finished pulling /data/x\r\n"));
        QVERIFY(ascii.contains("Content-Transfer-Encoding: 7bit\r\n"));
        QVERIFY(ascii.endsWith("\r\n\r\nplain\r\n"));
    }

    void sendsToRealServer()
    {
        Mailer mailer(sinkSettings());
        const int before = m_sink.messages().size();
        MailMessage m{{QStringLiteral("alice@example.org"), QStringLiteral("Bob <bob@example.org>")},
                      QStringLiteral("Données gelées ❄"),
                      QStringLiteral("Bonjour,\n\n.dot line stays\nfichier é\n")};
        const Status s = wait(mailer.send(m));
        QVERIFY2(s.ok(), s ? "" : qPrintable(s.error().message));
        QVERIFY(m_sink.waitForMessages(before + 1));
        const auto got = m_sink.messages().last();
        QCOMPARE(got.subject, m.subject);
        QCOMPARE(got.from, QStringLiteral("baricadr@genouest.example.org"));
        QCOMPARE(got.envelopeFrom, QStringLiteral("baricadr@genouest.example.org"));
        QCOMPARE(got.to,
                 (QStringList{QStringLiteral("alice@example.org"), QStringLiteral("Bob <bob@example.org>")}));
        QCOMPARE(got.envelopeTo,
                 (QStringList{QStringLiteral("alice@example.org"), QStringLiteral("bob@example.org")}));
        QCOMPARE(got.body, m.body);
        QVERIFY(got.headers.contains(QStringLiteral("message-id")));
        QVERIFY(got.headers.contains(QStringLiteral("date")));
    }

    void serverDownIsAClearError()
    {
        MailSettings s = sinkSettings();
        s.port = test::freeLoopbackPort(); // nothing listens there
        Mailer mailer(s);
        QElapsedTimer timer;
        timer.start();
        const Status r = wait(
            mailer.send({{QStringLiteral("alice@example.org")}, QStringLiteral("x"), QStringLiteral("y")}));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::RemoteUnreachable);
        QVERIFY2(r.error().message.contains(QStringLiteral("smtp://127.0.0.1:%1").arg(s.port)),
                 qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(QStringLiteral("alice@example.org")),
                 qPrintable(r.error().message));
        QVERIFY(timer.elapsed() < 30000);
    }

    void silentServerTimesOut()
    {
        // Accepts TCP connections (the kernel completes the handshake) but never says a word.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        MailSettings s = sinkSettings();
        s.port = silent.serverPort();
        s.timeoutSeconds = 2;
        s.username = QStringLiteral("user");
        s.password = QStringLiteral("hunter2-secret");
        Mailer mailer(s);
        QElapsedTimer timer;
        timer.start();
        const Status r = wait(
            mailer.send({{QStringLiteral("alice@example.org")}, QStringLiteral("x"), QStringLiteral("y")}));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Timeout);
        QVERIFY(timer.elapsed() < 20000);
        QVERIFY(!r.error().message.contains(QStringLiteral("hunter2")));
        qDebug() << r.error().message;
    }

    void starttlsRequiredButNotOffered()
    {
        MailSettings s = sinkSettings();
        s.useTls = true; // aiosmtpd without a certificate offers no STARTTLS: refuse to send in clear
        Mailer mailer(s);
        const int before = m_sink.messages().size();
        const Status r = wait(
            mailer.send({{QStringLiteral("alice@example.org")}, QStringLiteral("x"), QStringLiteral("y")}));
        QVERIFY(!r.ok());
        qDebug() << r.error().message;
        QCOMPARE(m_sink.messages().size(), before);
    }

    // MAIL_USE_SSL / MAIL_USE_TLS against a server that really speaks TLS, trusted through
    // MAIL_CA_FILE: the mail arrives whole. Without the CA (the system store does not know a
    // self-signed certificate) the certificate is refused and nothing is sent.
    void tlsDelivers_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("trusted");
        QTest::newRow("smtps, trusted") << int(test::SmtpSink::Tls::Smtps) << true;
        QTest::newRow("starttls, trusted") << int(test::SmtpSink::Tls::StartTls) << true;
        QTest::newRow("smtps, unknown certificate") << int(test::SmtpSink::Tls::Smtps) << false;
        QTest::newRow("starttls, unknown certificate") << int(test::SmtpSink::Tls::StartTls) << false;
    }
    void tlsDelivers()
    {
        QFETCH(int, mode);
        QFETCH(bool, trusted);
        const auto tls = test::SmtpSink::Tls(mode);
        test::SmtpSink sink(tls, m_cert, m_key);
        QVERIFY2(sink.start(), qPrintable(sink.errorString()));
        MailSettings s = sinkSettings();
        s.port = sink.port();
        s.useSsl = tls == test::SmtpSink::Tls::Smtps;
        s.useTls = tls == test::SmtpSink::Tls::StartTls;
        if (trusted)
            s.caFile = m_cert;
        Mailer mailer(s);
        const MailMessage m{{QStringLiteral("alice@example.org")},
                            QStringLiteral("Freeze finished"),
                            QStringLiteral("12 files frozen.\n")};
        const Status r = wait(mailer.send(m));
        if (!trusted) {
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message.contains(QStringLiteral("certificate"), Qt::CaseInsensitive),
                     qPrintable(r.error().message));
            QVERIFY2(r.error().message.contains(s.serverUrl()), qPrintable(r.error().message));
            QTest::qWait(300);
            QCOMPARE(sink.messages().size(), 0);
            return;
        }
        QVERIFY2(r.ok(), r ? "" : qPrintable(r.error().message));
        QVERIFY(sink.waitForMessages(1));
        QCOMPARE(sink.messages().constFirst().subject, m.subject);
        QCOMPARE(sink.messages().constFirst().body, m.body);
        QCOMPARE(sink.messages().constFirst().envelopeTo, m.to);
    }

    void badInputsRefusedBeforeConnecting()
    {
        MailSettings s = sinkSettings();
        QCOMPARE(Mailer::sendNow(s, {{}, QStringLiteral("x"), QStringLiteral("y")}).error().code,
                 ErrorCode::InvalidInput);
        const Status bad = Mailer::sendNow(
            s, {{QStringLiteral("not-an-address")}, QStringLiteral("x"), QStringLiteral("y")});
        QVERIFY(bad.error().message.contains(QStringLiteral("exactly one @-sign")));
        s.server.clear();
        QCOMPARE(Mailer::sendNow(s, {{QStringLiteral("a@example.org")}, {}, {}}).error().code,
                 ErrorCode::Config);
        s = sinkSettings();
        s.sender.clear();
        QVERIFY(Mailer::sendNow(s, {{QStringLiteral("a@example.org")}, {}, {}})
                    .error()
                    .message.contains(QStringLiteral("MAIL_SENDER")));
    }
};

QTEST_GUILESS_MAIN(tst_Mailer)
#include "tst_mailer.moc"
