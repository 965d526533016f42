#pragma once

// Small synchronous HTTP helpers for the API tests (real sockets, real server).

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

namespace baricadr::test {

struct HttpAnswer
{
    int status = 0; // 0 = no HTTP answer (see error)
    QByteArray body;
    QJsonValue json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QString error;

    QJsonObject object() const { return json.toObject(); }
    QJsonArray array() const { return json.toArray(); }
    QString errorText() const { return object().value(QStringLiteral("error")).toString(); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        return {};
    }
};

class HttpTester
{
public:
    explicit HttpTester(QString base)
        : m_base(std::move(base))
    {}
    void setAuthorization(const QByteArray &value) { m_auth = value; }
    void setBasic(const QByteArray &user, const QByteArray &password)
    {
        m_auth = "Basic " + QByteArray(user + ':' + password).toBase64();
    }
    void trust(const QList<QSslCertificate> &certs) { m_ca = certs; }
    QString base() const { return m_base; }

    // Raw body (sent as is, with Content-Type: application/json).
    HttpAnswer raw(const QByteArray &method, const QString &path, const QByteArray &body = QByteArray(),
                   int timeoutMs = 30000)
    {
        QNetworkRequest request{QUrl(m_base + path)};
        if (!body.isNull())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!m_auth.isEmpty())
            request.setRawHeader("Authorization", m_auth);
        if (!m_ca.isEmpty()) {
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
            ssl.addCaCertificates(m_ca);
            request.setSslConfiguration(ssl);
        }
        // HEAD through head(): as a custom verb QNetworkAccessManager would wait for the body the
        // Content-Length announces.
        QNetworkReply *reply =
            method == "HEAD" ? m_nam.head(request) : m_nam.sendCustomRequest(request, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        HttpAnswer a;
        if (!reply->isFinished()) {
            reply->abort();
            a.error = QStringLiteral("timeout");
        }
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        a.headers = reply->rawHeaderPairs();
        if (a.status == 0)
            a.error = reply->errorString();
        const QJsonDocument doc = QJsonDocument::fromJson(a.body);
        a.json = doc.isArray()    ? QJsonValue(doc.array())
                 : doc.isObject() ? QJsonValue(doc.object())
                                  : QJsonValue();
        reply->deleteLater();
        return a;
    }

    HttpAnswer get(const QString &path) { return raw("GET", path); }
    HttpAnswer post(const QString &path, const QJsonObject &body = {})
    {
        return raw("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

private:
    QString m_base;
    QByteArray m_auth;
    QList<QSslCertificate> m_ca;
    QNetworkAccessManager m_nam;
};

} // namespace baricadr::test
