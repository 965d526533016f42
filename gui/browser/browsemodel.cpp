#include "browser/browsemodel.h"

#include "style.h"
#include "util/paths.h"

#include <QDateTime>
#include <QLocale>
#include <QThreadPool>

namespace baricadr::gui {

namespace {
constexpr qint64 kNsPerMs = 1'000'000;

QString formatTime(qint64 ns)
{
    if (ns <= 0)
        return QString();
    // ISO-like and short: sortable at a glance, same width on every row.
    return QDateTime::fromMSecsSinceEpoch(ns / kNsPerMs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}
} // namespace

BrowseModel::BrowseModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    m_pumpTimer.setInterval(0);
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &BrowseModel::pump);
    // Aggregates and states of rows already shown change while the scan goes on: repaint them a
    // few times a second rather than once per file.
    m_refreshTimer.setInterval(250);
    connect(&m_refreshTimer, &QTimer::timeout, this, &BrowseModel::refreshVisible);
}

BrowseModel::~BrowseModel()
{
    if (m_scan)
        delete m_scan.data();
}

void BrowseModel::clear()
{
    beginResetModel();
    if (m_scan)
        delete m_scan.data();
    std::unique_ptr<BrowseTree> old = std::move(m_tree);
    std::deque<Work> queue;
    queue.swap(m_queue);
    m_cursor = 0;
    m_exposedDirs.clear();
    m_pumpTimer.stop();
    m_refreshTimer.stop();
    m_finished = false;
    endResetModel();
    // Freeing a big tree (a million nodes: a few hundred ms) and the batches not merged yet is
    // left to a pool thread: nothing refers to them any more once the views were reset.
    if (old || !queue.empty()) {
        QThreadPool::globalInstance()->start([tree = old.release(), q = std::move(queue)]() mutable {
            delete tree;
            q.clear();
        });
    }
    Q_EMIT totalsChanged();
}

void BrowseModel::setRepo(const BrowsePolicy &policy, RepoScan *scan)
{
    clear();
    beginResetModel();
    m_tree = std::make_unique<BrowseTree>(policy);
    // The first level is always shown: its rows are announced as they arrive, whether or not a
    // view asked for them yet (a view that laid out while the tree was still empty would
    // otherwise never ask again, and a refresh would show nothing until the scan ends).
    m_tree->root()->dir->exposed = 0;
    m_exposedDirs.push_back(m_tree->root());
    m_longestSliceMs = 0;
    m_scan = scan;
    scan->setParent(this);
    connect(scan, &RepoScan::localBatch, this, [this](const LocalBatch &b) { enqueue(b); });
    connect(scan, &RepoScan::remoteBatch, this, [this](const QList<RemoteEntry> &b) { enqueue(b); });
    connect(scan, &RepoScan::localFinished, this, [this](const Status &st, int skipped) {
        if (!st.ok())
            Q_EMIT scanError(tr("local files"), st.error());
        else if (skipped > 0)
            Q_EMIT scanError(tr("local files"),
                             Error(ErrorCode::Io, tr("%n folder(s) could not be read and are not shown.",
                                                     nullptr, skipped)));
        enqueue(FinishLocal{});
    });
    connect(scan, &RepoScan::remoteFinished, this, [this](const Status &st) {
        if (!st.ok())
            Q_EMIT scanError(tr("remote listing"), st.error());
        enqueue(FinishRemote{});
    });
    endResetModel();
    m_refreshTimer.start();
    scan->start();
    Q_EMIT totalsChanged();
}

void BrowseModel::setPins(const QStringList &relPaths)
{
    if (!m_tree)
        return;
    m_tree->setPins(relPaths);
    m_dirty = true;
    refreshVisible();
}

bool BrowseModel::isScanning() const
{
    return m_tree && !m_finished;
}

QString BrowseModel::repoRoot() const
{
    return m_tree ? m_tree->policy().repoRoot : QString();
}

void BrowseModel::enqueue(Work work)
{
    m_queue.push_back(std::move(work));
    if (!m_pumpTimer.isActive())
        m_pumpTimer.start();
}

