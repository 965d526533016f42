#pragma once

#include <QDateTime>
#include <QString>

namespace baricadr {

// One file a freeze removed: what an admin needs to audit the freeze and undo it (thaw).
// Written by the freezer right after each unlink; stored by the task store.
struct JournalEntry
{
    QString taskId;     // the freeze task
    QString repoRoot;   // repo the file belonged to
    QString relPath;    // repo-relative path of the removed file or symlink
    qint64 size = 0;    // local size at deletion
    qint64 mtimeNs = 0; // local mtime at deletion
    qint64 atimeNs = 0; // local atime at deletion (how cold it was)
    QString
        remoteLocation; // where the verified copy lives, without credentials (e.g. "sftp://host/prefix/rel")
    qint64 remoteSize = -1;
    qint64 remoteMtimeNs = 0;
    QString hash;       // "md5:…" when the freeze verified a checksum, else empty
    QDateTime frozenAt; // UTC
};

} // namespace baricadr
