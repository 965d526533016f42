#include "browser/repolistmodel.h"

#include "browse/browsetree.h"

#include <QJsonArray>

namespace baricadr::gui {

void RepoListModel::setRepos(const QList<RepoInfo> &repos)
{
    beginResetModel();
    m_repos = repos;
    endResetModel();
}

const RepoInfo *RepoListModel::repo(int row) const
{
    return row >= 0 && row < m_repos.size() ? &m_repos[row] : nullptr;
}

int RepoListModel::rowOf(const QString &root) const
{
    for (int i = 0; i < m_repos.size(); ++i) {
        if (m_repos[i].root == root)
            return i;
    }
    return -1;
}

void RepoListModel::setUsage(const QString &root, const QList<qint64> &bytesPerState)
{
    m_scanned.insert(root, bytesPerState);
    const int row = rowOf(root);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

int RepoListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_repos.size());
}

QVariant RepoListModel::data(const QModelIndex &index, int role) const
{
    const RepoInfo *r = repo(index.row());
    if (!r)
        return QVariant();
    switch (role) {
    case Qt::DisplayRole:
    case RootRole:
        return r->root;
    case SubtitleRole: {
        const QJsonObject s = r->settings;
        QStringList parts;
        const QString backend = s.value(QStringLiteral("backend")).toString();
        if (!backend.isEmpty())
            parts << backend;
        if (s.value(QStringLiteral("freezable")).toBool())
            parts << tr("freeze after %n day(s)", nullptr, policyFor(*r).freezeAgeDays);
        else
            parts << tr("not freezable");
        if (!r->pins.isEmpty())
            parts << tr("%n pin(s)", nullptr, int(r->pins.size()));
        return parts.join(QStringLiteral(" · "));
    }
    case UsageRole: {
        auto it = m_scanned.constFind(r->root);
        if (it != m_scanned.cend())
            return QVariant::fromValue(*it);
        if (r->hotBytes < 0 && r->coldBytes < 0 && r->localOnlyBytes < 0 && r->remoteOnlyBytes < 0)
            return QVariant::fromValue(QList<qint64>());
        QList<qint64> v(kStateBuckets, 0);
        v[int(FileState::Hot)] = std::max<qint64>(r->hotBytes, 0);
        v[int(FileState::Cold)] = std::max<qint64>(r->coldBytes, 0);
        v[int(FileState::LocalOnly)] = std::max<qint64>(r->localOnlyBytes, 0);
        v[int(FileState::RemoteOnly)] = std::max<qint64>(r->remoteOnlyBytes, 0);
        return QVariant::fromValue(v);
    }
    case Qt::ToolTipRole:
        return QString(r->root + u"\n" + data(index, SubtitleRole).toString());
    }
    return QVariant();
}

BrowsePolicy RepoListModel::policyFor(const RepoInfo &repo)
{
    BrowsePolicy p;
    p.repoRoot = repo.root;
    const QJsonObject s = repo.settings;
    p.freezeAgeDays = s.value(QStringLiteral("freeze_age")).toInt(180);
    const QJsonValue ex = s.value(QStringLiteral("exclude"));
    if (ex.isArray()) {
        for (const QJsonValue &v : ex.toArray())
            p.exclude << v.toString();
    } else {
        p.exclude = BrowsePolicy::parseExclude(ex.toString());
    }
    return p;
}

} // namespace baricadr::gui
