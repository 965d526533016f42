#include "client/apiclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>

namespace baricadr {

ApiClient::ApiClient(const ClientConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_nam(new QNetworkAccessManager(this))
{
    if (!m_config.caFile.isEmpty()) {
        m_trusted = QSslCertificate::fromPath(m_config.caFile, QSsl::Pem);
        if (m_trusted.isEmpty())
            m_setupError = QStringLiteral("%1: no PEM certificate found (ca_file)").arg(m_config.caFile);
    }
}

ApiClient::~ApiClient() = default;

QFuture<Result<ApiClient::Reply>> ApiClient::send(const QByteArray &method, const QString &path,
                                                  const QJsonValue &body, const QUrlQuery &query)
{
    auto promise = std::make_shared<QPromise<Result<Reply>>>();
    QFuture<Result<Reply>> future = promise->future();
    promise->start();
    if (!m_setupError.isEmpty()) {
        promise->addResult(Error(ErrorCode::Config, m_setupError));
        promise->finish();
        return future;
    }

    QUrl url = m_config.server;
    QString base = url.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("Accept", "application/json");
    if (!m_config.token.isEmpty()) {
        request.setRawHeader("Authorization", "Bearer " + m_config.token.toUtf8());
    } else if (!m_config.user.isEmpty()) {
        request.setRawHeader(
            "Authorization",
            "Basic " + QByteArray(m_config.user.toUtf8() + ':' + m_config.password.toUtf8()).toBase64());
    }
    if (!m_trusted.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_trusted);
        request.setSslConfiguration(ssl);
    }
    QByteArray data;
    if (!body.isUndefined()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        data = body.isObject()  ? QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact)
               : body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                                : QByteArray();
    }
    QNetworkReply *reply = m_nam->sendCustomRequest(request, method, data);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply] { reply->abort(); });
    timer->start(m_timeoutMs);
    const QString server = m_config.server.toString(QUrl::RemoveUserInfo);
    connect(reply, &QNetworkReply::finished, this, [reply, promise, server, timer] {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid()) {
            const QString why =
                timer->isActive() ? reply->errorString() : QStringLiteral("no answer in time");
            promise->addResult(
                Error(ErrorCode::RemoteUnreachable,
                      QStringLiteral("Cannot reach the Baricadr service at %1: %2").arg(server, why)));
            promise->finish();
            return;
        }
        Reply r;
        r.status = status.toInt();
        r.body = reply->readAll();
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parseError);
        if (parseError.error == QJsonParseError::NoError)
            r.json = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        else
            r.json = QJsonValue(QJsonValue::Undefined);
        promise->addResult(std::move(r));
        promise->finish();
    });
    return future;
}

Error ApiClient::errorFromReply(const Reply &reply)
{
    ErrorCode code = ErrorCode::Internal;
    switch (reply.status) {
    case 400:
        code = ErrorCode::InvalidInput;
        break;
    case 401:
    case 403:
        code = ErrorCode::Unauthorized;
        break;
    case 404:
        code = ErrorCode::NotFound;
        break;
    case 409:
        code = ErrorCode::Conflict;
        break;
    case 502:
    case 503:
        code = ErrorCode::RemoteUnreachable;
        break;
    case 504:
        code = ErrorCode::Timeout;
        break;
    default:
        break;
    }
    QString message = reply.json.toObject().value(QStringLiteral("error")).toString();
    if (message.isEmpty())
        message = QStringLiteral("HTTP %1 from the server").arg(reply.status);
    return Error(code, message);
}

QFuture<Result<QJsonValue>> ApiClient::call(const QByteArray &method, const QString &path,
                                            const QJsonValue &body, const QUrlQuery &query)
{
    return send(method, path, body, query).then([](const Result<Reply> &r) -> Result<QJsonValue> {
        if (!r.ok())
            return r.error();
        if (r->status < 200 || r->status >= 300)
            return errorFromReply(*r);
        if (r->json.isUndefined())
            return Error(
                ErrorCode::Internal,
                QStringLiteral("The server answered HTTP %1 with a body that is not JSON").arg(r->status));
        return r->json;
    });
}

} // namespace baricadr
