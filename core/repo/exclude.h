#pragma once

#include "repo/repoconfig.h"

#include <QString>
#include <QStringList>

#include <utility>
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
    struct Token
    {
        enum Kind
        {
            Literal,
            AnyOne,
            Star,
            Set
        } kind = Literal;
        char16_t ch = 0;
        // Set: inclusive ranges; `negated` for [!…]; `matchAll`/`matchNone` for Python's odd cases.
        std::vector<std::pair<char16_t, char16_t>> ranges;
        bool negated = false;
        bool matchAll = false;
        bool matchNone = false;
        bool matches(char16_t c) const;
    };
    bool matchMiddle(const char16_t *text, size_t n) const;
    static constexpr size_t NoStar = size_t(-1);

    QString m_pattern;
    std::vector<Token> m_tokens; // pattern compiled once; matching allocates nothing
    size_t m_minLength = 0;      // characters the non-star tokens need
    size_t m_firstStar = NoStar; // token index of the first and last '*'
    size_t m_lastStar = NoStar;
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
