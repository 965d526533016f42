#pragma once

#include <QString>

namespace baricadr::tempfiles {

// A QTemporaryFile template in the temporary directory, named after this process:
// "<tmp>/baricadr-<pid>-<what>-XXXXXX". The pid lets a later start tell the files a killed
// process left (its lists of files to pull or to look up) from those of a live one.
QString templateFor(const QString &what);

// Removes the files of templateFor() left by processes that no longer run (a service killed with
// SIGKILL cannot remove its own). Files of live processes are never touched. Returns how many
// were removed.
int removeLeftovers();

} // namespace baricadr::tempfiles
