#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

#include <functional>

class QTcpSocket;

namespace baricadr {

// Refuses a request whose declared body is larger than the limit as soon as its headers have
// arrived, before the body is read. QHttpServer 6.4 buffers a whole request (twice: the socket
// keeps it until the reply, the request holds a copy) before any handler sees it, so a client
// announcing 2 GiB would make the service hold 4 GiB to answer 413.
//
// watch() is called on each new connection before QHttpServer connects to it: its readyRead
// handler then runs first, and looks at each request's headers as they arrive (peek, nothing
// consumed). A `Content-Length` over the limit gets the 413 straight away (`Connection: close`);
// the body the client still sends is read and thrown away (at most the announced length, for at
// most kDrainSeconds) so that the client sees the answer instead of a reset connection, then the
// connection is closed. A chunked body is counted as it arrives and cut off the same way once
// over the limit. Headers longer than kMaxHeaderBytes get 431.
//
// Requests pipelined behind one being answered are not looked at here; the size check after
// parsing (HttpApi) still answers them.
class BodyLimit
{
public:
    static constexpr qint64 kMaxHeaderBytes = 64 * 1024;
    static constexpr int kDrainSeconds = 30;

    // Set (true) on a connection while a request on it waits for its answer: the bytes behind
    // it are another request, judged once the answer is out.
    static constexpr const char *kBusyProperty = "baricadr_busy";

    struct Refusal
    {
        int status;      // 413 or 431
        QString message; // for the client and the log
    };
    // Builds the whole HTTP response (status line, headers, JSON body) for a refusal.
    using ResponseBuilder = std::function<QByteArray(const Refusal &)>;

    BodyLimit(qint64 maxBodyBytes, ResponseBuilder build);

    void watch(QTcpSocket *socket) const;

    // What the headers of one request announce; exposed for the tests.
    struct Head
    {
        bool complete = false;      // the blank line has been seen
        qsizetype headerBytes = 0;  // up to and including the blank line
        qint64 contentLength = -1;  // -1: none given
        bool chunked = false;       // Transfer-Encoding: chunked
        bool invalidLength = false; // Content-Length not a number, or two different ones
    };
    static Head parseHead(const QByteArray &bytes);

private:
    qint64 m_max;
    ResponseBuilder m_build;
};

} // namespace baricadr
