#include "scan/safedir.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace baricadr {

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
}

UniqueFd openRoot(const QString &root)
{
    return UniqueFd(
        ::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
}

UniqueFd openDirBeneath(int rootFd, const QString &relDir)
{
    UniqueFd cur(::fcntl(rootFd, F_DUPFD_CLOEXEC, 0));
    if (!cur.valid() || relDir.isEmpty())
        return cur;
    const QByteArray encoded = QFile::encodeName(relDir);
    qsizetype start = 0;
    while (start <= encoded.size()) {
        qsizetype end = encoded.indexOf('/', start);
        if (end < 0)
            end = encoded.size();
        const QByteArray comp = encoded.mid(start, end - start);
        if (comp.isEmpty() || comp == "." || comp == "..") {
            errno = EINVAL;
            return UniqueFd();
        }
        UniqueFd next(::openat(cur.get(), comp.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid())
            return UniqueFd(); // errno from openat: ELOOP/ENOTDIR for a symlinked component
        cur = std::move(next);
        start = end + 1;
    }
    return cur;
}

void splitParent(const QString &relPath, QString *parent, QString *name)
{
    const qsizetype slash = relPath.lastIndexOf(u'/');
    if (slash < 0) {
        *parent = QString();
        *name = relPath;
    } else {
        *parent = relPath.left(slash);
        *name = relPath.mid(slash + 1);
    }
}

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

} // namespace baricadr
