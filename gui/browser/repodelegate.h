#pragma once

#include <QStyledItemDelegate>

namespace baricadr::gui {

// A repository: its path, a subtitle, and a usage bar of hot / cold / not backed up / remote only.
class RepoDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace baricadr::gui
