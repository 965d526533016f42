#include "freeze/freezepreviewdialog.h"

#include "browse/filestate.h"
#include "freeze/agechart.h"
#include "style.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QMap>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace baricadr::gui {

QString FreezePreviewDialog::reasonText(KeepReason reason)
{
    switch (reason) {
    case KeepReason::RecentlyAccessed:
        return tr("Recently accessed");
    case KeepReason::ModifiedLocally:
        return tr("Modified locally");
    case KeepReason::NotOnRemote:
        return tr("Not on the remote (not backed up)");
    case KeepReason::SizeMismatch:
        return tr("Size differs from the remote copy");
    case KeepReason::HashMismatch:
        return tr("Checksum differs from the remote copy");
    case KeepReason::Excluded:
        return tr("Excluded by the repository's patterns");
    case KeepReason::Pinned:
        return tr("Pinned");
    case KeepReason::ChangedDuringFreeze:
        return tr("Changed during the freeze");
    case KeepReason::NotRegularFile:
        return tr("Not a regular file");
    case KeepReason::WatermarkReached:
        return tr("Watermark reached");
    case KeepReason::ChecksumUnavailable:
        return tr("Checksum cannot be verified");
    default:
        break; // a reason newer than this dialog: its wire name says what it is
    }
    return tr("Other reason (%1)").arg(toString(reason));
}

