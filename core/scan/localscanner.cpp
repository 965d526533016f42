#include "scan/localscanner.h"

#include "scan/safedir.h"
#include "util/timespec.h"

#include <QElapsedTimer>
#include <QFile>
#include <QPromise>
#include <QThreadPool>
#include <QUtf8StringView>

#include <cerrno>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

namespace baricadr {

namespace {

LocalEntry entryFrom(QString relPath, const struct stat &st)
{
    LocalEntry e;
    e.relPath = std::move(relPath);
    e.size = st.st_size;
    e.mtimeNs = toNs(st.st_mtim);
    e.atimeNs = toNs(st.st_atim);
    e.ctimeNs = toNs(st.st_ctim);
    e.inode = st.st_ino;
    e.device = st.st_dev;
    e.isSymlink = S_ISLNK(st.st_mode);
    e.isSpecial = !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode);
    return e;
}

struct DirCloser
{
    void operator()(DIR *d) const { ::closedir(d); }
};

struct Frame
{
    std::unique_ptr<DIR, DirCloser> dir;
    QString relPath;
};

// A directory seen and still to be read (breadth-first): entered only if it is still the same.
struct Pending
{
    QString relPath;
    dev_t device;
    ino_t inode;
};

class Walker
{
public:
    Walker(const ScanOptions &o, const LocalScanner::TreeBatchHandler &h, bool reportDirs,
           const LocalScanner::CancelCheck &c)
        : m_options(o)
        , m_onBatch(h)
        , m_reportDirs(reportDirs)
        , m_isCancelled(c)
        , m_batchSize(std::max(1, o.batchSize))
    {
        m_batch.reserve(size_t(m_batchSize));
        m_sinceFlush.start();
    }

    ScanSummary run();

private:
    bool cancelled()
    {
        if (!m_summary.cancelled && m_isCancelled && m_isCancelled())
            m_summary.cancelled = true;
        return m_summary.cancelled;
    }
    void error(const QString &relPath, const QString &what, int err)
    {
        m_summary.errors.push_back(ScanError{relPath, what + QStringLiteral(": ") + errnoText(err)});
    }
    void emitEntry(LocalEntry &&e)
    {
        m_summary.files += 1;
        m_summary.bytes += e.size;
        m_batch.push_back(std::move(e));
        maybeFlush();
    }
    void emitDir(const QString &relPath)
    {
        if (!m_reportDirs)
            return;
        m_dirs.append(relPath);
        maybeFlush();
    }
    void maybeFlush()
    {
        if (qsizetype(m_batch.size()) + m_dirs.size() >= m_batchSize ||
            (m_options.flushIntervalMs > 0 && m_sinceFlush.elapsed() >= m_options.flushIntervalMs))
            flush();
    }
    void flush()
    {
        m_sinceFlush.restart();
        if (m_batch.empty() && m_dirs.isEmpty())
            return;
        if (m_onBatch)
            m_onBatch(std::move(m_batch), std::move(m_dirs));
        m_batch = std::vector<LocalEntry>();
        m_batch.reserve(size_t(m_batchSize));
        m_dirs = QStringList();
    }
    bool pushDir(int parentFd, const QByteArray &name, const QString &relPath);
    // Reads the next entry of `top`: false at its end. A subdirectory is pushed (depth-first)
    // or queued (breadth-first).
    bool readOne(Frame &top, std::deque<Pending> *queue);
    void walk();
    void walkBreadthFirst();

