#pragma once

#include <QHostAddress>
#include <QObject>

#include <memory>

class QHttpServer;

namespace baricadr {

// The REST API. The only class (with its .cpp) that touches QHttpServer, whose API changes in 6.8.
class HttpApi : public QObject
{
    Q_OBJECT
public:
    explicit HttpApi(QObject *parent = nullptr);
    ~HttpApi() override;

    // Returns the bound port, or 0 on failure (errorString() says why).
    quint16 listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_error; }

private:
    void setupRoutes();

    std::unique_ptr<QHttpServer> m_server;
    QString m_error;
};

} // namespace baricadr
