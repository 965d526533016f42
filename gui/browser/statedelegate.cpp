#include "browser/statedelegate.h"

#include "browse/browsetree.h"
#include "browser/browsemodel.h"
#include "style.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace baricadr::gui {

void StateDelegate::paintUsageBar(QPainter *painter, const QRect &rect, const QList<qint64> &bytes)
{
    qint64 total = 0;
    for (qint64 b : bytes)
        total += b;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPainterPath clip;
    clip.addRoundedRect(QRectF(rect), 3, 3);
    painter->setClipPath(clip);
    painter->fillRect(rect, QColor(0xe9, 0xec, 0xef));
    if (total > 0) {
        double x = rect.left();
        for (int s = 0; s < bytes.size(); ++s) {
            if (bytes[s] <= 0)
                continue;
            const double w = double(rect.width()) * double(bytes[s]) / double(total);
            painter->fillRect(QRectF(x, rect.top(), std::max(w, 1.0), rect.height()), StateStyle::color(s));
            x += w;
        }
    }
    painter->setClipping(false);
    painter->setPen(QColor(0, 0, 0, 40));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    painter->restore();
}

void StateDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const
{
    if (index.column() == BrowseModel::NameColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        if (index.data(BrowseModel::PinnedRole).toBool()) {
            static const QIcon pin = themedIcon(QStringLiteral("pin"));
            const int s = option.rect.height() - 6;
            pin.paint(painter, QRect(option.rect.right() - s - 4, option.rect.top() + 3, s, s));
        }
        return;
    }
    if (index.column() != BrowseModel::StateColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget); // background, selection

    const QRect r = option.rect.adjusted(4, 0, -4, 0);
    const bool selected = option.state & QStyle::State_Selected;
    painter->save();
    if (index.data(BrowseModel::IsDirRole).toBool()) {
        const QList<qint64> bytes = index.data(BrowseModel::AggregateBytesRole).value<QList<qint64>>();
        qint64 total = 0;
        int best = -1;
        for (int s = 0; s < bytes.size(); ++s) {
            total += bytes[s];
            if (best < 0 || bytes[s] > bytes[best])
                best = s;
        }
        const int barW = std::min(56, r.width() / 3);
        const QRect bar(r.left(), r.center().y() - 4, barW, 9);
        paintUsageBar(painter, bar, bytes);
        if (total > 0) {
            const QString label = tr("%1 %2%")
                                      .arg(StateStyle::text(best))
                                      .arg(qRound(100.0 * double(bytes[best]) / double(total)));
            painter->setPen(selected ? option.palette.highlightedText().color()
                                     : option.palette.text().color());
            painter->drawText(r.adjusted(barW + 6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                              option.fontMetrics.elidedText(label, Qt::ElideRight, r.width() - barW - 6));
        }
    } else {
        const int state = index.data(BrowseModel::StateRole).toInt();
        const int s = std::min(16, r.height() - 4);
        StateStyle::icon(state).paint(painter, QRect(r.left(), r.center().y() - s / 2, s, s));
        QFont f = option.font;
        if (state == int(FileState::LocalOnly))
            f.setBold(true); // not backed up: the one state that must stand out
        painter->setFont(f);
        painter->setPen(selected ? option.palette.highlightedText().color()
                                 : StateStyle::color(state).darker(115));
        painter->drawText(
            r.adjusted(s + 6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetrics(f).elidedText(index.data().toString(), Qt::ElideRight, r.width() - s - 6));
    }
    painter->restore();
}

QSize StateDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(std::max(s.height(), 22));
    if (index.column() == BrowseModel::StateColumn)
        s.setWidth(std::max(s.width(), 150));
    return s;
}

} // namespace baricadr::gui
