#pragma once

#include <QString>

namespace baricadr {

// A local file or symlink as lstat() saw it. Times in nanoseconds since the epoch.
struct LocalEntry
{
    QString relPath; // repo-relative, '/'-separated, no leading '/'
    qint64 size = 0;
    qint64 mtimeNs = 0;
    qint64 atimeNs = 0;
    // Last status change (chmod, chown, rename, link count, write). A freeze keeps a file whose
    // ctime moved since planning.
    qint64 ctimeNs = 0;
    quint64 inode = 0;
    quint64 device = 0;
    bool isSymlink = false;
    bool isSpecial = false; // neither a regular file nor a symlink (fifo, socket, device): never frozen
};

// A remote object as rclone listed it. Symlinks stored as "name.rclonelink" are reported
// under the link's name with isSymlink set.
struct RemoteEntry
{
    QString relPath;  // repo-relative (rclone Path, '.rclonelink' removed when isSymlink)
    qint64 size = -1; // -1 when the backend does not know
    qint64 mtimeNs = 0;
    QString hash;     // empty unless asked for and supported
    QString hashType; // "md5", "sha1", …
    bool isSymlink = false;
    bool isDir = false;
};

} // namespace baricadr
