#pragma once

#include <QStringList>

namespace baricadr {

// The admin commands that talk to a running service (pull, freeze, preview, list, tree, task,
// pin, unpin, verify, repos, zombie). `command` is the first word; `args` starts with the
// program name. Returns the exit code: 0 ok, 1 failed (server refused, task failed), 2 usage.
bool isClientCommand(const QString &command);
int runClientCommand(const QString &command, const QStringList &args);

// One line per client command for the top-level --help.
QString clientCommandsHelp();

} // namespace baricadr