void BrowseModel::pump()
{
    if (!m_tree)
        return;
    QElapsedTimer clock;
    clock.start();
    int sinceCheck = 0;
    auto overBudget = [&] {
        if (++sinceCheck < 256)
            return false;
        sinceCheck = 0;
        return clock.elapsed() >= sliceBudgetMs;
    };

    bool yielded = false;
    while (!m_queue.empty() && !yielded) {
        Work &w = m_queue.front();
        if (auto *lb = std::get_if<LocalBatch>(&w)) {
            // Directories first: they are few, and empty ones must show up too.
            if (m_cursor == 0) {
                for (const QString &d : std::as_const(lb->dirs))
                    m_tree->addLocalDir(d);
            }
            while (m_cursor < lb->files.size()) {
                m_tree->addLocal(lb->files.at(m_cursor++));
                if (overBudget()) {
                    yielded = true;
                    break;
                }
            }
            if (m_cursor < lb->files.size())
                break;
        } else if (auto *rb = std::get_if<QList<RemoteEntry>>(&w)) {
            while (m_cursor < rb->size()) {
                m_tree->addRemote(rb->at(m_cursor++));
                if (overBudget()) {
                    yielded = true;
                    break;
                }
            }
            if (m_cursor < rb->size())
                break;
        } else if (std::holds_alternative<FinishLocal>(w)) {
            m_tree->finishLocal();
        } else {
            m_tree->finishRemote();
        }
        m_queue.pop_front();
        m_cursor = 0;
    }
    // Files that waited for a side that is now complete.
    bool settled = true;
    if (!yielded) {
        while (!(settled = m_tree->settle(2048))) {
            if (clock.elapsed() >= sliceBudgetMs)
                break;
        }
    }
    announceGrown();
    m_dirty = true;
    m_longestSliceMs = std::max(m_longestSliceMs, clock.elapsed());

    if (!m_queue.empty() || !settled) {
        m_pumpTimer.start();
    } else if (m_tree->complete() && !m_finished) {
        m_finished = true;
        refreshVisible();
        m_refreshTimer.stop();
        Q_EMIT scanProgress(m_tree->fileCount(), true, true);
        Q_EMIT totalsChanged();
        Q_EMIT scanFinished();
        return;
    }
    Q_EMIT scanProgress(m_tree->fileCount(), m_tree->localDone(), m_tree->remoteDone());
}

void BrowseModel::announceGrown()
{
    for (BrowseNode *d : m_tree->takeGrownDirs()) {
        const int have = d->childCount();
        if (d->dir->exposed < 0 || have <= d->dir->exposed)
            continue;
        m_inserting = true;
        beginInsertRows(indexOf(d), d->dir->exposed, have - 1);
        d->dir->exposed = have;
        endInsertRows();
        m_inserting = false;
    }
}

void BrowseModel::refreshVisible()
{
    if (!m_tree || !m_dirty)
        return;
    m_dirty = false;
    for (BrowseNode *d : m_exposedDirs) {
        if (d->dir->exposed > 0)
            Q_EMIT dataChanged(index(0, 0, indexOf(d)),
                               index(d->dir->exposed - 1, ColumnCount - 1, indexOf(d)));
    }
    Q_EMIT totalsChanged();
}

BrowseNode *BrowseModel::node(const QModelIndex &index) const
{
    if (!m_tree)
        return nullptr;
    if (!index.isValid())
        return m_tree->root();
    return static_cast<BrowseNode *>(index.internalPointer());
}

const BrowseNode *BrowseModel::nodeAt(const QModelIndex &index) const
{
    return index.isValid() ? node(index) : nullptr;
}

QModelIndex BrowseModel::indexOf(BrowseNode *n, int column) const
{
    if (!n || !n->parent)
        return QModelIndex();
    return createIndex(n->row, column, n);
}

QModelIndex BrowseModel::index(int row, int column, const QModelIndex &parent) const
{
    BrowseNode *p = node(parent);
    if (!p || !p->dir || row < 0 || column < 0 || column >= ColumnCount || row >= p->dir->exposed)
        return QModelIndex();
    return createIndex(row, column, p->child(row));
}

QModelIndex BrowseModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return QModelIndex();
    return indexOf(node(child)->parent);
}

int BrowseModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    BrowseNode *p = node(parent);
    return p && p->dir ? std::max(p->dir->exposed, 0) : 0;
}

int BrowseModel::columnCount(const QModelIndex &parent) const
{
    return parent.column() > 0 ? 0 : ColumnCount;
}

bool BrowseModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    BrowseNode *p = node(parent);
    if (!p || !p->dir)
        return false;
    // Like QFileSystemModel: a directory not listed yet may have children; once the scan is over
    // we know.
    return p->childCount() > 0 || !m_finished;
}

bool BrowseModel::canFetchMore(const QModelIndex &parent) const
{
    BrowseNode *p = node(parent);
    return !m_inserting && p && p->dir && p->dir->exposed < p->childCount();
}

void BrowseModel::fetchMore(const QModelIndex &parent)
{
    BrowseNode *p = node(parent);
    // Views and proxies may ask while they react to an insertion in progress: one at a time.
    if (!p || !p->dir || m_inserting)
        return;
    if (p->dir->exposed < 0) {
        p->dir->exposed = 0;
        m_exposedDirs.push_back(p);
    }
    const int have = p->childCount();
    if (have > p->dir->exposed) {
        m_inserting = true;
        beginInsertRows(parent, p->dir->exposed, have - 1);
        p->dir->exposed = have;
        endInsertRows();
        m_inserting = false;
    }
}

