#include "api/httpapi.h"

#include "api/apiroutes.h"
#include "api/authenticator.h"
#include "api/bodylimit.h"

#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>

Q_DECLARE_LOGGING_CATEGORY(lcApi)

namespace baricadr {

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return QByteArrayLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QByteArrayLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QByteArrayLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QByteArrayLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QByteArrayLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QByteArrayLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QByteArrayLiteral("PATCH");
    case QHttpServerRequest::Method::Connect:
        return QByteArrayLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace:
        return QByteArrayLiteral("TRACE");
    default:
        break;
    }
    return QByteArrayLiteral("UNKNOWN");
}

// The one place a reply is written. The responder is shared by the Respond function; the socket
// is watched by a QPointer: QHttpServer 6.4 deletes it when the client disconnects, and writing
// through the responder afterwards is a use-after-free.
Respond makeRespond(QHttpServerResponder &&responder, ApiRoutes *routes, const QByteArray &method,
                    const QString &path)
{
    auto shared = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket(shared->socket());
    auto done = std::make_shared<bool>(false);
    QPointer<ApiRoutes> counter(routes);
    return [shared, socket, done, counter, method, path](const ApiReply &reply) {
        if (*done)
            return;
        *done = true;
        if (counter)
            counter->countResponse(reply.status);
        if (!socket) {
            qCInfo(lcApi).noquote() << method << path << "→" << reply.status
                                    << "not sent: the client has gone";
            return;
        }
        socket->setProperty(BodyLimit::kBusyProperty, false);
        qCDebug(lcApi).noquote() << method << path << "→" << reply.status;
        const auto status = static_cast<QHttpServerResponder::StatusCode>(reply.status);
        shared->writeStatusLine(status);
        shared->writeHeader(QByteArrayLiteral("Content-Type"), reply.contentType);
        shared->writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(reply.body.size()));
        for (const auto &[name, value] : reply.headers)
            shared->writeHeader(name, value);
        // HEAD: the headers a GET would get (Content-Length included), never the body.
        shared->writeBody(method == "HEAD" ? QByteArray() : reply.body);
        // Out now, not when the event loop next polls the socket: work queued behind this
        // request (starting the task's rclone, writing its log) must not delay its answer.
        socket->flush();
    };
}

// The listening socket: hands each new connection to the body limit before QHttpServer sees it.
template<class Server> class GuardedServer final : public Server
{
public:
    explicit GuardedServer(const BodyLimit *limit)
        : m_limit(limit)
    {}
    QTcpSocket *nextPendingConnection() override
    {
        QTcpSocket *socket = Server::nextPendingConnection();
        if (socket)
            m_limit->watch(socket);
        return socket;
    }

private:
    const BodyLimit *m_limit;
};

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    default:
        return QByteArrayLiteral("Error");
    }
}

} // namespace

HttpApi::HttpApi(BaricadrService *service, QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QHttpServer>())
    , m_routes(std::make_unique<ApiRoutes>(service))
    , m_auth(std::make_unique<Authenticator>())
{
    // Every request goes through the missing handler: ApiRoutes does the routing so that it can
    // answer 405 for a known route with the wrong method (6.4's router says 404), check the
    // credentials and the body size for every route in one place, and so that no route
    // registration ties us to 6.4's route() signature.
    m_server->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        ApiRequest req;
        req.method = methodName(request.method());
        req.path = request.url().path();
        if (req.path.size() > 1 && req.path.endsWith(u'/'))
            req.path.chop(1);
        if (QTcpSocket *socket = responder.socket())
            socket->setProperty(BodyLimit::kBusyProperty, true);
        const Respond respond = makeRespond(std::move(responder), m_routes.get(), req.method, req.path);

        if (m_auth->enabled() && !ApiRoutes::isPublic(req.path) &&
            !m_auth->check(request.value(QByteArrayLiteral("Authorization")))) {
            ApiReply reply = ApiReply::error(QStringLiteral("Unauthorized"), 401);
            reply.headers.append(
                {QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"baricadr\"")});
            qCInfo(lcApi).noquote() << "unauthorized request from" << request.remoteAddress().toString()
                                    << req.method << req.path;
            respond(reply);
            return;
        }
        const QByteArray body = request.body();
        if (body.size() > m_options.maxBodyBytes) {
            respond(ApiReply::error(QStringLiteral("Request body too large (%1 bytes, at most %2)")
                                        .arg(body.size())
                                        .arg(m_options.maxBodyBytes),
                                    413));
            return;
        }
        req.query = request.query();
        req.body = body;
        m_routes->handle(req, respond);
    });
}

