#pragma once

#include <QString>

namespace baricadr::test {

// Where the build put its executables (for tests that start `baricadr serve`).
QString binaryDir();
QString sourceDir();
QString baricadrExecutable();

// A TCP port on 127.0.0.1 that was free a moment ago.
quint16 freeLoopbackPort();

// Writes a fresh self-signed certificate for 127.0.0.1 (CN and subjectAltName) and its
// unencrypted key, with the real `openssl req -x509`. True on success.
bool createSelfSignedCertificate(const QString &certFile, const QString &keyFile);

} // namespace baricadr::test
