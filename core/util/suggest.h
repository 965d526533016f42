#pragma once

#include <QString>
#include <QStringList>

namespace baricadr {

// Levenshtein distance between two names.
int editDistance(const QString &a, const QString &b);

// The name of `names` closest to `word` (case-insensitive) within `maxDistance` edits, for a
// "did you mean" on typos such as "freezeable" or "dryrun"; empty when none is that close.
QString closestName(const QString &word, const QStringList &names, int maxDistance = 2);

} // namespace baricadr
