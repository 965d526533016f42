#include "browser/browseproxy.h"

#include "browser/browsemodel.h"

namespace baricadr::gui {

BrowseProxy::BrowseProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(BrowseModel::SortRole);
    setDynamicSortFilter(false); // re-sorting 100k rows on every repaint of a growing scan is not worth it
}

void BrowseProxy::setNameGlob(const QString &glob)
{
    const QString g = glob.trimmed();
    if (g.isEmpty()) {
        m_glob = QRegularExpression();
    } else {
        const QString pattern =
            g.contains(u'*') || g.contains(u'?') || g.contains(u'[') ? g : u'*' + g + u'*';
        m_glob = QRegularExpression(QRegularExpression::wildcardToRegularExpression(
                                        pattern, QRegularExpression::UnanchoredWildcardConversion),
                                    QRegularExpression::CaseInsensitiveOption);
        m_glob.setPattern(u'^' + m_glob.pattern() + u'$');
    }
    invalidateFilter();
}

void BrowseProxy::setStateFilter(int state)
{
    m_state = state;
    invalidateFilter();
}

bool BrowseProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // No filter: nothing to look at (opening a folder of 100,000 files maps every row).
    if (m_state < 0 && m_glob.pattern().isEmpty())
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    const bool isDir = idx.data(BrowseModel::IsDirRole).toBool();
    if (isDir) {
        if (m_state < 0)
            return true;
        const BrowseNode *n = static_cast<const BrowseModel *>(sourceModel())->nodeAt(idx);
        return n->dir->files[size_t(m_state)] > 0;
    }
    if (m_state >= 0 && idx.data(BrowseModel::StateRole).toInt() != m_state)
        return false;
    if (m_glob.isValid() && !m_glob.pattern().isEmpty() &&
        !m_glob.match(idx.data(Qt::DisplayRole).toString()).hasMatch())
        return false;
    return true;
}

int BrowseProxy::compareNames(QStringView a, QStringView b)
{
    // Natural order, case-insensitive: "run-2" < "run-10", "A.txt" next to "a.txt". Plain code
    // points after case folding rather than a QCollator: a sort of 100,000 names must take
    // milliseconds, not seconds (ICU collation per comparison), and the order must be a strict
    // weak ordering for every pair of names.
    const auto isDigit = [](QChar c) { return c.unicode() >= u'0' && c.unicode() <= u'9'; };
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            qsizetype si = i, sj = j;
            while (si < a.size() && a[si] == u'0')
                ++si;
            while (sj < b.size() && b[sj] == u'0')
                ++sj;
            qsizetype ei = si, ej = sj;
            while (ei < a.size() && isDigit(a[ei]))
                ++ei;
            while (ej < b.size() && isDigit(b[ej]))
                ++ej;
            if (ei - si != ej - sj)
                return ei - si < ej - sj ? -1 : 1;
            for (qsizetype k = 0; k < ei - si; ++k) {
                if (a[si + k] != b[sj + k])
                    return a[si + k] < b[sj + k] ? -1 : 1;
            }
            i = ei;
            j = ej;
            continue;
        }
        const char16_t ca = a[i].toCaseFolded().unicode();
        const char16_t cb = b[j].toCaseFolded().unicode();
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    const qsizetype ra = a.size() - i, rb = b.size() - j;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    // Equal but for case or leading zeros: a fixed order all the same.
    return a.compare(b);
}

bool BrowseProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Straight from the nodes: no QVariant per comparison.
    const auto *model = static_cast<const BrowseModel *>(sourceModel());
    const BrowseNode *l = model->nodeAt(left);
    const BrowseNode *r = model->nodeAt(right);
    if (!l || !r)
        return false;
    if (l->isDir() != r->isDir()) // folders first, whatever the order
        return sortOrder() == Qt::AscendingOrder ? l->isDir() : r->isDir();
    if (left.column() != BrowseModel::NameColumn) {
        const QVariant lv = left.data(sortRole());
        const QVariant rv = right.data(sortRole());
        const QPartialOrdering o = QVariant::compare(lv, rv);
        if (o == QPartialOrdering::Less)
            return true;
        if (o == QPartialOrdering::Greater)
            return false;
        // Equal: by name, so that the order is stable from one sort to the next.
    }
    return compareNames(l->name, r->name) < 0;
}

} // namespace baricadr::gui
