#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

namespace baricadr::gui {

// Sorting (folders first, then by the column's raw value) and filtering by a name glob and/or a
// state. Folders stay visible when they hold files of the filtered state (from their aggregates,
// so no need to load them) and are otherwise hidden by a state filter; a name glob applies to files.
class BrowseProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit BrowseProxy(QObject *parent = nullptr);

    void setNameGlob(const QString &glob);
    void setStateFilter(int state); // a FileState, or -1 for all
    int stateFilter() const { return m_state; }

    // Natural, case-insensitive order of names (<0, 0, >0).
    static int compareNames(QStringView a, QStringView b);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QRegularExpression m_glob;
    int m_state = -1;
};

} // namespace baricadr::gui
