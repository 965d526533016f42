#pragma once

#include <QString>
#include <QStringList>

namespace baricadr {

// How rclone is run. Filled from Settings by the engine; defaults suit tests and small setups.
struct RcloneOptions
{
    QString program = QStringLiteral("rclone"); // path or name looked up in PATH
    int contimeoutSeconds = 10;                 // --contimeout: connecting to the remote
    int ioTimeoutSeconds = 30;                  // --timeout: idle I/O on an established connection
    int watchdogSeconds = 0;                    // our own limit for a whole run, 0 = none
    int killGraceMs = 3000;                     // cancel: SIGTERM, then SIGKILL after this
    QStringList extraFlags;                     // appended to every run (e.g. {"--bwlimit", "1M"})
    int niceIncrement = 0;                      // added to rclone's nice value (0..19): lower CPU priority
};

} // namespace baricadr
