#pragma once

#include "browse/filestate.h"
#include "scan/fileentry.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace baricadr {

struct BrowseNode;

// Index of the "not classified yet" bucket in the per-state aggregates: a file seen on one side
// whose other side is still being listed.
inline constexpr int kPendingState = kFileStateCount;
inline constexpr int kStateBuckets = kFileStateCount + 1;

// Directory part of a node: children, and the bytes/files of its whole subtree per state.
struct BrowseDir
{
    std::vector<std::unique_ptr<BrowseNode>> children; // insertion order (the view sorts)
    QHash<QString, BrowseNode *> index;                // name -> child, only for big directories
    std::array<qint64, kStateBuckets> bytes{};
    std::array<qint64, kStateBuckets> files{};
    qint64 newestAtimeNs = 0; // most recent local access in the subtree
    // Rows a model has shown of `children` (-1 = never fetched). Owned by the model: the tree only
    // appends children, so rows [exposed, size) are the ones still to announce.
    int exposed = -1;
    bool grownQueued = false;

    qint64 totalBytes() const;
    qint64 totalFiles() const;
};

// One file or directory of the merged local/remote tree. Kept small (a 1,000,000-file repo is a
// normal case): name and parent pointer only, the path is rebuilt on demand.
struct BrowseNode
{
    enum Flag : quint8
    {
        IsDir = 1,
        HasLocal = 2,
        HasRemote = 4,
        IsSymlink = 8,
        Pinned = 16,
        Classified = 32,
    };

    QString name;
    BrowseNode *parent = nullptr;
    std::unique_ptr<BrowseDir> dir; // set for directories only
    qint64 localSize = 0;
    qint64 localMtimeNs = 0;
    qint64 localAtimeNs = 0;
    qint64 remoteSize = -1; // -1 unknown
    qint64 remoteMtimeNs = 0;
    int row = 0; // index in parent->dir->children
    quint8 flags = 0;
    qint8 state = kPendingState; // a FileState, or kPendingState (files only)

    bool isDir() const { return flags & IsDir; }
    bool hasLocal() const { return flags & HasLocal; }
    bool hasRemote() const { return flags & HasRemote; }
    bool isSymlink() const { return flags & IsSymlink; }
    bool isPinnedHere() const { return flags & Pinned; }
    bool isClassified() const { return flags & Classified; }
    FileState fileState() const { return FileState(state); }
    // Local size when the file is here, the remote size otherwise.
    qint64 size() const;
    int childCount() const { return dir ? int(dir->children.size()) : 0; }
    BrowseNode *child(int i) const { return dir->children[size_t(i)].get(); }
};

// The merged tree of one repo: local entries (from a walk of the repo root) and remote entries
// (from a listing of the backup) are added in any order and any batch size; a file is classified
// as soon as both sides are known for it (present on both, or one side finished listing).
// Not thread-safe: one thread (the GUI's) owns it; scans run elsewhere and deliver batches.
class BrowseTree
{
public:
    explicit BrowseTree(BrowsePolicy policy);
    ~BrowseTree();

    const BrowsePolicy &policy() const { return m_policy; }
    BrowseNode *root() const { return m_root.get(); }

    void addLocal(const LocalEntry &entry);
    void addLocalDir(const QString &relPath);
    void addRemote(const RemoteEntry &entry); // isDir entries create directories

    // One side is complete: files seen only on the other side can now be classified.
    // Call settle() until it returns true to do that work in slices.
    void finishLocal();
    void finishRemote();
    bool localDone() const { return m_localDone; }
    bool remoteDone() const { return m_remoteDone; }
    // Classifies up to `budget` pending files; true when nothing is left that can be settled now.
    bool settle(int budget);
    bool complete() const { return m_localDone && m_remoteDone && m_settling.empty() && !m_passRequested; }

    // Pins (repo-relative paths): nodes at or under them are marked and shown pinned.
    void setPins(const QStringList &relPaths);
    bool isPinned(const BrowseNode *node) const;

    QString relPath(const BrowseNode *node) const;
    BrowseNode *find(const QString &relPath) const;

    // Directories whose model-exposed children grew since the last call (see BrowseDir::exposed).
    std::vector<BrowseNode *> takeGrownDirs();

    qint64 fileCount() const { return m_files; }
    qint64 dirCount() const { return m_dirs; }

private:
    BrowseNode *dirFor(const QString &relPath, qsizetype lastSlash);
    BrowseNode *childNamed(BrowseNode *dirNode, QStringView name) const;
    BrowseNode *addChild(BrowseNode *dirNode, const QString &name, bool isDir);
    BrowseNode *fileNode(const QString &relPath, bool *created);
    void account(BrowseNode *file, int sign);
    void classifyIfReady(BrowseNode *file);
    void setState(BrowseNode *file, int state);

    BrowsePolicy m_policy;
    std::unique_ptr<BrowseNode> m_root;
    std::vector<BrowseNode *> m_pending;  // files waiting for the other side (may hold stale entries)
    std::vector<BrowseNode *> m_settling; // the pass settle() is working through
    bool m_passRequested = false;
    std::vector<BrowseNode *> m_grown;
    QSet<QString> m_pins;
    bool m_localDone = false;
    bool m_remoteDone = false;
    qint64 m_files = 0;
    qint64 m_dirs = 0;
    // Entries arrive grouped by directory: remember the last one to skip the walk from the root.
    QString m_lastDirPath;
    BrowseNode *m_lastDir = nullptr;
};

} // namespace baricadr
