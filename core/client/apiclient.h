#pragma once

#include "client/clientconfig.h"
#include "util/result.h"

#include <QFuture>
#include <QJsonValue>
#include <QObject>
#include <QUrlQuery>

#include <memory>

class QNetworkAccessManager;
class QSslCertificate;

namespace baricadr {

// Talks to a running `baricadr serve` over HTTP(S): JSON in, JSON out, credentials from a
// ClientConfig (HTTP Basic, or a bearer token). Lives on the thread that created it; futures
// finish there.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    struct Reply
    {
        int status = 0;  // HTTP status
        QJsonValue json; // parsed body (undefined when the body was not JSON)
        QByteArray body;
    };

    explicit ApiClient(const ClientConfig &config, QObject *parent = nullptr);
    ~ApiClient() override;

    const ClientConfig &config() const { return m_config; }
    void setTimeout(int msecs) { m_timeoutMs = msecs; }

    // One request. Fails only when no HTTP answer came (connection refused, TLS error, timeout):
    // the error names the server. Any HTTP status is a successful Reply.
    QFuture<Result<Reply>> send(const QByteArray &method, const QString &path,
                                const QJsonValue &body = QJsonValue(QJsonValue::Undefined),
                                const QUrlQuery &query = QUrlQuery());

    // As send(), but a non-2xx answer becomes an Error carrying the server's "error" text and a
    // code from the status (400 InvalidInput, 401 Unauthorized, 404 NotFound, 409 Conflict, …).
    QFuture<Result<QJsonValue>> call(const QByteArray &method, const QString &path,
                                     const QJsonValue &body = QJsonValue(QJsonValue::Undefined),
                                     const QUrlQuery &query = QUrlQuery());

    static Error errorFromReply(const Reply &reply);

private:
    ClientConfig m_config;
    QNetworkAccessManager *m_nam;
    QList<QSslCertificate> m_trusted;
    QString m_setupError;
    int m_timeoutMs = 120000;
};

} // namespace baricadr
