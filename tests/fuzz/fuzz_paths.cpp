// The path normaliser and the containment rules are the fence that keeps every action inside a
// repo: check their invariants on arbitrary input.
#include "util/paths.h"

#include <QStringList>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString input =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto normalised = baricadr::paths::normalize(input, QStringLiteral("/srv/cwd"));
    if (!normalised.ok())
        return 0;
    const QString &p = normalised.value();
    // Absolute, no empty, "." or ".." component, no trailing slash (except "/").
    if (!p.startsWith(u'/') || p.contains(QLatin1String("//")) || (p.size() > 1 && p.endsWith(u'/')))
        __builtin_trap();
    const QStringList parts = p.split(u'/', Qt::SkipEmptyParts);
    for (const QString &part : parts)
        if (part == QLatin1String(".") || part == QLatin1String(".."))
            __builtin_trap();
    // Idempotent.
    const auto again = baricadr::paths::normalize(p);
    if (!again.ok() || again.value() != p)
        __builtin_trap();
    // A repo root contains the path iff joining the relative part gives the path back.
    const QString root = QStringLiteral("/data/repo");
    if (baricadr::paths::contains(root, p)) {
        if (baricadr::paths::join(root, baricadr::paths::relative(root, p)) != p)
            __builtin_trap();
    } else if (p.startsWith(root + u'/') || p == root) {
        __builtin_trap();
    }
    return 0;
}
