#include "browse/localwalker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QThread>

#include <cerrno>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace baricadr {

LocalWalker::LocalWalker(QString root, QObject *parent)
    : QObject(parent)
    , m_root(std::move(root))
{}

LocalWalker::~LocalWalker()
{
    cancel();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void LocalWalker::start()
{
    if (m_thread)
        return;
    m_thread = QThread::create([this] { run(); });
    m_thread->start(QThread::LowPriority);
}

void LocalWalker::cancel()
{
    m_cancel = true;
}

bool LocalWalker::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void LocalWalker::run()
{
    // Runs on m_thread. Touches only locals and atomics; results go back by queued calls.
    LocalBatch batch;
    QElapsedTimer sinceFlush;
    sinceFlush.start();
    auto flush = [&] {
        if (batch.files.isEmpty() && batch.dirs.isEmpty())
            return;
        QMetaObject::invokeMethod(
            this, [this, b = std::move(batch)] { Q_EMIT batchReady(b); }, Qt::QueuedConnection);
        batch = LocalBatch();
        sinceFlush.restart();
    };

    const QByteArray rootBytes = QFile::encodeName(m_root);
    int rootFd = ::open(rootBytes.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootFd < 0) {
        const QString msg = QStringLiteral("Cannot read the local directory %1: %2")
                                .arg(m_root, QString::fromLocal8Bit(std::strerror(errno)));
        QMetaObject::invokeMethod(
            this, [this, msg] { Q_EMIT finished(Error(ErrorCode::Io, msg), 0); }, Qt::QueuedConnection);
        return;
    }

    int skipped = 0;
    std::deque<QByteArray> queue; // repo-relative directory paths, breadth-first
    queue.emplace_back();
    while (!queue.empty() && !m_cancel) {
        const QByteArray rel = std::move(queue.front());
        queue.pop_front();
        const int fd = rel.isEmpty() ? ::dup(rootFd)
                                     : ::openat(rootFd, rel.constData(),
                                                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = fd >= 0 ? ::fdopendir(fd) : nullptr;
        if (!d) {
            if (fd >= 0)
                ::close(fd);
            ++skipped;
            continue;
        }
        const int dfd = ::dirfd(d);
        while (dirent *e = ::readdir(d)) {
            if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0)
                continue;
            if (rel.isEmpty() && std::strcmp(e->d_name, ".baricadr-staging") == 0)
                continue; // pulls in flight (scan/localscanner.h kStagingDirName): not repo content
            struct stat st;
            if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue; // vanished since readdir
            QByteArray childRel = rel.isEmpty() ? QByteArray(e->d_name) : rel + '/' + e->d_name;
            if (S_ISDIR(st.st_mode)) {
                batch.dirs << QFile::decodeName(childRel);
                queue.push_back(std::move(childRel));
            } else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
                LocalEntry le;
                le.relPath = QFile::decodeName(childRel);
                le.size = st.st_size;
                le.mtimeNs = qint64(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
                le.atimeNs = qint64(st.st_atim.tv_sec) * 1'000'000'000LL + st.st_atim.tv_nsec;
                le.inode = st.st_ino;
                le.device = st.st_dev;
                le.isSymlink = S_ISLNK(st.st_mode);
                batch.files.append(std::move(le));
            }
            if (batch.files.size() + batch.dirs.size() >= batchSize || sinceFlush.elapsed() >= 100)
                flush();
        }
        ::closedir(d);
        // Send the first level at once: the view shows it while the rest is walked.
        if (rel.isEmpty())
            flush();
    }
    ::close(rootFd);
    flush();
    const bool cancelled = m_cancel;
    QMetaObject::invokeMethod(
        this,
        [this, skipped, cancelled] {
            Q_EMIT finished(cancelled ? Status(Error(ErrorCode::Cancelled, QStringLiteral("Scan cancelled.")))
                                      : Status(),
                            skipped);
        },
        Qt::QueuedConnection);
}

} // namespace baricadr
