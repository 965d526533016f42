#include "repo/exclude.h"

#include <utility>

namespace baricadr {

bool GlobPattern::Token::matches(char16_t c) const
{
    switch (kind) {
    case Literal:
        return c == ch;
    case AnyOne:
        return true;
    case Star:
        return false;
    case Set: {
        if (matchAll)
            return true;
        if (matchNone)
            return false;
        bool in = false;
        for (const auto &r : ranges) {
            if (c >= r.first && c <= r.second) {
                in = true;
                break;
            }
        }
        return in != negated;
    }
    }
    return false;
}

namespace {

// Python's fnmatch.translate for a bracket expression `content` (between '[' and ']').
// Ported rule for rule, including the removal of reversed ranges such as "z-a".
void compileSet(const QString &content, std::vector<std::pair<char16_t, char16_t>> *ranges, bool *negated,
                bool *matchAll, bool *matchNone)
{
    if (!content.contains(u'-')) {
        *negated = content.startsWith(u'!');
        for (qsizetype i = *negated ? 1 : 0; i < content.size(); ++i)
            ranges->emplace_back(content.at(i).unicode(), content.at(i).unicode());
        return;
    }
    QStringList chunks;
    qsizetype i = 0;
    qsizetype k = content.startsWith(u'!') ? 2 : 1;
    while (true) {
        k = k < content.size() ? content.indexOf(u'-', k) : -1;
        if (k < 0)
            break;
        chunks.append(content.mid(i, k - i));
        i = k + 1;
        k = k + 3;
    }
    const QString last = content.mid(i);
    if (!last.isEmpty())
        chunks.append(last);
    else
        chunks.last() += u'-';
    for (qsizetype c = chunks.size() - 1; c > 0; --c) {
        if (chunks.at(c - 1).back() > chunks.at(c).front()) {
            chunks[c - 1] = chunks.at(c - 1).chopped(1) + chunks.at(c).mid(1);
            chunks.removeAt(c);
        }
    }
    const QString joined = chunks.join(u'-');
    if (joined.isEmpty()) {
        *matchNone = true;
        return;
    }
    if (joined == u"!") {
        *matchAll = true;
        return;
    }
    if (chunks.first().startsWith(u'!')) {
        *negated = true;
        chunks.first().remove(0, 1);
    }
    for (qsizetype c = 0; c < chunks.size(); ++c) {
        const QString &chunk = chunks.at(c);
        for (const QChar ch : chunk)
            ranges->emplace_back(ch.unicode(), ch.unicode());
        if (c > 0) {
            if (chunks.at(c - 1).isEmpty())
                ranges->emplace_back(u'-', u'-');
            else if (!chunk.isEmpty())
                ranges->emplace_back(chunks.at(c - 1).back().unicode(), chunk.front().unicode());
        }
    }
}

} // namespace

GlobPattern::GlobPattern(const QString &pattern)
    : m_pattern(pattern)
{
    const qsizetype n = pattern.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = pattern.at(i++);
        Token t;
        if (c == u'*') {
            if (!m_tokens.empty() && m_tokens.back().kind == Token::Star)
                continue; // "**" is "*"
            t.kind = Token::Star;
        } else if (c == u'?') {
            t.kind = Token::AnyOne;
        } else if (c == u'[') {
            qsizetype j = i;
            if (j < n && pattern.at(j) == u'!')
                ++j;
            if (j < n && pattern.at(j) == u']')
                ++j;
            while (j < n && pattern.at(j) != u']')
                ++j;
            if (j >= n) {
                t.kind = Token::Literal; // unclosed: a literal '['
                t.ch = u'[';
            } else {
                t.kind = Token::Set;
                compileSet(pattern.mid(i, j - i), &t.ranges, &t.negated, &t.matchAll, &t.matchNone);
                i = j + 1;
            }
        } else {
            t.kind = Token::Literal;
            t.ch = c.unicode();
        }
        if (t.kind != Token::Star)
            ++m_minLength;
        else {
            if (m_firstStar == NoStar)
                m_firstStar = m_tokens.size();
            m_lastStar = m_tokens.size();
        }
        m_tokens.push_back(std::move(t));
    }
}

bool GlobPattern::matches(QStringView text) const
{
    const size_t n = size_t(text.size());
    if (n < m_minLength)
        return false;
    const char16_t *chars = reinterpret_cast<const char16_t *>(text.utf16());
    const size_t m = m_tokens.size();
    if (m_firstStar == NoStar) {
        if (n != m)
            return false;
        for (size_t i = 0; i < m; ++i) {
            if (!m_tokens[i].matches(chars[i]))
                return false;
        }
        return true;
    }
    // The fixed head (before the first '*') and tail (after the last) are anchored: check them
    // first, so "*.xml" costs four comparisons whatever the path length.
    const size_t head = m_firstStar;
    const size_t tail = m - 1 - m_lastStar;
    for (size_t i = 0; i < head; ++i) {
        if (!m_tokens[i].matches(chars[i]))
            return false;
    }
    for (size_t i = 0; i < tail; ++i) {
        if (!m_tokens[m_lastStar + 1 + i].matches(chars[n - tail + i]))
            return false;
    }
    return matchMiddle(chars + head, n - head - tail);
}

// Tokens between the first and the last '*' (both included) against what the head and tail left.
// Greedy matching with backtracking to the latest '*' only: correct because every other token
// consumes exactly one character; O(len(text) * len(pattern)) at worst, linear in practice.
bool GlobPattern::matchMiddle(const char16_t *text, size_t n) const
{
    const size_t end = m_lastStar + 1;
    size_t p = m_firstStar;
    size_t t = 0;
    size_t starP = NoStar;
    size_t starT = 0;
    while (t < n) {
        if (p < end && m_tokens[p].kind == Token::Star) {
            starP = p++;
            starT = t;
        } else if (p < end && m_tokens[p].matches(text[t])) {
            ++p;
            ++t;
        } else if (starP != NoStar) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < end && m_tokens[p].kind == Token::Star)
        ++p;
    return p == end;
}

ExcludeMatcher::ExcludeMatcher(const QStringList &patterns)
{
    m_patterns.reserve(size_t(patterns.size()));
    for (const QString &p : patterns) {
        if (!p.isEmpty())
            m_patterns.emplace_back(p);
    }
}

bool ExcludeMatcher::matches(QStringView absPath) const
{
    for (const GlobPattern &p : m_patterns) {
        if (p.matches(absPath))
            return true;
    }
    return false;
}

QStringList splitExcludeList(const QString &value)
{
    QStringList out;
    for (const QString &part : value.split(u',')) {
        const QString p = part.trimmed();
        if (!p.isEmpty())
            out.append(p);
    }
    return out;
}

bool isExcluded(const RepoConfig &repo, const QString &absPath)
{
    if (repo.exclude.isEmpty())
        return false;
    // One compiled list per thread, rebuilt only when asked about another list. Comparing two
    // implicitly shared QStringLists that share their data is a pointer comparison, so the
    // common case (every file of one repo) costs nothing beyond the match itself.
    struct Cache
    {
        QStringList patterns;
        ExcludeMatcher matcher;
    };
    thread_local Cache cache;
    if (cache.patterns != repo.exclude) {
        cache.matcher = ExcludeMatcher(repo.exclude);
        cache.patterns = repo.exclude;
    }
    return cache.matcher.matches(absPath);
}

} // namespace baricadr
