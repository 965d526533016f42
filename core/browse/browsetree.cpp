#include "browse/browsetree.h"

#include <QDateTime>

namespace baricadr {

namespace {
constexpr size_t kIndexThreshold = 32; // below this, a linear scan of the children is faster
} // namespace

qint64 BrowseDir::totalBytes() const
{
    qint64 t = 0;
    for (qint64 b : bytes)
        t += b;
    return t;
}

qint64 BrowseDir::totalFiles() const
{
    qint64 t = 0;
    for (qint64 f : files)
        t += f;
    return t;
}

qint64 BrowseNode::size() const
{
    if (hasLocal())
        return localSize;
    return remoteSize > 0 ? remoteSize : 0;
}

BrowseTree::BrowseTree(BrowsePolicy policy)
    : m_policy(std::move(policy))
    , m_root(std::make_unique<BrowseNode>())
{
    if (m_policy.nowNs == 0)
        m_policy.nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    if (!m_policy.excludeRepo)
        m_policy.compile();
    m_root->flags = BrowseNode::IsDir;
    m_root->dir = std::make_unique<BrowseDir>();
}

BrowseTree::~BrowseTree()
{
    // Tear down iteratively: a deep tree must not recurse through unique_ptr destructors.
    std::vector<std::unique_ptr<BrowseNode>> stack;
    stack.push_back(std::move(m_root));
    while (!stack.empty()) {
        std::unique_ptr<BrowseNode> n = std::move(stack.back());
        stack.pop_back();
        if (n->dir) {
            for (auto &c : n->dir->children)
                stack.push_back(std::move(c));
        }
    }
}

BrowseNode *BrowseTree::childNamed(BrowseNode *dirNode, QStringView name) const
{
    BrowseDir *d = dirNode->dir.get();
    if (d->children.size() >= kIndexThreshold)
        return d->index.value(name.toString(), nullptr);
    for (const auto &c : d->children) {
        if (c->name == name)
            return c.get();
    }
    return nullptr;
}

BrowseNode *BrowseTree::addChild(BrowseNode *dirNode, const QString &name, bool isDir)
{
    BrowseDir *d = dirNode->dir.get();
    auto node = std::make_unique<BrowseNode>();
    node->name = name;
    node->parent = dirNode;
    node->row = int(d->children.size());
    if (isDir) {
        node->flags |= BrowseNode::IsDir;
        node->dir = std::make_unique<BrowseDir>();
        ++m_dirs;
    }
    BrowseNode *raw = node.get();
    d->children.push_back(std::move(node));
    if (d->children.size() == kIndexThreshold) {
        d->index.reserve(qsizetype(kIndexThreshold) * 2);
        for (const auto &c : d->children)
            d->index.insert(c->name, c.get());
    } else if (d->children.size() > kIndexThreshold) {
        d->index.insert(raw->name, raw);
    }
    if (!m_pins.isEmpty() && m_pins.contains(relPath(raw)))
        raw->flags |= BrowseNode::Pinned;
    if (d->exposed >= 0 && !d->grownQueued) {
        d->grownQueued = true;
        m_grown.push_back(dirNode);
    }
    return raw;
}

BrowseNode *BrowseTree::dirFor(const QString &relPath, qsizetype lastSlash)
{
    if (lastSlash < 0)
        return m_root.get();
    const QStringView dirPath = QStringView(relPath).left(lastSlash);
    if (m_lastDir && dirPath == m_lastDirPath)
        return m_lastDir;
    BrowseNode *cur = m_root.get();
    qsizetype start = 0;
    while (start <= dirPath.size()) {
        qsizetype slash = dirPath.indexOf(u'/', start);
        if (slash < 0)
            slash = dirPath.size();
        const QStringView part = dirPath.mid(start, slash - start);
        if (!part.isEmpty()) {
            BrowseNode *next = childNamed(cur, part);
            if (!next)
                next = addChild(cur, part.toString(), true);
            else if (!next->isDir())
                return nullptr; // a file where a directory is expected: conflicting listings
            cur = next;
        }
        start = slash + 1;
    }
    m_lastDirPath = dirPath.toString();
    m_lastDir = cur;
    return cur;
}

BrowseNode *BrowseTree::fileNode(const QString &relPath, bool *created)
{
    *created = false;
    const qsizetype slash = relPath.lastIndexOf(u'/');
    BrowseNode *d = dirFor(relPath, slash);
    if (!d)
        return nullptr;
    const QStringView name = QStringView(relPath).mid(slash + 1);
    if (name.isEmpty())
        return nullptr;
    if (BrowseNode *n = childNamed(d, name))
        return n->isDir() ? nullptr : n;
    *created = true;
    ++m_files;
    return addChild(d, name.toString(), false);
}

void BrowseTree::account(BrowseNode *file, int sign)
{
    const qint64 bytes = file->size() * sign;
    const qint64 atime = file->hasLocal() && sign > 0 ? file->localAtimeNs : 0;
    for (BrowseNode *p = file->parent; p; p = p->parent) {
        p->dir->bytes[quint8(file->state)] += bytes;
        p->dir->files[quint8(file->state)] += sign;
        if (atime > p->dir->newestAtimeNs)
            p->dir->newestAtimeNs = atime;
    }
}

void BrowseTree::setState(BrowseNode *file, int state)
{
    account(file, -1);
    file->state = qint8(state);
    account(file, +1);
}

void BrowseTree::classifyIfReady(BrowseNode *file)
{
    const bool ready =
        (file->hasLocal() && (file->hasRemote() || m_remoteDone)) || (file->hasRemote() && m_localDone);
    if (!ready) {
        file->flags &= quint8(~BrowseNode::Classified);
        if (file->state != kPendingState)
            setState(file, kPendingState);
        m_pending.push_back(file);
        return;
    }
    LocalEntry local;
    RemoteEntry remote;
    if (file->hasLocal()) {
        local.relPath = relPath(file);
        local.size = file->localSize;
        local.mtimeNs = file->localMtimeNs;
        local.atimeNs = file->localAtimeNs;
        local.isSymlink = file->isSymlink();
    }
    if (file->hasRemote()) {
        remote.relPath = file->hasLocal() ? local.relPath : relPath(file);
        remote.size = file->remoteSize;
        remote.mtimeNs = file->remoteMtimeNs;
    }
    const FileState s =
        classify(file->hasLocal() ? &local : nullptr, file->hasRemote() ? &remote : nullptr, m_policy);
    file->flags |= BrowseNode::Classified;
    setState(file, int(s));
}

void BrowseTree::addLocal(const LocalEntry &entry)
{
    bool created = false;
    BrowseNode *n = fileNode(entry.relPath, &created);
    if (!n)
        return;
    if (!created)
        account(n, -1);
    n->flags |= BrowseNode::HasLocal;
    if (entry.isSymlink)
        n->flags |= BrowseNode::IsSymlink;
    n->localSize = entry.size;
    n->localMtimeNs = entry.mtimeNs;
    n->localAtimeNs = entry.atimeNs;
    account(n, +1);
    classifyIfReady(n);
}

void BrowseTree::addLocalDir(const QString &relPath)
{
    if (!relPath.isEmpty())
        dirFor(relPath + u'/', relPath.size());
}

void BrowseTree::addRemote(const RemoteEntry &entry)
{
    if (entry.isDir) {
        if (BrowseNode *d = dirFor(entry.relPath + u'/', entry.relPath.size()))
            d->flags |= BrowseNode::HasRemote;
        return;
    }
    bool created = false;
    BrowseNode *n = fileNode(entry.relPath, &created);
    if (!n)
        return;
    if (!created)
        account(n, -1);
    n->flags |= BrowseNode::HasRemote;
    if (entry.isSymlink)
        n->flags |= BrowseNode::IsSymlink;
    n->remoteSize = entry.size;
    n->remoteMtimeNs = entry.mtimeNs;
    account(n, +1);
    classifyIfReady(n);
    // A directory holding a remote file is on the remote, whatever the listing said of it.
    for (BrowseNode *p = n->parent; p && !p->hasRemote(); p = p->parent)
        p->flags |= BrowseNode::HasRemote;
}

void BrowseTree::finishLocal()
{
    m_localDone = true;
    m_passRequested = true;
}

void BrowseTree::finishRemote()
{
    m_remoteDone = true;
    m_passRequested = true;
}

bool BrowseTree::settle(int budget)
{
    if (m_settling.empty()) {
        if (!m_passRequested)
            return true;
        // One pass over the files pending so far; those still undecidable go back to m_pending.
        m_passRequested = false;
        m_settling.swap(m_pending);
    }
    for (int i = 0; i < std::max(budget, 1) && !m_settling.empty(); ++i) {
        BrowseNode *f = m_settling.back();
        m_settling.pop_back();
        if (!f->isClassified())
            classifyIfReady(f);
    }
    return m_settling.empty() && !m_passRequested;
}

void BrowseTree::setPins(const QStringList &relPaths)
{
    // Clear old marks, then mark the nodes that exist; nodes created later check m_pins.
    for (const QString &p : std::as_const(m_pins)) {
        if (BrowseNode *n = find(p))
            n->flags &= quint8(~BrowseNode::Pinned);
    }
    m_pins = QSet<QString>(relPaths.begin(), relPaths.end());
    for (const QString &p : relPaths) {
        if (BrowseNode *n = find(p))
            n->flags |= BrowseNode::Pinned;
    }
}

bool BrowseTree::isPinned(const BrowseNode *node) const
{
    for (const BrowseNode *n = node; n; n = n->parent) {
        if (n->isPinnedHere())
            return true;
    }
    return false;
}

QString BrowseTree::relPath(const BrowseNode *node) const
{
    if (!node || !node->parent)
        return QString();
    QVarLengthArray<const BrowseNode *, 32> chain;
    qsizetype len = 0;
    for (const BrowseNode *n = node; n->parent; n = n->parent) {
        chain.append(n);
        len += n->name.size() + 1;
    }
    QString out;
    out.reserve(len);
    for (qsizetype i = chain.size() - 1; i >= 0; --i) {
        if (!out.isEmpty())
            out += u'/';
        out += chain[i]->name;
    }
    return out;
}

BrowseNode *BrowseTree::find(const QString &relPath) const
{
    BrowseNode *cur = m_root.get();
    const QStringList parts = relPath.split(u'/', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        if (!cur->isDir())
            return nullptr;
        cur = childNamed(cur, part);
        if (!cur)
            return nullptr;
    }
    return cur;
}

std::vector<BrowseNode *> BrowseTree::takeGrownDirs()
{
    std::vector<BrowseNode *> out;
    out.swap(m_grown);
    for (BrowseNode *d : out)
        d->dir->grownQueued = false;
    return out;
}

} // namespace baricadr
