#include "smtpsink.h"

#include "testenv.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSslSocket>
#include <QThread>

#include <algorithm>

namespace baricadr::test {

namespace {

QByteArray decodeQuotedPrintable(const QByteArray &in)
{
    QByteArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c != '=') {
            out += c;
            continue;
        }
        if (i + 1 < in.size() && (in[i + 1] == '\n' || in[i + 1] == '\r')) { // soft break
            ++i;
            if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n')
                ++i;
            continue;
        }
        if (i + 2 < in.size()) {
            bool ok = false;
            const int v = in.mid(i + 1, 2).toInt(&ok, 16);
            if (ok) {
                out += char(v);
                i += 2;
                continue;
            }
        }
        out += c;
    }
    return out;
}

QString decodeWords(const QString &value)
{
    static const QRegularExpression word(QStringLiteral(R"(=\?([^?]+)\?([bBqQ])\?([^?]*)\?=)"));
    QString out;
    qsizetype last = 0;
    bool previousWasWord = false;
    auto it = word.globalMatch(value);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString between = value.mid(last, m.capturedStart() - last);
        if (!(previousWasWord && between.trimmed().isEmpty())) // whitespace between words is dropped
            out += between;
        QByteArray bytes;
        if (m.captured(2).compare(QStringLiteral("b"), Qt::CaseInsensitive) == 0)
            bytes = QByteArray::fromBase64(m.captured(3).toLatin1());
        else
            bytes = decodeQuotedPrintable(m.captured(3).toLatin1().replace('_', ' '));
        out += QString::fromUtf8(bytes);
        last = m.capturedEnd();
        previousWasWord = true;
    }
    out += value.mid(last);
    return out;
}

QStringList splitAddresses(const QString &value)
{
    QStringList out;
    for (const QString &part : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    return out;
}

} // namespace

SmtpSink::SmtpSink()
    : m_dir(QDir::tempPath() + QStringLiteral("/smtpsink-XXXXXX"))
{}

SmtpSink::SmtpSink(Tls tls, const QString &certFile, const QString &keyFile)
    : m_dir(QDir::tempPath() + QStringLiteral("/smtpsink-XXXXXX"))
    , m_tls(tls)
    , m_certFile(certFile)
    , m_keyFile(keyFile)
{}

SmtpSink::~SmtpSink()
{
    stop();
}

bool SmtpSink::start()
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    m_port = freeLoopbackPort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QStringList args{QStringLiteral("-m"), QStringLiteral("aiosmtpd"), QStringLiteral("-n"),
                     QStringLiteral("-l"), QStringLiteral("127.0.0.1:%1").arg(m_port)};
    if (m_tls == Tls::Smtps)
        args << QStringLiteral("--smtpscert") << m_certFile << QStringLiteral("--smtpskey") << m_keyFile;
    else if (m_tls == Tls::StartTls)
        args << QStringLiteral("--tlscert") << m_certFile << QStringLiteral("--tlskey") << m_keyFile;
    args << QStringLiteral("-c") << QStringLiteral("aiosmtpd.handlers.Mailbox")
         << m_dir.filePath(QStringLiteral("maildir"));
    m_process.start(QStringLiteral("/usr/bin/python3"), args);
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("cannot start aiosmtpd: %1").arg(m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            m_error = QStringLiteral("aiosmtpd exited: %1").arg(QString::fromLocal8Bit(m_process.readAll()));
            return false;
        }
        QSslSocket probe; // the greeting comes after the TLS handshake with SMTPS
        probe.setPeerVerifyMode(QSslSocket::VerifyNone);
        if (m_tls == Tls::Smtps)
            probe.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
        else
            probe.connectToHost(QStringLiteral("127.0.0.1"), m_port);
        if (probe.waitForConnected(500) && (m_tls != Tls::Smtps || probe.waitForEncrypted(2000)) &&
            probe.waitForReadyRead(2000) && probe.readAll().startsWith("220")) {
            probe.write("QUIT\r\n");
            probe.waitForBytesWritten(1000);
            return true;
        }
        QThread::msleep(100);
    }
    m_error = QStringLiteral("aiosmtpd did not accept connections on port %1 within 20 s").arg(m_port);
    return false;
}

void SmtpSink::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QList<SmtpSink::Message> SmtpSink::messages() const
{
    QDir dir(m_dir.filePath(QStringLiteral("maildir/new")));
    QFileInfoList files = dir.entryInfoList(QDir::Files);
    // Maildir names start with the delivery time in seconds; order by time, then name.
    std::sort(files.begin(), files.end(), [](const QFileInfo &a, const QFileInfo &b) {
        const auto ta = a.birthTime().isValid() ? a.birthTime() : a.lastModified();
        const auto tb = b.birthTime().isValid() ? b.birthTime() : b.lastModified();
        return ta != tb ? ta < tb : a.fileName() < b.fileName();
    });
    QList<Message> out;
    for (const QFileInfo &fi : files) {
        QFile f(fi.filePath());
        if (f.open(QIODevice::ReadOnly))
            out.append(parse(f.readAll()));
    }
    return out;
}

bool SmtpSink::waitForMessages(int count, int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    while (messages().size() < count) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(50);
    }
    return true;
}

SmtpSink::Message SmtpSink::parse(const QByteArray &raw)
{
    Message m;
    m.raw = raw;
    QByteArray text = raw;
    text.replace("\r\n", "\n");
    const qsizetype split = text.indexOf("\n\n");
    const QByteArray head = split >= 0 ? text.left(split) : text;
    QByteArray body = split >= 0 ? text.mid(split + 2) : QByteArray();

    QString current;
    QList<QString> lines;
    for (const QByteArray &line : head.split('\n')) {
        if ((line.startsWith(' ') || line.startsWith('\t')) && !lines.isEmpty())
            lines.last() += QLatin1Char(' ') + QString::fromUtf8(line.trimmed());
        else
            lines.append(QString::fromUtf8(line));
    }
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            continue;
        m.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    const QString cte = m.headers.value(QStringLiteral("content-transfer-encoding")).toLower();
    if (cte == u"quoted-printable")
        body = decodeQuotedPrintable(body);
    else if (cte == u"base64")
        body = QByteArray::fromBase64(body);
    m.body = QString::fromUtf8(body);
    m.subject = decodeWords(m.headers.value(QStringLiteral("subject")));
    m.from = decodeWords(m.headers.value(QStringLiteral("from")));
    m.to = splitAddresses(decodeWords(m.headers.value(QStringLiteral("to"))));
    m.envelopeFrom = m.headers.value(QStringLiteral("x-mailfrom"));
    m.envelopeTo = splitAddresses(m.headers.value(QStringLiteral("x-rcptto")));
    return m;
}

} // namespace baricadr::test
