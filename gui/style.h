#pragma once

#include "browse/filestate.h"

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QString>

namespace baricadr::gui {

// How a FileState looks: icon + colour + words, always together (never colour alone).
struct StateStyle
{
    Q_DECLARE_TR_FUNCTIONS(StateStyle)
public:
    static QColor color(int state); // a FileState or kPendingState
    static QIcon icon(int state);
    static QString text(int state);        // short label: "hot", "cold (freezable)"…
    static QString description(int state); // one sentence for tooltips and legends
};

// "1.5 GiB", "412 days", "3 min 20 s": the units admins read.
struct Format
{
    Q_DECLARE_TR_FUNCTIONS(Format)
public:
    static QString bytes(qint64 bytes);
    static QString days(int days);
    static QString duration(qint64 seconds);
};

QIcon themedIcon(const QString &name); // resources/icons/<name>.svg

} // namespace baricadr::gui
