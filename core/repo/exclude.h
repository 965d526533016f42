#pragma once

#include "repo/repoconfig.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace baricadr {

// Python fnmatch.fnmatch semantics on Linux (what the original applied to the full local path):
// case-sensitive; '*' matches any run of characters including '/'; '?' any one character;
// "[seq]" one character of seq (ranges a-z allowed, ']' first is literal), "[!seq]" one not in seq;
// an unclosed '[' is a literal; no backslash escapes. The whole string must match.
class GlobPattern
{
public:
    explicit GlobPattern(const QString &pattern);
    bool matches(QStringView text) const;
    const QString &pattern() const { return m_pattern; }

private:
    struct Token;
    bool matchFrom(size_t tokenIndex, QStringView text) const;

    QString m_pattern;
    std::vector<Token> m_tokens; // pattern compiled once; matching allocates nothing
    size_t m_minLength = 0;      // characters the non-star tokens need
};

// A repo's exclude list, compiled once.
class ExcludeMatcher
{
public:
    ExcludeMatcher() = default;
    explicit ExcludeMatcher(const QStringList &patterns);
    bool matches(QStringView absPath) const;
    bool isEmpty() const { return m_patterns.empty(); }

private:
    std::vector<GlobPattern> m_patterns;
};

// Splits the repos.yml `exclude` value ("*.xml , *.tsv") into trimmed, non-empty patterns.
QStringList splitExcludeList(const QString &value);

// True when `absPath` (absolute, normalised local path) matches one of the repo's exclude
// patterns. Pure and fast: the compiled patterns are cached per thread for the repo's list.
bool isExcluded(const RepoConfig &repo, const QString &absPath);

} // namespace baricadr
