#include "testtree.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QtDebug>

#include <cerrno>
#include <cmath>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace baricadr::test {

QStringList originalLayoutFiles()
{
    return {
        QStringLiteral("file.txt"),
        QStringLiteral("file2.txt"),
        QStringLiteral("subdir/subfile.txt"),
        QStringLiteral("subdir/subsubdir/poutrelle.tsv"),
        QStringLiteral("subdir/subsubdir/poutrelle.xml"),
        QStringLiteral("subdir/subsubdir/subsubfile.txt"),
        QStringLiteral("subdir/subsubdir2/poutrelle.xml"),
        QStringLiteral("subdir/subsubdir2/subsubfile.txt"),
        QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file"),
    };
}

bool writeFile(const QString &dir, const QString &relPath, const QByteArray &content)
{
    const QString full = dir + u'/' + relPath;
    if (!QDir().mkpath(QFileInfo(full).absolutePath())) {
        qWarning() << "cannot create parent of" << full;
        return false;
    }
    QFile f(full);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size()) {
        qWarning() << "cannot write" << full << f.errorString();
        return false;
    }
    return true;
}

bool createOriginalLayout(const QString &dir, bool danglingLinks)
{
    for (const QString &rel : originalLayoutFiles()) {
        if (!writeFile(dir, rel, "content of " + rel.toUtf8() + '\n'))
            return false;
    }
    if (danglingLinks) {
        const QByteArray rel = QFile::encodeName(dir + QStringLiteral("/subdir/rel_link"));
        const QByteArray abs = QFile::encodeName(dir + QStringLiteral("/subdir/abs_link"));
        ::unlink(rel.constData());
        ::unlink(abs.constData());
        if (::symlink("does/not/exist", rel.constData()) != 0 ||
            ::symlink("/does/not/exist", abs.constData()) != 0) {
            qWarning() << "cannot create symlinks in" << dir << strerror(errno);
            return false;
        }
    }
    return true;
}

static timespec toTimespec(double seconds)
{
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(std::floor(seconds));
    ts.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
    return ts;
}

bool setTimes(const QString &path, double atime, double mtime)
{
    const timespec times[2] = {toTimespec(atime), toTimespec(mtime)};
    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) != 0) {
        qWarning() << "utimensat" << path << strerror(errno);
        return false;
    }
    return true;
}

bool setAtimeDaysAgo(const QString &path, double daysAgo)
{
    timespec times[2];
    times[0] = toTimespec(static_cast<double>(std::time(nullptr)) - daysAgo * 86400.0);
    times[1].tv_sec = 0;
    times[1].tv_nsec = UTIME_OMIT;
    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) != 0) {
        qWarning() << "utimensat" << path << strerror(errno);
        return false;
    }
    return true;
}

bool ageTree(const QString &dir, double daysAgo)
{
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (!setAtimeDaysAgo(it.next(), daysAgo))
            return false;
    }
    return true;
}

QByteArray readFileNoAtime(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    int fd = ::open(native.constData(), O_RDONLY | O_NOATIME | O_CLOEXEC);
    if (fd < 0 && errno == EPERM) // O_NOATIME needs ownership or CAP_FOWNER
        fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return QByteArray();
    QByteArray data;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            ::close(fd);
            return QByteArray();
        }
        if (n == 0)
            break;
        data.append(buf, n);
    }
    ::close(fd);
    if (data.isNull())
        data = QByteArray("");
    return data;
}

} // namespace baricadr::test
