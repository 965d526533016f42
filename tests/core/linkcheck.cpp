// Linked against baricadr_core with --no-as-needed, so `ldd` shows every library core pulls in.
// tests/core/CMakeLists.txt checks that none of them is Qt Gui, Widgets or HttpServer.
#include "util/paths.h"

int main()
{
    return baricadr::paths::normalize(QStringLiteral("/a/../b")).ok() ? 0 : 1;
}
