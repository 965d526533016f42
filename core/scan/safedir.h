#pragma once

#include <QByteArray>
#include <QString>

namespace baricadr {

// File descriptors that close themselves.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd)
        : m_fd(fd)
    {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd &&o) noexcept
        : m_fd(o.release())
    {}
    UniqueFd &operator=(UniqueFd &&o) noexcept
    {
        if (this != &o)
            reset(o.release());
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// Opens the repo root itself (O_DIRECTORY | O_NOFOLLOW: a root swapped for a symlink is refused).
UniqueFd openRoot(const QString &root);

// Opens the repo-relative directory `relDir` ("" = the root) below `rootFd`, one component at a
// time with openat(O_DIRECTORY | O_NOFOLLOW), so no symlinked component (even one swapped in a
// moment ago) can lead outside the repo. "", "." and ".." components are refused (EINVAL).
// On failure returns an invalid fd and leaves errno set.
UniqueFd openDirBeneath(int rootFd, const QString &relDir);

// Splits "a/b/c" into ("a/b", "c"); ("", "c") for "c".
void splitParent(const QString &relPath, QString *parent, QString *name);

// errno in plain words ("Permission denied").
QString errnoText(int err);

} // namespace baricadr
