#pragma once

#include "freeze/freezeplan.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace baricadr::gui {

class AgeChart;

// Shows a freeze plan before anything is deleted: the files that would be frozen with their sizes
// and the total reclaimable, the files kept grouped by reason, and a chart of reclaimable bytes
// against the age threshold. Accepting ("Freeze now") is the only way a GUI freeze starts.
class FreezePreviewDialog : public QDialog
{
    Q_OBJECT
public:
    FreezePreviewDialog(const QString &path, const FreezePlan &plan, int freezeAgeDays,
                        QWidget *parent = nullptr);

    static QString reasonText(KeepReason reason);

    qint64 shownReclaimableBytes() const { return m_bytes; }
    qint64 shownFrozenFiles() const { return m_files; }
    QPushButton *freezeButton() const { return m_freeze; }
    AgeChart *chart() const { return m_chart; }

    static constexpr int kMaxListed = 5000; // rows per list; the rest is summarised

private:
    qint64 m_bytes = 0;
    qint64 m_files = 0;
    QPushButton *m_freeze = nullptr;
    AgeChart *m_chart = nullptr;
};

} // namespace baricadr::gui
