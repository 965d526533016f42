#include "testenv.h"

#include <QHostAddress>
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

} // namespace baricadr::test
