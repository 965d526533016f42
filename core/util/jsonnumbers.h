#pragma once

#include <QJsonValue>
#include <QtGlobal>

#include <cmath>

namespace baricadr::json {

// A JSON number as qint64, or `fallback` when it is not a number, not finite or outside
// qint64's range. JSON read from rclone, a client or a file is never trusted: casting 1e90
// or NaN to an integer is undefined behaviour, not just a wrong value. Fractions are
// truncated towards zero.
inline qint64 toInt64(const QJsonValue &v, qint64 fallback)
{
    if (!v.isDouble())
        return fallback;
    const double d = v.toDouble();
    // 2^63 is exactly representable as a double; every finite double below it fits.
    constexpr double kLimit = 9223372036854775808.0;
    if (!std::isfinite(d) || d >= kLimit || d < -kLimit)
        return fallback;
    return static_cast<qint64>(d);
}

} // namespace baricadr::json
