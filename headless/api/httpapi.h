#pragma once

#include "util/result.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <memory>

class QHttpServer;

namespace baricadr {

class ApiRoutes;
class Authenticator;
class BodyLimit;
class BaricadrService;

struct HttpApiOptions
{
    QString htpasswdFile; // HTTP Basic users (bcrypt); empty = none
    QString tokensFile;   // bearer tokens; empty = none
    QString tlsCertFile;  // PEM; with tlsKeyFile: HTTPS
    QString tlsKeyFile;
    qint64 maxBodyBytes = 1024 * 1024; // larger request bodies get 413
};

// The REST API server. This class (httpapi.cpp) is the only code that touches QHttpServer, whose
// API changes in Qt 6.8: it turns each request into an ApiRequest for ApiRoutes and writes the
// ApiReply back, checking on the way the body size and (when configured) the credentials.
//
// QHttpServer 6.4 crashes when a reply is written after the client has gone. Every reply here
// goes through one function that holds the responder and a QPointer to its socket, and drops the
// reply when the socket is gone, so handlers may answer later (listings, previews) safely.
class HttpApi : public QObject
{
    Q_OBJECT
public:
    // `service` may be null (only /version, /health, /endpoints then answer).
    explicit HttpApi(BaricadrService *service = nullptr, QObject *parent = nullptr);
    ~HttpApi() override;

    // Loads the auth files and the TLS certificate/key. Errors name the file (ErrorCode::Config).
    Status configure(const HttpApiOptions &options);

    // Returns the bound port, or 0 on failure (errorString() says why).
    quint16 listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_error; }

    bool authEnabled() const;
    bool tlsEnabled() const { return m_tls; }

private:
    std::unique_ptr<QHttpServer> m_server;
    std::unique_ptr<ApiRoutes> m_routes;
    std::unique_ptr<Authenticator> m_auth;
    std::unique_ptr<BodyLimit> m_limit;
    QSslConfiguration m_sslConfig;
    HttpApiOptions m_options;
    bool m_tls = false;
    QString m_error;
};

} // namespace baricadr
