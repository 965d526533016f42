#pragma once

#include <QString>

namespace baricadr::test {

// A small ext4 filesystem in a file, loop-mounted with the given options (e.g. "noatime",
// "strictatime", "relatime"): for atime and disk-full tests. Needs root; `available()` says why
// not otherwise (use it for QSKIP). Unmounted (lazily if busy) and deleted by the destructor,
// so a failing test leaves no mount behind. Tools run through QProcess with argument lists.
class LoopMount
{
public:
    LoopMount() = default;
    ~LoopMount();
    LoopMount(const LoopMount &) = delete;
    LoopMount &operator=(const LoopMount &) = delete;

    // Empty when loop mounts can be made here, otherwise the reason.
    static QString unavailableReason();

    // Creates `workDir`/img (sizeMiB) and mounts it on `workDir`/mnt. Returns false (with
    // errorString()) on any failure, leaving nothing mounted.
    bool mount(const QString &workDir, const QString &options, int sizeMiB = 16);
    bool unmount();

    QString mountPoint() const { return m_mountPoint; }
    bool isMounted() const { return m_mounted; }
    QString errorString() const { return m_error; }

private:
    bool run(const QString &program, const QStringList &args);

    QString m_image;
    QString m_mountPoint;
    QString m_error;
    bool m_mounted = false;
};

} // namespace baricadr::test
