#include "util/tempfiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>
#include <limits>
#include <sys/types.h>

namespace baricadr::tempfiles {

QString templateFor(const QString &what)
{
    return QDir::tempPath() +
           QStringLiteral("/baricadr-%1-%2-XXXXXX").arg(QCoreApplication::applicationPid()).arg(what);
}

int removeLeftovers()
{
    static const QRegularExpression name(QStringLiteral("^baricadr-(\\d+)-[a-z-]+-[A-Za-z0-9]{6}$"));
    const QDir dir(QDir::tempPath());
    int removed = 0;
    for (const QString &file : dir.entryList({QStringLiteral("baricadr-*")}, QDir::Files | QDir::Hidden)) {
        const QRegularExpressionMatch m = name.match(file);
        if (!m.hasMatch())
            continue;
        bool ok = false;
        const qint64 pid = m.captured(1).toLongLong(&ok);
        if (!ok || pid <= 0 || pid == QCoreApplication::applicationPid() ||
            pid > std::numeric_limits<pid_t>::max())
            continue;
        // Gone only when the kernel says so (EPERM: alive, someone else's).
        if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH)
            continue;
        if (QFile::remove(dir.filePath(file)))
            ++removed;
    }
    return removed;
}

} // namespace baricadr::tempfiles
