#include "testenv.h"

#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>

namespace baricadr::test {

QString binaryDir()
{
    const QString env = qEnvironmentVariable("BARICADR_BINARY_DIR");
    return env.isEmpty() ? QStringLiteral(BARICADR_BINARY_DIR_DEFAULT) : env;
}

QString sourceDir()
{
    const QString env = qEnvironmentVariable("BARICADR_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(BARICADR_SOURCE_DIR_DEFAULT) : env;
}

QString baricadrExecutable()
{
    return binaryDir() + QStringLiteral("/headless/baricadr");
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

bool createSelfSignedCertificate(const QString &certFile, const QString &keyFile)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-keyout"), keyFile,
                   QStringLiteral("-out"), certFile, QStringLiteral("-days"), QStringLiteral("2"),
                   QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1")});
    return openssl.waitForFinished(60000) && openssl.exitStatus() == QProcess::NormalExit &&
           openssl.exitCode() == 0;
}

} // namespace baricadr::test
