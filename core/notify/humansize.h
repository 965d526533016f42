#pragma once

#include <QString>

namespace baricadr {

// "1.20 GiB": binary units B, KiB, MiB, GiB, TiB, PiB with `decimals` places, as the original
// Baricadr wrote sizes in its mails (human_readable_size).
QString humanSize(qint64 bytes, int decimals = 2);

} // namespace baricadr
