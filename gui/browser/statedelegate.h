#pragma once

#include <QStyledItemDelegate>

namespace baricadr::gui {

// Paints the state column (icon + colour + words for files; a bar of bytes per state with the
// largest share named for folders) and a pin mark on pinned names.
class StateDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // A horizontal bar of bytes per state bucket (also used by the repository list).
    static void paintUsageBar(QPainter *painter, const QRect &rect, const QList<qint64> &bytes);
};

} // namespace baricadr::gui
