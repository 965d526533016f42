// The repos.yml loader must turn any bytes into a config or a clear error, never a crash.
#include "config/reposloader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    baricadr::ReposLoadOptions options;
    options.createMissingDirs = false; // no side effects on the machine running the fuzzer
    options.testAtime = false;
    options.checkFiles = false;
    const QByteArray yaml(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const auto result = baricadr::loadReposText(yaml, QStringLiteral("fuzz.yml"), options);
    if (!result.ok() && result.error().message.isEmpty())
        __builtin_trap(); // an error must always say what is wrong
    return 0;
}
