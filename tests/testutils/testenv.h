#pragma once

#include <QString>

namespace baricadr::test {

// Where the build put its executables (for tests that start `baricadr serve`).
QString binaryDir();
QString sourceDir();
QString baricadrExecutable();

// A TCP port on 127.0.0.1 that was free a moment ago.
quint16 freeLoopbackPort();

} // namespace baricadr::test
