#include "style.h"

#include "browse/browsetree.h"

#include <QHash>
#include <QLocale>

namespace baricadr::gui {

QColor StateStyle::color(int state)
{
    switch (state) {
    case int(FileState::Hot):
        return QColor(0xe8, 0x59, 0x0c);
    case int(FileState::Cold):
        return QColor(0x1c, 0x7e, 0xd6);
    case int(FileState::LocalOnly):
        return QColor(0xe0, 0x31, 0x31);
    case int(FileState::Modified):
        return QColor(0xf0, 0x8c, 0x00);
    case int(FileState::RemoteOnly):
        return QColor(0x70, 0x48, 0xe8);
    case int(FileState::Excluded):
        return QColor(0x86, 0x8e, 0x96);
    default:
        return QColor(0xce, 0xd4, 0xda);
    }
}

QIcon StateStyle::icon(int state)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(state);
    if (it == cache.end()) {
        const QString name =
            state >= 0 && state < kFileStateCount ? toString(FileState(state)) : QStringLiteral("pending");
        it = cache.insert(state, QIcon(QStringLiteral(":/icons/state-%1.svg").arg(name)));
    }
    return *it;
}

QString StateStyle::text(int state)
{
    switch (state) {
    case int(FileState::Hot):
        return tr("hot");
    case int(FileState::Cold):
        return tr("cold");
    case int(FileState::LocalOnly):
        return tr("local only");
    case int(FileState::Modified):
        return tr("modified locally");
    case int(FileState::RemoteOnly):
        return tr("remote only");
    case int(FileState::Excluded):
        return tr("excluded");
    default:
        return tr("scanning…");
    }
}

QString StateStyle::description(int state)
{
    switch (state) {
    case int(FileState::Hot):
        return tr("Local, read within the freeze age: kept.");
    case int(FileState::Cold):
        return tr("Local, not read for the freeze age, same file on the remote: freezable now.");
    case int(FileState::LocalOnly):
        return tr("Not on the remote: NOT BACKED UP. Never frozen.");
    case int(FileState::Modified):
        return tr("Local copy differs from the remote one: never frozen until backed up again.");
    case int(FileState::RemoteOnly):
        return tr("Only on the remote (frozen, or never pulled): pull to bring it back.");
    case int(FileState::Excluded):
        return tr("Matches an exclude pattern of the repository: never frozen.");
    default:
        return tr("Still being compared with the remote.");
    }
}

QString Format::bytes(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("—");
    return QLocale().formattedDataSize(bytes, bytes < 1024 ? 0 : 1, QLocale::DataSizeTraditionalFormat);
}

QString Format::days(int days)
{
    if (days <= 0)
        return tr("today");
    return tr("%n day(s)", nullptr, days);
}

QString Format::duration(qint64 s)
{
    if (s < 0)
        return QStringLiteral("—");
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QIcon themedIcon(const QString &name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}

} // namespace baricadr::gui
