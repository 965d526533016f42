#include "api/httpapi.h"

#include "version.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonObject>

namespace baricadr {

HttpApi::HttpApi(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QHttpServer>())
{
    setupRoutes();
}

HttpApi::~HttpApi() = default;

void HttpApi::setupRoutes()
{
    m_server->route(QStringLiteral("/version"), QHttpServerRequest::Method::Get, [] {
        return QHttpServerResponse(QJsonObject{{QStringLiteral("version"), QLatin1String(BARICADR_VERSION)}});
    });
}

quint16 HttpApi::listen(const QHostAddress &address, quint16 port)
{
    const quint16 bound = m_server->listen(address, port);
    if (bound == 0)
        m_error = QStringLiteral("cannot listen on %1:%2").arg(address.toString()).arg(port);
    return bound;
}

} // namespace baricadr
