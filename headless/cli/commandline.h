#pragma once

#include <QStringList>

namespace baricadr {

// Entry point of the `baricadr` executable: dispatches `serve` and the admin commands.
// Returns the process exit code.
int runCommandLine(int argc, char **argv);

} // namespace baricadr
