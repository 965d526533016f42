#pragma once

#include <QStringList>

class QCoreApplication;

namespace baricadr {

// `baricadr serve [--listen HOST:PORT] [--config FILE]`: the REST service. Returns the exit code.
int runServe(QCoreApplication &app, const QStringList &args);

// `baricadr check-config [FILE]`: loads the settings and repos.yml as serve would (without
// creating anything), prints a summary or the exact errors. Returns the exit code.
int runCheckConfig(const QStringList &args);

} // namespace baricadr
