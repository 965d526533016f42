#include "browser/browseproxy.h"

#include "browser/browsemodel.h"

#include <QCollator>

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

bool BrowseProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const bool ld = left.data(BrowseModel::IsDirRole).toBool();
    const bool rd = right.data(BrowseModel::IsDirRole).toBool();
    if (ld != rd) // folders first, whatever the order
        return sortOrder() == Qt::AscendingOrder ? ld : rd;
    const QVariant l = left.data(sortRole());
    const QVariant r = right.data(sortRole());
    if (left.column() == BrowseModel::NameColumn) {
        static const QCollator collator = [] {
            QCollator c;
            c.setNumericMode(true);
            c.setCaseSensitivity(Qt::CaseInsensitive);
            return c;
        }();
        return collator.compare(l.toString(), r.toString()) < 0;
    }
    return QVariant::compare(l, r) == QPartialOrdering::Less;
}

} // namespace baricadr::gui
