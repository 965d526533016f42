#include "notify/humansize.h"

#include <array>

namespace baricadr {

QString humanSize(qint64 bytes, int decimals)
{
    static constexpr std::array<const char *, 6> kUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double size = double(bytes);
    size_t unit = 0;
    while (unit + 1 < kUnits.size() && (size >= 1024.0 || size <= -1024.0)) {
        size /= 1024.0;
        ++unit;
    }
    return QString::number(size, 'f', decimals) + QLatin1Char(' ') + QLatin1String(kUnits[unit]);
}

} // namespace baricadr
