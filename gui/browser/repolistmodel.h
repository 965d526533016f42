#pragma once

#include "browse/filestate.h"
#include "service/baricadrservice.h"

#include <QAbstractListModel>

#include <array>

namespace baricadr::gui {

// The repositories of the open session, with their usage figures: from the service when it knows
// them, replaced by the figures of the last scan done in this window.
class RepoListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role
    {
        RootRole = Qt::UserRole + 1,
        UsageRole,    // QList<qint64> bytes per state bucket, empty when unknown
        SubtitleRole, // "sftp · freeze after 180 days"
        InfoRole,     // the RepoInfo (QVariant of a pointer-sized index; use repo())
    };

    using QAbstractListModel::QAbstractListModel;

    void setRepos(const QList<RepoInfo> &repos);
    const RepoInfo *repo(int row) const;
    int rowOf(const QString &root) const;
    // Figures of a scan finished in this window (bytes per state bucket).
    void setUsage(const QString &root, const QList<qint64> &bytesPerState);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Policy for classifying a repo's files, from its public settings.
    static BrowsePolicy policyFor(const RepoInfo &repo);

private:
    QList<RepoInfo> m_repos;
    QHash<QString, QList<qint64>> m_scanned;
};

} // namespace baricadr::gui
