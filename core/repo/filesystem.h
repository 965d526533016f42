#pragma once

#include "util/result.h"

#include <QString>

#include <optional>

namespace baricadr {

// How the filesystem holding a path updates last-access times.
enum class AtimeMode
{
    Strict,   // every read updates atime ("strictatime")
    Relatime, // a read updates atime only when it is older than mtime/ctime or than 24 h
    NoAtime,  // reads never update atime: last access cannot be known
    Unknown,
};

// "strictatime", "relatime", "noatime", "unknown" (the names of the mount options).
// Note for tests: this overload hides QTest::toString for AtimeMode, so QCOMPARE two AtimeMode
// values through toString() (QCOMPARE(toString(a), toString(b))) or as ints.
QString toString(AtimeMode mode);

// The mount holding a path, from /proc/self/mountinfo (longest mount point containing it).
struct MountInfo
{
    QString mountPoint;
    QString fsType;
    QString options; // per-mount options, e.g. "rw,relatime"
    AtimeMode atime = AtimeMode::Unknown;
};
std::optional<MountInfo> findMount(const QString &path);

// The atime mode of the filesystem holding `path`: /proc/self/mountinfo when readable,
// otherwise statvfs() f_flag (ST_NOATIME, ST_RELATIME; neither means strictatime).
AtimeMode detectAtimeMode(const QString &path);

// Really checks that reading a file in `dir` moves its atime: writes a hidden temp file, sets its
// atime two days back, reads it, checks the atime moved, removes it. Errors name the dir and
// the mount option to blame.
Status testAtimeUpdates(const QString &dir);

// Space of the filesystem holding `path` (for watermark freezes). `used` counts blocks in use
// (total - free); `usedPercent` is what df shows: used / (used + available) * 100.
struct FsUsage
{
    qint64 total = 0;
    qint64 available = 0;
    qint64 used = 0;
    double usedPercent = 0;
};
Result<FsUsage> filesystemUsage(const QString &path);

} // namespace baricadr