FreezePreviewDialog::FreezePreviewDialog(const QString &path, const FreezePlan &plan, int freezeAgeDays,
                                         QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Freeze preview — %1").arg(path));
    setObjectName(QStringLiteral("freezePreview"));
    resize(900, 680);

    m_files = qint64(plan.toFreeze.size());
    m_bytes = plan.bytesToFreeze;

    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Freeze <b>%1</b>").arg(path.toHtmlEscaped()), this);
    title->setWordWrap(true);
    layout->addWidget(title);

    auto *summary = new QLabel(this);
    summary->setObjectName(QStringLiteral("summary"));
    QFont big = summary->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    summary->setFont(big);
    summary->setText(
        m_files == 0
            ? tr("Nothing to freeze here.")
            : tr("%n file(s) to freeze, %1 reclaimable", nullptr, int(m_files)).arg(Format::bytes(m_bytes)));
    layout->addWidget(summary);
    auto *explain =
        new QLabel(tr("Each file is deleted locally only after checking again, right before deleting "
                      "it, that the remote holds the same file and that it has not been read since. "
                      "It can be pulled back at any time, or thawed from the Tasks panel."),
                   this);
    explain->setWordWrap(true);
    explain->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(explain);

    auto *split = new QSplitter(Qt::Horizontal, this);
    // Files to freeze.
    auto *freezeBox = new QGroupBox(tr("Will be frozen"), split);
    auto *fl = new QVBoxLayout(freezeBox);
    auto *frozen = new QTreeWidget(freezeBox);
    frozen->setObjectName(QStringLiteral("frozenList"));
    frozen->setRootIsDecorated(false);
    frozen->setUniformRowHeights(true);
    frozen->setHeaderLabels({tr("File"), tr("Size"), tr("Last access")});
    const qint64 nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    QList<QTreeWidgetItem *> items;
    for (const FreezeCandidate &c : plan.toFreeze) {
        if (items.size() >= kMaxListed)
            break;
        auto *it = new QTreeWidgetItem(
            {c.local.relPath, Format::bytes(c.local.size), Format::days(ageDays(c.local.atimeNs, nowNs))});
        it->setIcon(0, StateStyle::icon(int(FileState::Cold)));
        it->setToolTip(0, c.local.relPath);
        it->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        it->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        items << it;
    }
    if (plan.toFreeze.size() > size_t(kMaxListed))
        items << new QTreeWidgetItem(
            {tr("… and %n more file(s)", nullptr, int(plan.toFreeze.size() - kMaxListed))});
    frozen->addTopLevelItems(items);
    frozen->setTextElideMode(Qt::ElideMiddle);
    frozen->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    frozen->setColumnWidth(1, 80);
    frozen->setColumnWidth(2, 80);
    frozen->header()->setStretchLastSection(false);
    frozen->setSortingEnabled(true);
    frozen->sortByColumn(0, Qt::AscendingOrder);
    fl->addWidget(frozen);

    // Kept, grouped by reason.
    const qint64 keptTotal = std::max<qint64>(plan.keptTotal(), qint64(plan.kept.size()));
    auto *keptBox = new QGroupBox(tr("Kept (%n file(s))", nullptr, int(keptTotal)), split);
    auto *kl = new QVBoxLayout(keptBox);
    auto *kept = new QTreeWidget(keptBox);
    kept->setObjectName(QStringLiteral("keptList"));
    kept->setUniformRowHeights(true);
    kept->setHeaderLabels({tr("Reason / file"), tr("Size"), tr("Detail")});
    QMap<int, QList<const KeptFile *>> byReason;
    for (const KeptFile &k : plan.kept)
        byReason[int(k.reason)] << &k;
    for (const auto &[reason, count] : plan.keptCounts) {
        if (count > 0 && !byReason.contains(int(reason)))
            byReason.insert(int(reason), {}); // counted, not listed (recently accessed on big repos)
    }
    for (auto it = byReason.cbegin(); it != byReason.cend(); ++it) {
        qint64 bytes = 0;
        for (const KeptFile *k : it.value())
            bytes += k->size;
        qint64 count = it.value().size();
        if (auto c = plan.keptCounts.find(KeepReason(it.key())); c != plan.keptCounts.end())
            count = std::max(count, c->second);
        if (auto b = plan.keptBytes.find(KeepReason(it.key())); b != plan.keptBytes.end())
            bytes = std::max(bytes, b->second);
        // The group's line spans every column: its reason is never elided.
        auto *group =
            new QTreeWidgetItem(kept, {tr("%1 — %n file(s), %2", nullptr, int(count))
                                           .arg(reasonText(KeepReason(it.key())), Format::bytes(bytes))});
        group->setFirstColumnSpanned(true);
        group->setData(0, Qt::UserRole, it.key());
        QFont f = group->font(0);
        f.setBold(true);
        group->setFont(0, f);
        const KeepReason reason = KeepReason(it.key());
        const int state = reason == KeepReason::RecentlyAccessed  ? int(FileState::Hot)
                          : reason == KeepReason::NotOnRemote     ? int(FileState::LocalOnly)
                          : reason == KeepReason::Excluded        ? int(FileState::Excluded)
                          : reason == KeepReason::ModifiedLocally ? int(FileState::Modified)
                          : reason == KeepReason::SizeMismatch    ? int(FileState::Modified)
                                                                  : -1;
        group->setIcon(0, state >= 0 ? StateStyle::icon(state) : themedIcon(QStringLiteral("pin")));
        if (it.value().isEmpty() && count > 0)
            new QTreeWidgetItem(group, {tr("(counted, not listed)")});
        int listed = 0;
        for (const KeptFile *k : it.value()) {
            if (++listed > kMaxListed) {
                new QTreeWidgetItem(
                    group, {tr("… and %n more file(s)", nullptr, int(it.value().size() - kMaxListed))});
                break;
            }
            auto *child = new QTreeWidgetItem(group, {k->relPath, Format::bytes(k->size), k->detail});
            child->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
            child->setToolTip(0, k->relPath);
            child->setToolTip(2, k->detail);
        }
    }
    if (byReason.size() <= 3)
        kept->expandAll();
    kept->setTextElideMode(Qt::ElideMiddle);
    kept->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    kept->setColumnWidth(1, 75);
    kept->setColumnWidth(2, 150);
    kept->header()->setStretchLastSection(false);
    kl->addWidget(kept);
    // The kept side has one more column (the detail): give it a little more room.
    split->setStretchFactor(0, 9);
    split->setStretchFactor(1, 11);
    layout->addWidget(split, 3);

    auto *chartBox = new QGroupBox(tr("Reclaimable space by age threshold"), this);
    auto *cl = new QVBoxLayout(chartBox);
    m_chart = new AgeChart(chartBox);
    m_chart->setHistogram(plan.histogram, freezeAgeDays);
    cl->addWidget(m_chart);
    layout->addWidget(chartBox, 2);

    auto *buttons = new QDialogButtonBox(this);
    m_freeze = buttons->addButton(tr("&Freeze now"), QDialogButtonBox::AcceptRole);
    m_freeze->setIcon(themedIcon(QStringLiteral("freeze")));
    m_freeze->setEnabled(m_files > 0);
    m_freeze->setObjectName(QStringLiteral("freezeNow"));
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true); // Enter must never delete data
    cancel->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace baricadr::gui
