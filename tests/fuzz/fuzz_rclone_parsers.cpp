// rclone's output is parsed line by line; any line (truncated JSON, garbage, huge numbers) must
// be classified, never crash.
#include "rclone/parsers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    QStringList stderrLines;
    for (const QByteArray &line : bytes.split('\n')) {
        const auto ls = baricadr::rclone::parseLsjsonLine(line, true);
        if (ls.kind == baricadr::rclone::LsjsonLine::Kind::Entry && ls.entry.relPath.isNull())
            __builtin_trap();
        (void)baricadr::rclone::parseLogLine(line);
        (void)baricadr::rclone::parseRfc3339Ns(QString::fromUtf8(line));
        stderrLines.append(QString::fromUtf8(line));
    }
    const auto error = baricadr::rclone::classifyFailure(1, stderrLines, QStringLiteral("listing fuzz"));
    if (error.message.isEmpty())
        __builtin_trap();
    return 0;
}
