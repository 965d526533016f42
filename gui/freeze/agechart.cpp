#include "freeze/agechart.h"

#include "style.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace baricadr::gui {

AgeChart::AgeChart(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setAccessibleName(tr("Reclaimable bytes by age threshold"));
}

void AgeChart::setHistogram(const std::vector<AgeBucket> &buckets, int currentFreezeAge)
{
    m_buckets = buckets;
    std::sort(m_buckets.begin(), m_buckets.end(),
              [](const AgeBucket &a, const AgeBucket &b) { return a.minDays < b.minDays; });
    m_freezeAge = currentFreezeAge;
    update();
}

qint64 AgeChart::reclaimableAt(int days) const
{
    qint64 sum = 0;
    for (const AgeBucket &b : m_buckets) {
        if (b.minDays >= days)
            sum += b.freezableBytes;
    }
    return sum;
}

qint64 AgeChart::upperBoundAt(int days) const
{
    // Files younger than freeze_age were not checked against the remote by the plan: count them
    // all, as the most a lower threshold could reclaim.
    qint64 sum = 0;
    for (const AgeBucket &b : m_buckets) {
        if (b.minDays >= days)
            sum += b.minDays < m_freezeAge ? b.bytes : b.freezableBytes;
    }
    return sum;
}

QRectF AgeChart::plotRect() const
{
    const QFontMetrics fm(font());
    // A band at the top for the legend, two lines at the bottom for the x axis.
    const int top = fm.height() + 14;
    return QRectF(fm.horizontalAdvance(QStringLiteral("999.9 MiB")) + 12, top,
                  width() - fm.horizontalAdvance(QStringLiteral("999.9 MiB")) - 24,
                  height() - fm.height() * 2 - 8 - top);
}

void AgeChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QRectF pr = plotRect();
    const QFontMetrics fm(font());
    if (m_buckets.empty()) {
        p.setPen(palette().placeholderText().color());
        p.drawText(rect(), Qt::AlignCenter, tr("No local files: nothing to chart."));
        return;
    }
    const int n = int(m_buckets.size());
    qint64 maxBytes = 1;
    for (int i = 0; i < n; ++i)
        maxBytes =
            std::max({maxBytes, m_buckets[size_t(i)].bytes, upperBoundAt(m_buckets[size_t(i)].minDays)});
    const double slot = pr.width() / n;
    auto yOf = [&](qint64 b) { return pr.bottom() - pr.height() * double(b) / double(maxBytes); };

    // Grid and y labels.
    p.setPen(QColor(0, 0, 0, 25));
    for (int i = 0; i <= 4; ++i) {
        const double y = pr.bottom() - pr.height() * i / 4.0;
        p.drawLine(QPointF(pr.left(), y), QPointF(pr.right(), y));
    }
    p.setPen(palette().text().color());
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    p.setFont(small);
    for (int i = 0; i <= 4; i += 2) {
        const double y = pr.bottom() - pr.height() * i / 4.0;
        p.drawText(QRectF(0, y - 8, pr.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                   Format::bytes(qint64(double(maxBytes) * i / 4.0)));
    }

    // Bars: all local bytes of the bucket (light), of which verified-safe (cold colour).
    const QColor cold = StateStyle::color(int(FileState::Cold));
    for (int i = 0; i < n; ++i) {
        const AgeBucket &b = m_buckets[size_t(i)];
        const QRectF all(pr.left() + slot * i + slot * 0.15, yOf(b.bytes), slot * 0.7,
                         pr.bottom() - yOf(b.bytes));
        p.fillRect(all, QColor(0xce, 0xd4, 0xda));
        const QRectF safe(all.left(), yOf(b.freezableBytes), all.width(),
                          pr.bottom() - yOf(b.freezableBytes));
        QColor c = cold;
        c.setAlpha(i == m_hover ? 255 : 170);
        p.fillRect(safe, c);
        // x labels: the bucket's lower bound
        p.setPen(palette().text().color());
        p.drawText(QRectF(pr.left() + slot * i, pr.bottom() + 2, slot, fm.height()),
                   Qt::AlignHCenter | Qt::AlignTop,
                   b.minDays == 0 ? QStringLiteral("0") : QString::number(b.minDays));
    }
    p.drawText(QRectF(pr.left(), pr.bottom() + fm.height() + 2, pr.width(), fm.height()), Qt::AlignCenter,
               tr("age threshold / last access (days)"));

    // Line: reclaimable with a threshold at each bucket's lower bound; dashed where the plan did
    // not verify the files (below freeze_age), as an upper bound.
    auto ptAt = [&](int i) {
        const AgeBucket &b = m_buckets[size_t(i)];
        return QPointF(pr.left() + slot * i + slot / 2,
                       yOf(b.minDays < m_freezeAge ? upperBoundAt(b.minDays) : reclaimableAt(b.minDays)));
    };
    for (int i = 0; i + 1 < n; ++i) {
        const bool verified = m_buckets[size_t(i)].minDays >= m_freezeAge;
        p.setPen(QPen(cold.darker(140), 2, verified ? Qt::SolidLine : Qt::DashLine));
        p.drawLine(ptAt(i), ptAt(i + 1));
    }
    for (int i = 0; i < n; ++i) {
        p.setPen(QPen(cold.darker(140), 2));
        p.setBrush(m_buckets[size_t(i)].minDays >= m_freezeAge ? QBrush(cold.darker(140)) : palette().base());
        p.drawEllipse(ptAt(i), 3, 3);
    }
    // Legend.
    p.setFont(small);
    const QFontMetrics sfm(small);
    double lx = pr.right() - 4;
    const QList<std::pair<QColor, QString>> legend = {
        {QColor(0xce, 0xd4, 0xda), tr("local bytes")},
        {cold, tr("verified safe on the remote")},
        {cold.darker(140), tr("reclaimable at this threshold (dashed: at most)")},
    };
    for (auto it = legend.crbegin(); it != legend.crend(); ++it) {
        const double w = sfm.horizontalAdvance(it->second);
        lx -= w;
        p.setPen(palette().text().color());
        p.drawText(QPointF(lx, 4 + sfm.ascent()), it->second);
        lx -= 14;
        p.fillRect(QRectF(lx, 4 + (sfm.height() - 10) / 2.0, 10, 10), it->first);
        lx -= 14;
    }
    p.setFont(font());

    // The repo's freeze_age.
    int at = -1;
    for (int i = 0; i < n; ++i) {
        if (m_buckets[size_t(i)].minDays <= m_freezeAge &&
            (m_buckets[size_t(i)].maxDays < 0 || m_freezeAge < m_buckets[size_t(i)].maxDays))
            at = i;
    }
    if (at >= 0) {
        const AgeBucket &b = m_buckets[size_t(at)];
        double frac = 0;
        if (b.maxDays > b.minDays)
            frac = double(m_freezeAge - b.minDays) / double(b.maxDays - b.minDays);
        // Points and x labels sit at slot centres (a threshold at the bucket's lower bound).
        const double x = pr.left() + slot * (at + 0.5 + frac);
        p.setPen(QPen(StateStyle::color(int(FileState::Hot)), 1.5, Qt::DashLine));
        p.drawLine(QPointF(x, pr.top()), QPointF(x, pr.bottom()));
        p.setPen(StateStyle::color(int(FileState::Hot)).darker(120));
        p.drawText(QRectF(x + 4, pr.top() + 2, 220, fm.height()), Qt::AlignLeft,
                   tr("freeze_age = %n day(s)", nullptr, m_freezeAge));
    }
}

void AgeChart::mouseMoveEvent(QMouseEvent *event)
{
    const QRectF pr = plotRect();
    const int n = int(m_buckets.size());
    int hover = -1;
    if (n > 0 && pr.contains(event->position()))
        hover = std::clamp(int((event->position().x() - pr.left()) / (pr.width() / n)), 0, n - 1);
    if (hover != m_hover) {
        m_hover = hover;
        update();
    }
    if (hover >= 0) {
        const AgeBucket &b = m_buckets[size_t(hover)];
        const QString range = b.maxDays < 0 ? tr("%n day(s) or more", nullptr, b.minDays)
                                            : tr("%1–%2 days").arg(b.minDays).arg(b.maxDays);
        QToolTip::showText(
            event->globalPosition().toPoint(),
            (b.minDays >= m_freezeAge
                 ? tr("Last access %1: %2 in %n file(s), %3 verified safe on the remote.\n"
                      "A freeze_age of %4 days would reclaim %5.",
                      nullptr, int(b.files))
                 : tr("Last access %1: %2 in %n file(s), %3 of it verified (files read within freeze_age "
                      "are not checked against the remote).\n"
                      "A freeze_age of %4 days would reclaim at most %5.",
                      nullptr, int(b.files)))
                .arg(range, Format::bytes(b.bytes), Format::bytes(b.freezableBytes))
                .arg(b.minDays)
                .arg(Format::bytes(b.minDays >= m_freezeAge ? reclaimableAt(b.minDays)
                                                            : upperBoundAt(b.minDays))),
            this);
    }
}

void AgeChart::leaveEvent(QEvent *)
{
    m_hover = -1;
    update();
}

} // namespace baricadr::gui
