#pragma once

#include "util/result.h"

#include <QString>

namespace baricadr::paths {

// Lexical normalisation with os.path.abspath semantics (what the original applied to every
// request path): a relative path is taken from `cwd` (default: the process's current dir),
// "//", "." and ".." are collapsed, a trailing "/" is dropped. Symlinks are not resolved.
// Refuses a NUL byte or an empty path.
Result<QString> normalize(const QString &path, const QString &cwd = QString());

// True when `path` is `root` or lies under it, compared by whole components:
// "/data/a" contains "/data/a" and "/data/a/x", never "/data/ab". Both must be normalised.
bool contains(const QString &root, const QString &path);

// `path` relative to `root` ("" when equal). Precondition: contains(root, path).
QString relative(const QString &root, const QString &path);

// Joins a normalised root and a relative path ("" gives root).
QString join(const QString &root, const QString &relative);

} // namespace baricadr::paths
