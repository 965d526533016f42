#include "browser/repodelegate.h"

#include "browse/browsetree.h"
#include "browser/repolistmodel.h"
#include "browser/statedelegate.h"
#include "style.h"

#include <QApplication>
#include <QPainter>

namespace baricadr::gui {

void RepoDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    opt.icon = QIcon();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = selected ? option.palette.highlightedText().color() : option.palette.text().color();
    QColor dim = text;
    dim.setAlpha(150);
    const QRect r = option.rect.adjusted(8, 6, -8, -6);
    painter->save();

    static const QIcon icon = themedIcon(QStringLiteral("repo"));
    icon.paint(painter, QRect(r.left(), r.top(), 20, 20));

    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(text);
    const QRect textR = r.adjusted(26, 0, 0, 0);
    const QString root = index.data(RepoListModel::RootRole).toString();
    painter->drawText(QRect(textR.left(), r.top(), textR.width(), 20), Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetrics(bold).elidedText(root, Qt::ElideMiddle, textR.width()));
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.88);
    painter->setFont(small);
    painter->setPen(dim);
    const QFontMetrics sfm(small);
    painter->drawText(
        QRect(textR.left(), r.top() + 21, textR.width(), sfm.height()), Qt::AlignLeft,
        sfm.elidedText(index.data(RepoListModel::SubtitleRole).toString(), Qt::ElideRight, textR.width()));

    const QList<qint64> usage = index.data(RepoListModel::UsageRole).value<QList<qint64>>();
    const int barTop = r.top() + 23 + sfm.height();
    const QRect bar(textR.left(), barTop, textR.width(), 8);
    StateDelegate::paintUsageBar(painter, bar, usage);
    // The legend: two figures per line (a narrow list never cuts a figure in half).
    QStringList lines;
    if (usage.isEmpty()) {
        lines << tr("not scanned yet");
    } else {
        QStringList parts;
        for (FileState s : {FileState::Hot, FileState::Cold, FileState::LocalOnly, FileState::RemoteOnly}) {
            if (int(s) < usage.size() && usage[int(s)] > 0)
                parts << tr("%1 %2").arg(StateStyle::text(int(s)), Format::bytes(usage[int(s)]));
        }
        if (parts.isEmpty())
            lines << tr("empty");
        for (qsizetype i = 0; i < parts.size(); i += 2)
            lines << parts.mid(i, 2).join(QStringLiteral(" · "));
    }
    for (int i = 0; i < std::min<int>(int(lines.size()), 2); ++i) {
        painter->drawText(QRect(textR.left(), barTop + 10 + i * sfm.height(), textR.width(), sfm.height()),
                          Qt::AlignLeft, sfm.elidedText(lines.at(i), Qt::ElideRight, textR.width()));
    }
    painter->restore();
}

QSize RepoDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.88);
    const int h = 6 + 21 + QFontMetrics(small).height() * 3 + 2 + 8 + 4 + 8;
    return QSize(260, h);
}

} // namespace baricadr::gui