Qt::ItemFlags BrowseModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!node(index)->isDir())
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant BrowseModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_tree)
        return QVariant();
    const BrowseNode *n = node(index);
    const bool dir = n->isDir();
    const qint64 now = m_tree->policy().nowNs;
    const int col = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (col) {
        case NameColumn:
            return n->name;
        case StateColumn: {
            if (!dir)
                return StateStyle::text(n->state);
            return QVariant(); // the delegate draws the per-state bar
        }
        case SizeColumn:
            if (dir)
                return Format::bytes(n->dir->totalBytes());
            return Format::bytes(n->size());
        case AccessColumn: {
            const qint64 atime = dir ? n->dir->newestAtimeNs : (n->hasLocal() ? n->localAtimeNs : 0);
            if (atime <= 0)
                return QStringLiteral("—");
            return Format::days(ageDays(atime, now));
        }
        case ModifiedColumn:
            return formatTime(n->hasLocal() ? n->localMtimeNs : n->remoteMtimeNs);
        case RemoteColumn:
            if (dir)
                return n->hasRemote() ? tr("yes") : tr("no");
            if (!n->hasRemote())
                return tr("no");
            if (n->hasLocal() && n->remoteSize >= 0 && n->remoteSize != n->localSize)
                return tr("yes, %1").arg(Format::bytes(n->remoteSize));
            return tr("yes");
        }
        break;
    case Qt::DecorationRole:
        if (col == NameColumn) {
            static const QIcon folder = themedIcon(QStringLiteral("folder"));
            static const QIcon file = themedIcon(QStringLiteral("file"));
            return dir ? folder : file;
        }
        break;
    case Qt::ToolTipRole:
        if (col == StateColumn && !dir)
            return StateStyle::description(n->state);
        if (col == StateColumn && dir) {
            QStringList lines;
            for (int s = 0; s < kStateBuckets; ++s) {
                if (n->dir->files[size_t(s)] > 0)
                    lines << tr("%1: %2 in %n file(s)", nullptr, int(n->dir->files[size_t(s)]))
                                 .arg(StateStyle::text(s), Format::bytes(n->dir->bytes[size_t(s)]));
            }
            return lines.isEmpty() ? tr("Empty folder") : lines.join(u'\n');
        }
        if (col == NameColumn)
            return m_tree->isPinned(n) ? tr("%1\nPinned: never frozen.").arg(relativePath(index))
                                       : relativePath(index);
        break;
    case Qt::TextAlignmentRole:
        if (col == SizeColumn || col == AccessColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case StateRole:
        return dir ? -1 : int(n->state);
    case IsDirRole:
        return dir;
    case PinnedRole:
        return m_tree->isPinned(n);
    case RelPathRole:
        return relativePath(index);
    case AggregateBytesRole:
        if (dir) {
            QList<qint64> v(n->dir->bytes.begin(), n->dir->bytes.end());
            return QVariant::fromValue(v);
        }
        break;
    case SortRole:
        switch (col) {
        case NameColumn:
            return n->name;
        case StateColumn: {
            if (!dir)
                return int(n->state);
            // Directories sort by their largest share.
            int best = kPendingState;
            qint64 bytes = -1;
            for (int s = 0; s < kStateBuckets; ++s) {
                if (n->dir->bytes[size_t(s)] > bytes) {
                    bytes = n->dir->bytes[size_t(s)];
                    best = s;
                }
            }
            return best;
        }
        case SizeColumn:
            return dir ? n->dir->totalBytes() : n->size();
        case AccessColumn: {
            const qint64 atime = dir ? n->dir->newestAtimeNs : (n->hasLocal() ? n->localAtimeNs : 0);
            return atime; // older = smaller
        }
        case ModifiedColumn:
            return n->hasLocal() ? n->localMtimeNs : n->remoteMtimeNs;
        case RemoteColumn:
            return n->hasRemote();
        }
        break;
    default:
        break;
    }
    return QVariant();
}

QVariant BrowseModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StateColumn:
        return tr("State");
    case SizeColumn:
        return tr("Size");
    case AccessColumn:
        return tr("Last access");
    case ModifiedColumn:
        return tr("Modified");
    case RemoteColumn:
        return tr("On remote");
    }
    return QVariant();
}

QString BrowseModel::relativePath(const QModelIndex &index) const
{
    return m_tree ? m_tree->relPath(nodeAt(index)) : QString();
}

QString BrowseModel::absolutePath(const QModelIndex &index) const
{
    if (!m_tree)
        return QString();
    return paths::join(m_tree->policy().repoRoot, relativePath(index));
}

QModelIndex BrowseModel::indexForPath(const QString &relPath)
{
    if (!m_tree)
        return QModelIndex();
    BrowseNode *n = m_tree->find(relPath);
    if (!n)
        return QModelIndex();
    // Make sure every directory on the way has shown its rows.
    std::vector<BrowseNode *> chain;
    for (BrowseNode *p = n->parent; p; p = p->parent)
        chain.push_back(p);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const QModelIndex pi = indexOf(*it);
        if (canFetchMore(pi))
            fetchMore(pi);
    }
    return indexOf(n);
}

} // namespace baricadr::gui