    const ScanOptions &m_options;
    const LocalScanner::TreeBatchHandler &m_onBatch;
    const bool m_reportDirs;
    const LocalScanner::CancelCheck &m_isCancelled;
    const qsizetype m_batchSize;
    ScanSummary m_summary;
    std::vector<LocalEntry> m_batch;
    QStringList m_dirs;
    QElapsedTimer m_sinceFlush;
    std::vector<Frame> m_stack;
    dev_t m_rootDev = 0;
    int m_rootFd = -1; // valid while run() runs
};

bool Walker::pushDir(int parentFd, const QByteArray &name, const QString &relPath)
{
    const int fd = ::openat(parentFd, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        error(relPath, QStringLiteral("cannot open directory"), errno);
        return false;
    }
    DIR *d = ::fdopendir(fd);
    if (!d) {
        const int err = errno;
        ::close(fd);
        error(relPath, QStringLiteral("cannot read directory"), err);
        return false;
    }
    m_summary.directories += 1;
    m_stack.push_back(Frame{std::unique_ptr<DIR, DirCloser>(d), relPath});
    return true;
}

bool Walker::readOne(Frame &top, std::deque<Pending> *queue)
{
    static const QString staging = QString::fromUtf16(kStagingDirName);
    errno = 0;
    const dirent *de = ::readdir(top.dir.get());
    if (!de) {
        if (errno != 0)
            error(top.relPath, QStringLiteral("cannot list directory"), errno);
        return false;
    }
    const char *cname = de->d_name;
    if (cname[0] == '.' && (cname[1] == 0 || (cname[1] == '.' && cname[2] == 0)))
        return true;
    const QByteArray name(cname);
    const QString parentRel = top.relPath; // `top` may dangle after a push
    if (!QUtf8StringView(name).isValidUtf8()) {
        const QString shown = QString::fromUtf8(name);
        m_summary.errors.push_back(ScanError{parentRel.isEmpty() ? shown : parentRel + u'/' + shown,
                                             QStringLiteral("file name is not valid UTF-8: left alone")});
        return true;
    }
    const QString qname = QString::fromUtf8(name);
    QString rel = parentRel.isEmpty() ? qname : parentRel + u'/' + qname;
    const int dfd = ::dirfd(top.dir.get());
    struct stat st;
    if (::fstatat(dfd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) // removed since readdir: nothing to report
            error(rel, QStringLiteral("cannot stat"), errno);
        return true;
    }
    if (S_ISDIR(st.st_mode)) {
        if (parentRel.isEmpty() && qname == staging)
            return true;
        emitDir(rel);
        if (st.st_dev != m_rootDev && !m_options.crossFilesystems) {
            m_summary.otherFilesystems.append(rel);
            return true;
        }
        if (queue)
            queue->push_back(Pending{std::move(rel), st.st_dev, st.st_ino});
        else if (!cancelled())
            pushDir(dfd, name, rel);
        return true;
    }
    emitEntry(entryFrom(std::move(rel), st));
    return true;
}

void Walker::walk()
{
    while (!m_stack.empty() && !m_summary.cancelled) {
        if (!readOne(m_stack.back(), nullptr))
            m_stack.pop_back();
    }
}

void Walker::walkBreadthFirst()
{
    // m_stack holds the start directory; from then on one directory is open at a time.
    std::deque<Pending> queue;
    bool firstLevel = true;
    while (!m_stack.empty()) {
        while (readOne(m_stack.back(), &queue)) {
        }
        m_stack.pop_back();
        if (firstLevel) {
            flush(); // the top level at once: a browser shows it while the rest is read
            firstLevel = false;
        }
        while (m_stack.empty() && !queue.empty()) {
            if (cancelled())
                return;
            const Pending next = std::move(queue.front());
            queue.pop_front();
            // From the root, component by component: a parent swapped for a symlink since it
            // was seen is not followed (ELOOP/ENOTDIR), and nothing outside the root is read.
            UniqueFd fd = openDirBeneath(m_rootFd, next.relPath);
            if (!fd.valid()) {
                if (errno != ENOENT)
                    error(next.relPath, QStringLiteral("cannot open directory"), errno);
                continue;
            }
            struct stat st;
            if (::fstat(fd.get(), &st) != 0 || st.st_dev != next.device || st.st_ino != next.inode) {
                m_summary.errors.push_back(ScanError{
                    next.relPath, QStringLiteral("was replaced while the scan was running: not entered")});
                continue;
            }
            DIR *d = ::fdopendir(fd.get());
            if (!d) {
                error(next.relPath, QStringLiteral("cannot read directory"), errno);
                continue;
            }
            fd.release();
            m_summary.directories += 1;
            m_stack.push_back(Frame{std::unique_ptr<DIR, DirCloser>(d), next.relPath});
        }
    }
}

ScanSummary Walker::run()
{
    UniqueFd root = openRoot(m_options.root);
    if (!root.valid()) {
        m_summary.fatal =
            QStringLiteral("cannot open repository root %1: %2").arg(m_options.root, errnoText(errno));
        return m_summary;
    }
    struct stat rootSt;
    if (::fstat(root.get(), &rootSt) != 0) {
        m_summary.fatal = QStringLiteral("cannot stat %1: %2").arg(m_options.root, errnoText(errno));
        return m_summary;
    }
    m_rootDev = rootSt.st_dev;
    m_rootFd = root.get();
    if (cancelled())
        return m_summary;

    QString sub = m_options.subPath;
    while (sub.startsWith(u'/'))
        sub.remove(0, 1);
    while (sub.endsWith(u'/'))
        sub.chop(1);

    if (sub.isEmpty()) {
        m_summary.directories += 1;
        const int fd = ::fcntl(root.get(), F_DUPFD_CLOEXEC, 0);
        DIR *d = fd >= 0 ? ::fdopendir(fd) : nullptr;
        if (!d) {
            m_summary.fatal = QStringLiteral("cannot read %1: %2").arg(m_options.root, errnoText(errno));
            if (fd >= 0)
                ::close(fd);
            return m_summary;
        }
        m_stack.push_back(Frame{std::unique_ptr<DIR, DirCloser>(d), QString()});
    } else {
        QString parent, name;
        splitParent(sub, &parent, &name);
        UniqueFd pfd = openDirBeneath(root.get(), parent);
        if (!pfd.valid()) {
            if (errno == ENOENT) {
                m_summary.rootMissing = true;
            } else if (errno == ELOOP || errno == ENOTDIR) {
                m_summary.throughSymlink = true;
                m_summary.fatal =
                    QStringLiteral("%1 inside %2 is a symlink or not a directory: paths through a "
                                   "symlink are never followed")
                        .arg(parent, m_options.root);
            } else {
                m_summary.fatal = QStringLiteral("cannot open %1 inside %2: %3")
                                      .arg(parent.isEmpty() ? QStringLiteral(".") : parent, m_options.root,
                                           errnoText(errno));
            }
            return m_summary;
        }
        const QByteArray ename = QFile::encodeName(name);
        struct stat st;
        if (name == u"." || name == u".." ||
            ::fstatat(pfd.get(), ename.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                m_summary.rootMissing = true;
            else
                m_summary.fatal =
                    QStringLiteral("cannot stat %1 inside %2: %3").arg(sub, m_options.root, errnoText(errno));
            return m_summary;
        }
        if (!S_ISDIR(st.st_mode)) {
            emitEntry(entryFrom(sub, st)); // a single file (or symlink)
        } else if (parent.isEmpty() && name == QString::fromUtf16(kStagingDirName)) {
            // asked to scan the staging dir itself: nothing there belongs to the repo yet
        } else if (st.st_dev != m_rootDev && !m_options.crossFilesystems) {
            m_summary.otherFilesystems.append(sub);
        } else if (!pushDir(pfd.get(), ename, sub)) {
            m_summary.fatal = m_summary.errors.back().message;
            return m_summary;
        }
    }
    if (m_options.breadthFirst)
        walkBreadthFirst();
    else
        walk();
    if (!m_summary.cancelled)
        flush();
    return m_summary;
}

} // namespace

ScanSummary LocalScanner::scan(const ScanOptions &options, const BatchHandler &onBatch,
                               const CancelCheck &isCancelled)
{
    const TreeBatchHandler files = [&onBatch](std::vector<LocalEntry> &&batch, QStringList &&) {
        if (onBatch && !batch.empty())
            onBatch(std::move(batch));
    };
    Walker w(options, files, false, isCancelled);
    return w.run();
}

ScanSummary LocalScanner::scanTree(const ScanOptions &options, const TreeBatchHandler &onBatch,
                                   const CancelCheck &isCancelled)
{
    Walker w(options, onBatch, true, isCancelled);
    return w.run();
}

QFuture<ScanSummary> LocalScanner::start(const ScanOptions &options, BatchHandler onBatch, QThreadPool *pool)
{
    auto promise = std::make_shared<QPromise<ScanSummary>>();
    QFuture<ScanSummary> future = promise->future();
    promise->start();
    if (!pool)
        pool = QThreadPool::globalInstance();
    pool->start([promise, options, onBatch = std::move(onBatch)]() {
        ScanSummary s = scan(options, onBatch, [&promise]() { return promise->isCanceled(); });
        promise->addResult(std::move(s));
        promise->finish();
    });
    return future;
}

ScanSummary LocalScanner::scanAll(const ScanOptions &options, std::vector<LocalEntry> *out)
{
    return scan(options, [out](std::vector<LocalEntry> &&batch) {
        out->insert(out->end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    });
}

} // namespace baricadr
