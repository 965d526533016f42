#include "repo/filesystem.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace baricadr {

QString toString(AtimeMode mode)
{
    switch (mode) {
    case AtimeMode::Strict:
        return QStringLiteral("strictatime");
    case AtimeMode::Relatime:
        return QStringLiteral("relatime");
    case AtimeMode::NoAtime:
        return QStringLiteral("noatime");
    case AtimeMode::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

namespace {

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

// The deepest existing ancestor of `path`, resolved (so a path about to be created still tells
// which filesystem it will live on).
QString existingCanonical(const QString &path)
{
    QString p = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    for (int guard = 0; guard < 4096; ++guard) {
        QString canonical = QFileInfo(p).canonicalFilePath();
        if (!canonical.isEmpty())
            return canonical;
        if (p == u"/" || p.isEmpty())
            break;
        p = QFileInfo(p).path();
    }
    return QStringLiteral("/");
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
QString unescapeMountField(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field.at(i) == '\\' && i + 3 < field.size() && field.at(i + 1) >= '0' && field.at(i + 1) <= '3') {
            bool ok = false;
            const int v = field.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out.append(char(v));
                i += 3;
                continue;
            }
        }
        out.append(field.at(i));
    }
    return QFile::decodeName(out);
}

AtimeMode atimeFromOptions(const QString &options)
{
    const QStringList opts = options.split(u',');
    if (opts.contains(QStringLiteral("noatime")))
        return AtimeMode::NoAtime;
    if (opts.contains(QStringLiteral("relatime")))
        return AtimeMode::Relatime;
    return AtimeMode::Strict; // the kernel shows strictatime as neither option
}

bool pathUnder(const QString &mountPoint, const QString &path)
{
    if (mountPoint == u"/")
        return true;
    return path == mountPoint || path.startsWith(mountPoint + u'/');
}

// Removes the atime probe file whatever happens.
struct UnlinkGuard
{
    QByteArray path;
    ~UnlinkGuard()
    {
        if (!path.isEmpty())
            ::unlink(path.constData());
    }
};

} // namespace

std::optional<MountInfo> findMount(const QString &path)
{
    QFile file(QStringLiteral("/proc/self/mountinfo"));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QString target = existingCanonical(path);
    std::optional<MountInfo> best;
    // Later lines are mounted over earlier ones: on equal mount points the last one wins.
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(' ');
        const qsizetype dash = fields.indexOf(QByteArrayLiteral("-"));
        if (fields.size() < 6 || dash < 6 || dash + 1 >= fields.size())
            continue;
        const QString mountPoint = unescapeMountField(fields.at(4));
        if (!pathUnder(mountPoint, target))
            continue;
        if (best && best->mountPoint.size() > mountPoint.size())
            continue;
        MountInfo info;
        info.mountPoint = mountPoint;
        info.options = QString::fromLatin1(fields.at(5));
        info.fsType = QString::fromLatin1(fields.at(dash + 1));
        info.atime = atimeFromOptions(info.options);
        best = info;
    }
    return best;
}

AtimeMode detectAtimeMode(const QString &path)
{
    if (const auto mount = findMount(path))
        return mount->atime;
    struct statvfs st;
    if (::statvfs(QFile::encodeName(existingCanonical(path)).constData(), &st) != 0)
        return AtimeMode::Unknown;
    if (st.f_flag & ST_NOATIME)
        return AtimeMode::NoAtime;
    if (st.f_flag & ST_RELATIME)
        return AtimeMode::Relatime;
    return AtimeMode::Strict;
}

Status testAtimeUpdates(const QString &dir)
{
    const auto fail = [&](const QString &what) {
        return Error(ErrorCode::Io, QStringLiteral("atime test in %1: %2").arg(dir, what));
    };
    QByteArray templ = QFile::encodeName(dir) + "/.baricadr-atime-test-XXXXXX";
    const int fd = ::mkstemp(templ.data());
    if (fd < 0)
        return fail(QStringLiteral("cannot create a test file: %1").arg(errnoText(errno)));
    UnlinkGuard guard{templ};
    static const char content[] = "baricadr checks that reading a file updates its last access time\n";
    const ssize_t written = ::write(fd, content, sizeof content - 1);
    const int writeErr = errno;
    ::close(fd);
    if (written != ssize_t(sizeof content - 1))
        return fail(QStringLiteral("cannot write a test file: %1").arg(errnoText(writeErr)));

    // atime two days back and newer than mtime: even relatime must update it on the next read.
    const time_t now = ::time(nullptr);
    const time_t oldAtime = now - 2 * 24 * 3600;
    const timespec times[2] = {{oldAtime, 0}, {now - 3 * 24 * 3600, 0}};
    if (::utimensat(AT_FDCWD, templ.constData(), times, 0) != 0)
        return fail(QStringLiteral("cannot set the times of a test file: %1").arg(errnoText(errno)));

    const int rfd = ::open(templ.constData(), O_RDONLY | O_CLOEXEC);
    if (rfd < 0)
        return fail(QStringLiteral("cannot read back the test file: %1").arg(errnoText(errno)));
    char buffer[64];
    const ssize_t got = ::read(rfd, buffer, sizeof buffer);
    const int readErr = errno;
    ::close(rfd);
    if (got <= 0)
        return fail(QStringLiteral("cannot read back the test file: %1").arg(errnoText(readErr)));

    struct stat st;
    if (::stat(templ.constData(), &st) != 0)
        return fail(QStringLiteral("cannot stat the test file: %1").arg(errnoText(errno)));
    if (st.st_atim.tv_sec > oldAtime + 3600)
        return {};

    const auto mount = findMount(dir);
    const QString where =
        mount ? QStringLiteral(" (filesystem %1 mounted with \"%2\")").arg(mount->mountPoint, mount->options)
              : QString();
    return Error(
        ErrorCode::Config,
        QStringLiteral("reading a file in %1 does not update its last access time%2: a freezable repository "
                       "needs atime updates (remount with relatime or strictatime, not noatime), or set "
                       "disable_atime_test: true if access times are maintained otherwise")
            .arg(dir, where));
}

Result<FsUsage> filesystemUsage(const QString &path)
{
    struct statvfs st;
    if (::statvfs(QFile::encodeName(path).constData(), &st) != 0)
        return Error(
            ErrorCode::Io,
            QStringLiteral("cannot read the filesystem usage of %1: %2").arg(path, errnoText(errno)));
    FsUsage u;
    const qint64 frsize = qint64(st.f_frsize ? st.f_frsize : st.f_bsize);
    u.total = qint64(st.f_blocks) * frsize;
    u.available = qint64(st.f_bavail) * frsize;
    u.used = qint64(st.f_blocks - st.f_bfree) * frsize;
    const qint64 denominator = u.used + u.available;
    u.usedPercent = denominator > 0 ? 100.0 * double(u.used) / double(denominator) : 0.0;
    return u;
}

} // namespace baricadr
