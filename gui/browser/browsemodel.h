#pragma once

#include "browse/browsetree.h"
#include "browse/reposcan.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <memory>
#include <variant>

namespace baricadr::gui {

// The merged local/remote tree of one repo as a lazy item model.
// - Scans run elsewhere (RepoScan: a walker thread and the service's listing); their batches are
//   merged into the BrowseTree here in time slices of a few milliseconds, so the event loop never
//   stalls, however big the repo.
// - A directory's rows are announced only once the view asked for them (canFetchMore/fetchMore);
//   rows that arrive later for a fetched directory are inserted in one range per slice.
// - rowCount()/data() only read the in-memory tree: no I/O, no listing from there.
class BrowseModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        StateColumn,
        SizeColumn,
        AccessColumn,
        ModifiedColumn,
        RemoteColumn,
        ColumnCount
    };
    enum Role
    {
        StateRole = Qt::UserRole + 1, // int: FileState, kPendingState, or -1 for a directory
        SortRole,
        IsDirRole,
        PinnedRole,
        RelPathRole,
        AggregateBytesRole, // QList<qint64> per state bucket (directories)
    };

    explicit BrowseModel(QObject *parent = nullptr);
    ~BrowseModel() override;

    // Starts browsing a repo: a fresh tree, fed by `scan` (owned from now on, started here).
    void setRepo(const BrowsePolicy &policy, RepoScan *scan);
    void clear();
    void setPins(const QStringList &relPaths);

    const BrowseTree *tree() const { return m_tree.get(); }
    bool isScanning() const;
    QString repoRoot() const;
    QString relativePath(const QModelIndex &index) const;
    QString absolutePath(const QModelIndex &index) const;
    const BrowseNode *nodeAt(const QModelIndex &index) const;
    QModelIndex indexForPath(const QString &relPath); // fetches the directories on the way

    // Time budget of one merge slice; the longest event-loop stall of the last scan.
    int sliceBudgetMs = 8;
    qint64 longestSliceMs() const { return m_longestSliceMs; }

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    void scanProgress(qint64 files, bool localDone, bool remoteDone);
    void scanFinished();
    void scanError(const QString &what, const baricadr::Error &error);
    void totalsChanged();

private:
    struct FinishLocal
    {
    };
    struct FinishRemote
    {
    };
    using Work = std::variant<LocalBatch, QList<RemoteEntry>, FinishLocal, FinishRemote>;

    BrowseNode *node(const QModelIndex &index) const;
    QModelIndex indexOf(BrowseNode *node, int column = 0) const;
    void enqueue(Work work);
    void pump();
    void announceGrown();
    void refreshVisible();

    std::unique_ptr<BrowseTree> m_tree;
    QPointer<RepoScan> m_scan;
    std::deque<Work> m_queue;
    qsizetype m_cursor = 0; // position inside m_queue.front()
    QTimer m_pumpTimer;
    QTimer m_refreshTimer;
    bool m_dirty = false;
    bool m_finished = false;
    bool m_inserting = false;
    std::vector<BrowseNode *> m_exposedDirs;
    qint64 m_longestSliceMs = 0;
};

} // namespace baricadr::gui