HttpApi::~HttpApi() = default;

bool HttpApi::authEnabled() const
{
    return m_auth->enabled();
}

Status HttpApi::configure(const HttpApiOptions &options)
{
    m_options = options;
    auto auth = Authenticator::load(options.htpasswdFile, options.tokensFile);
    if (!auth.ok())
        return auth.error();
    *m_auth = std::move(auth).value();

    if (options.tlsCertFile.isEmpty() != options.tlsKeyFile.isEmpty())
        return Error(ErrorCode::Config, QStringLiteral("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE"));
    if (!options.tlsCertFile.isEmpty()) {
        QFile certFile(options.tlsCertFile);
        if (!certFile.open(QIODevice::ReadOnly))
            return Error(
                ErrorCode::Config,
                QStringLiteral("TLS_CERT_FILE %1: %2").arg(options.tlsCertFile, certFile.errorString()));
        const QList<QSslCertificate> certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        if (certs.isEmpty())
            return Error(
                ErrorCode::Config,
                QStringLiteral("TLS_CERT_FILE %1: no PEM certificate in it").arg(options.tlsCertFile));
        QFile keyFile(options.tlsKeyFile);
        if (!keyFile.open(QIODevice::ReadOnly))
            return Error(
                ErrorCode::Config,
                QStringLiteral("TLS_KEY_FILE %1: %2").arg(options.tlsKeyFile, keyFile.errorString()));
        const QByteArray keyData = keyFile.readAll();
        QSslKey key(keyData, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyData, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            return Error(ErrorCode::Config,
                         QStringLiteral("TLS_KEY_FILE %1: no unencrypted PEM RSA or EC private key in it")
                             .arg(options.tlsKeyFile));
        m_sslConfig = QSslConfiguration::defaultConfiguration();
        m_sslConfig.setLocalCertificate(certs.constFirst());
        m_sslConfig.setPrivateKey(key);
        m_tls = true;
    }
    return {};
}

quint16 HttpApi::listen(const QHostAddress &address, quint16 port)
{
    if (!m_limit) {
        m_limit = std::make_unique<BodyLimit>(
            m_options.maxBodyBytes, [this](const BodyLimit::Refusal &r) -> QByteArray {
                m_routes->countResponse(r.status);
                const ApiReply reply = ApiReply::error(r.message, r.status);
                return QByteArrayLiteral("HTTP/1.1 ") + QByteArray::number(r.status) + ' ' +
                       reasonPhrase(r.status) + QByteArrayLiteral("\r\nContent-Type: ") + reply.contentType +
                       QByteArrayLiteral("\r\nContent-Length: ") + QByteArray::number(reply.body.size()) +
                       QByteArrayLiteral("\r\nConnection: close\r\n\r\n") + reply.body;
            });
    }
    std::unique_ptr<QTcpServer> tcp;
    if (m_tls) {
        auto ssl = std::make_unique<GuardedServer<QSslServer>>(m_limit.get());
        ssl->setSslConfiguration(m_sslConfig);
        tcp = std::move(ssl);
    } else {
        tcp = std::make_unique<GuardedServer<QTcpServer>>(m_limit.get());
    }
    if (!tcp->listen(address, port)) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(address.toString())
                      .arg(port)
                      .arg(tcp->errorString());
        return 0;
    }
    const quint16 bound = tcp->serverPort();
    m_server->bind(tcp.release()); // parented to the server
    return bound;
}

} // namespace baricadr
