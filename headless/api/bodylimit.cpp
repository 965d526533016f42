#include "api/bodylimit.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <limits>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace baricadr {

namespace {

// What is known of the request whose bytes are arriving on one connection.
struct ConnectionState
{
    QByteArray head;        // the request's first bytes, until its headers are complete
    bool evaluated = false; // headers seen and judged
    bool chunked = false;   // counting a chunked body
    qint64 bodyBytes = 0;   // of the chunked body, so far
    qint64 leftUnread = 0;  // bytes QHttpServer left unread after its last turn
    bool draining = false;  // refused: reading and dropping what the client still sends
    qint64 drainLeft = 0;
};

} // namespace

BodyLimit::BodyLimit(qint64 maxBodyBytes, ResponseBuilder build)
    : m_max(maxBodyBytes)
    , m_build(std::move(build))
{}

BodyLimit::Head BodyLimit::parseHead(const QByteArray &bytes)
{
    Head h;
    const qsizetype end = bytes.indexOf("\r\n\r\n");
    if (end < 0)
        return h;
    h.complete = true;
    h.headerBytes = end + 4;
    const QList<QByteArray> lines = bytes.left(end).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the request line
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < 0 || (h.contentLength >= 0 && h.contentLength != n))
                h.invalidLength = true;
            else
                h.contentLength = n;
        } else if (name == "transfer-encoding") {
            if (value.toLower().contains("chunked"))
                h.chunked = true;
        }
    }
    return h;
}

void BodyLimit::watch(QTcpSocket *socket) const
{
    auto state = std::make_shared<ConnectionState>();
    const qint64 max = m_max;
    const ResponseBuilder build = m_build;

    // After QHttpServer's turn (queued: it runs once that turn is over, before the socket is
    // read again): how much it left unread, so the next turn knows which bytes are new.
    auto afterServer = [socket, state] {
        if (!state->draining)
            state->leftUnread = socket->bytesAvailable();
    };

    auto refuse = [socket, state, build](const Refusal &refusal, qint64 drain) {
        qCInfo(lcApi).noquote() << "request from" << socket->peerAddress().toString()
                                << "refused before reading it:" << refusal.status << refusal.message;
        // QHttpServer reads nothing more of this connection: only the drain below does.
        QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
        if (socket->isTransactionStarted())
            socket->commitTransaction();
        state->draining = true;
        state->drainLeft = drain;
        socket->write(build(refusal));
        socket->flush();
        QPointer<QTcpSocket> guarded(socket);
        auto drainSome = [guarded, state] {
            if (!guarded)
                return;
            while (guarded->bytesAvailable() > 0 && state->drainLeft > 0)
                state->drainLeft -=
                    qMax<qint64>(1, guarded->skip(qMin<qint64>(guarded->bytesAvailable(), 1 << 20)));
            if (state->drainLeft <= 0)
                guarded->disconnectFromHost();
        };
        QObject::connect(socket, &QTcpSocket::readyRead, socket, drainSome);
        // A client that stops sending is not waited for.
        QTimer::singleShot(kDrainSeconds * 1000, socket, [guarded] {
            if (guarded)
                guarded->disconnectFromHost();
        });
        drainSome();
    };

    QObject::connect(socket, &QTcpSocket::readyRead, socket, [=] {
        if (state->draining)
            return;
        const qint64 avail = socket->bytesAvailable();
        if (!socket->isTransactionStarted()) {
            // QHttpServer holds no partial request: the unread bytes start the next one. Left
            // alone while the previous request on this connection still waits for its answer.
            if (socket->property(kBusyProperty).toBool())
                return;
            *state = ConnectionState{};
            state->head = socket->peek(qMin<qint64>(avail, kMaxHeaderBytes + 1));
            if (state->head.size() > 0)
                QMetaObject::invokeMethod(socket, afterServer, Qt::QueuedConnection);
        } else {
            const qint64 fresh = qMax<qint64>(0, avail - state->leftUnread);
            if (!state->evaluated && state->head.size() <= kMaxHeaderBytes)
                state->head +=
                    socket->peek(avail).right(fresh).left(kMaxHeaderBytes + 1 - state->head.size());
            else if (state->chunked)
                state->bodyBytes += fresh;
            QMetaObject::invokeMethod(socket, afterServer, Qt::QueuedConnection);
        }
        if (!state->evaluated) {
            const Head h = parseHead(state->head);
            if (!h.complete) {
                if (state->head.size() > kMaxHeaderBytes)
                    refuse({431,
                            QStringLiteral("Request headers too large (over %1 bytes)").arg(kMaxHeaderBytes)},
                           0);
                return;
            }
            state->evaluated = true;
            if (h.contentLength > max) {
                // What is still to come of this request: its headers and body, less what
                // QHttpServer has read already.
                const qint64 consumed = qMax<qint64>(0, qint64(state->head.size()) - avail);
                refuse({413, QStringLiteral("Request body too large (%1 bytes, at most %2)")
                                 .arg(h.contentLength)
                                 .arg(max)},
                       h.headerBytes + h.contentLength - consumed);
                return;
            }
            if (h.chunked && h.contentLength < 0) {
                state->chunked = true;
                state->bodyBytes = qMax<qint64>(0, qint64(state->head.size()) - h.headerBytes);
            }
            state->head.clear();
        }
        // Chunk framing counts too: a little over the limit is let through to the check after
        // parsing, which answers with the exact size.
        if (state->chunked && state->bodyBytes > max + kMaxHeaderBytes)
            refuse({413, QStringLiteral("Request body too large (over %1 bytes, at most %2)")
                             .arg(state->bodyBytes)
                             .arg(max)},
                   std::numeric_limits<qint64>::max());
    });
}

} // namespace baricadr
