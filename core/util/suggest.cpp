#include "util/suggest.h"

#include <algorithm>
#include <vector>

namespace baricadr {

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> prev(size_t(b.size() + 1)), cur(size_t(b.size() + 1));
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            cur[size_t(j)] =
                std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, prev[size_t(j - 1)] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[size_t(b.size())];
}

QString closestName(const QString &word, const QStringList &names, int maxDistance)
{
    // Long words are not compared letter by letter (quadratic): nobody mistypes a field that much.
    if (word.size() > 64)
        return QString();
    const QString lower = word.toLower();
    QString best;
    int bestDistance = maxDistance + 1;
    for (const QString &name : names) {
        const int d = editDistance(lower, name);
        if (d < bestDistance) {
            bestDistance = d;
            best = name;
        }
    }
    return best;
}

} // namespace baricadr
