#pragma once

// Small helpers shared by the engine benchmarks (bench_load, bench_pull).

#include <QDir>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>

#include <cstdio>
#include <memory>

namespace baricadr::bench {

// An integer knob from the environment: its value when set and at least `minimum`, else `fallback`.
inline int envInt(const char *name, int fallback, int minimum)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v >= minimum ? v : fallback;
}

// One line of the benchmark's report, flushed at once.
inline void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// A single-quoted YAML scalar.
inline QString yamlQuote(QString s)
{
    return u'\'' + s.replace(u'\'', QStringLiteral("''")) + u'\'';
}

// The work directory: argv[1] (emptied) when given, else a temp dir named after the benchmark,
// kept when KEEP=1 (`tmp` owns it). Canonical, and announced on stdout.
inline QString workDir(int argc, char **argv, const QString &name, std::unique_ptr<QTemporaryDir> &tmp)
{
    QString work;
    if (argc > 1) {
        work = QFileInfo(QString::fromLocal8Bit(argv[1])).absoluteFilePath();
        QDir(work).removeRecursively();
        QDir().mkpath(work);
    } else {
        tmp = std::make_unique<QTemporaryDir>(QDir::tempPath() + u'/' + name + QStringLiteral("-XXXXXX"));
        tmp->setAutoRemove(qEnvironmentVariableIntValue("KEEP") == 0);
        work = tmp->path();
    }
    work = QFileInfo(work).canonicalFilePath();
    say(QStringLiteral("work dir %1").arg(work));
    return work;
}

} // namespace baricadr::bench
