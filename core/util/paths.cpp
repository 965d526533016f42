#include "util/paths.h"

#include <QDir>
#include <QStringList>

namespace baricadr::paths {

Result<QString> normalize(const QString &path, const QString &cwd)
{
    if (path.isEmpty())
        return Error(ErrorCode::InvalidInput, QStringLiteral("empty path"));
    if (path.contains(QChar(u'\0')))
        return Error(ErrorCode::InvalidInput, QStringLiteral("path contains a NUL byte"));

    QString full = path;
    if (!full.startsWith(u'/')) {
        const QString base = cwd.isEmpty() ? QDir::currentPath() : cwd;
        full = base + u'/' + full;
    }

    QStringList parts;
    for (const QStringView part : QStringView(full).split(u'/', Qt::SkipEmptyParts)) {
        if (part == u".")
            continue;
        if (part == u"..") {
            if (!parts.isEmpty())
                parts.removeLast();
            continue; // "/.." is "/", as in POSIX
        }
        parts.append(part.toString());
    }
    return QString(u'/' + parts.join(u'/'));
}

bool contains(const QString &root, const QString &path)
{
    if (root == QLatin1String("/"))
        return path.startsWith(u'/');
    if (!path.startsWith(root))
        return false;
    return path.size() == root.size() || path.at(root.size()) == u'/';
}

QString relative(const QString &root, const QString &path)
{
    if (path.size() == root.size())
        return QString();
    if (root == QLatin1String("/"))
        return path.mid(1);
    return path.mid(root.size() + 1);
}

QString join(const QString &root, const QString &rel)
{
    if (rel.isEmpty())
        return root;
    if (root.endsWith(u'/'))
        return root + rel;
    return root + u'/' + rel;
}

} // namespace baricadr::paths
