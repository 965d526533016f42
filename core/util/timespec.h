#pragma once

#include <QtGlobal>

#include <ctime>

namespace baricadr {

// A POSIX time (stat's st_mtim, clock_gettime) as nanoseconds since the epoch: the unit every
// mtime and atime in the engine is kept in.
inline qint64 toNs(const timespec &ts)
{
    return qint64(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

} // namespace baricadr
