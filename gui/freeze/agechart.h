#pragma once

#include "freeze/freezeplan.h"

#include <QWidget>

#include <vector>

namespace baricadr::gui {

// Reclaimable bytes against the age threshold, from a freeze plan's histogram: for a threshold of
// N days, the bytes of files verified safe on the remote and not read for N days or more. Bars show
// all local bytes per age bucket; the line, what a freeze_age of that many days would reclaim.
class AgeChart : public QWidget
{
    Q_OBJECT
public:
    explicit AgeChart(QWidget *parent = nullptr);

    void setHistogram(const std::vector<AgeBucket> &buckets, int currentFreezeAge);
    // Bytes a freeze with this threshold would reclaim (from the histogram's bucket bounds).
    qint64 reclaimableAt(int days) const;
    // The most a threshold of `days` could reclaim: files under freeze_age were not verified.
    qint64 upperBoundAt(int days) const;

    QSize sizeHint() const override { return QSize(520, 200); }
    QSize minimumSizeHint() const override { return QSize(300, 150); }

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QRectF plotRect() const;
    std::vector<AgeBucket> m_buckets;
    int m_freezeAge = 180;
    int m_hover = -1;
};

} // namespace baricadr::gui
