#include "browse/reposcan.h"

#include "util/jsonnumbers.h"

#include "scan/localscanner.h"

#include <QDate>
#include <QDateTime>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QThread>
#include <QTime>
#include <QTimeZone>

namespace baricadr {

qint64 parseRcloneTimeNs(QStringView t)
{
    // YYYY-MM-DDTHH:MM:SS[.fffffffff](Z|+HH:MM|-HH:MM)
    if (t.size() < 20 || t[4] != u'-' || t[7] != u'-' || (t[10] != u'T' && t[10] != u' ') || t[13] != u':' ||
        t[16] != u':')
        return 0;
    bool ok[6];
    const int y = t.mid(0, 4).toInt(&ok[0]), mo = t.mid(5, 2).toInt(&ok[1]), d = t.mid(8, 2).toInt(&ok[2]);
    const int h = t.mid(11, 2).toInt(&ok[3]), mi = t.mid(14, 2).toInt(&ok[4]), s = t.mid(17, 2).toInt(&ok[5]);
    for (bool b : ok) {
        if (!b)
            return 0;
    }
    qsizetype i = 19;
    qint64 frac = 0;
    if (i < t.size() && t[i] == u'.') {
        ++i;
        int digits = 0;
        while (i < t.size() && t[i].isDigit()) {
            if (digits < 9) {
                frac = frac * 10 + t[i].digitValue();
                ++digits;
            }
            ++i;
        }
        for (; digits < 9; ++digits)
            frac *= 10;
    }
    int offsetSecs = 0;
    if (i < t.size() && (t[i] == u'+' || t[i] == u'-')) {
        if (t.size() < i + 6)
            return 0;
        const int sign = t[i] == u'-' ? -1 : 1;
        offsetSecs = sign * (t.mid(i + 1, 2).toInt() * 3600 + t.mid(i + 4, 2).toInt() * 60);
    } else if (i >= t.size() || t[i] != u'Z') {
        return 0;
    }
    const QDateTime dt(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC);
    if (!dt.isValid())
        return 0;
    return (dt.toSecsSinceEpoch() - offsetSecs) * 1'000'000'000LL + frac;
}

RemoteEntry remoteEntryFromJson(const QJsonObject &o, const QString &path)
{
    RemoteEntry e;
    e.relPath = path.isEmpty() ? o.value(QStringLiteral("Path")).toString() : path;
    e.size = json::toInt64(o.value(QStringLiteral("Size")), -1);
    e.mtimeNs = parseRcloneTimeNs(o.value(QStringLiteral("ModTime")).toString());
    e.isDir = o.value(QStringLiteral("IsDir")).toBool();
    static const QString kLink = QStringLiteral(".rclonelink");
    if (!e.isDir && e.relPath.endsWith(kLink)) {
        e.relPath.chop(kLink.size());
        e.isSymlink = true;
    }
    const QJsonObject hashes = o.value(QStringLiteral("Hashes")).toObject();
    for (const QString &type : {QStringLiteral("md5"), QStringLiteral("sha1")}) {
        if (hashes.contains(type)) {
            e.hashType = type;
            e.hash = hashes.value(type).toString();
            break;
        }
    }
    return e;
}

RepoScan::RepoScan(QString localRoot, RemoteListFn remoteList, QObject *parent)
    : QObject(parent)
    , m_localRoot(std::move(localRoot))
    , m_remoteList(std::move(remoteList))
{}

RepoScan::RepoScan(QString localRoot, RemoteStreamFn remoteStream, QObject *parent)
    : QObject(parent)
    , m_localRoot(std::move(localRoot))
    , m_remoteStream(std::move(remoteStream))
{}

void RepoScan::addRemoteBatch(const QList<RemoteEntry> &entries)
{
    if (!m_remoteDone)
        Q_EMIT remoteBatch(entries);
}

void RepoScan::finishRemote(const Status &status)
{
    if (m_remoteDone)
        return;
    m_remoteDone = true;
    Q_EMIT remoteFinished(status);
}

RepoScan::~RepoScan()
{
    cancel();
    stopLocal();
}

void RepoScan::startLocal()
{
    ScanOptions so;
    // The scanner refuses a root that is itself a symlink (O_NOFOLLOW); a browser may be given
    // a path that reaches the repo through one (the same repo mounted elsewhere on this
    // computer). Resolving the root is safe: nothing below it is ever followed.
    const QString canonical = QFileInfo(m_localRoot).canonicalFilePath();
    so.root = canonical.isEmpty() ? m_localRoot : canonical;
    so.breadthFirst = true;
    so.flushIntervalMs = 100;
    so.batchSize = localBatchSize;
    so.crossFilesystems = true; // browsing shows what is on disk, mounts included
    auto cancelled = m_cancelLocal;
    // Runs on m_localThread: touches only its copies and the atomic; results go back queued
    // (to `this`: dropped if the scan is gone).
    m_localThread = QThread::create([this, so, cancelled] {
        const ScanSummary s = LocalScanner::scanTree(
            so,
            [this](std::vector<LocalEntry> &&files, QStringList &&dirs) {
                LocalBatch b;
                b.files.reserve(qsizetype(files.size()));
                for (LocalEntry &e : files)
                    if (!e.isSpecial)
                        b.files.append(std::move(e));
                b.dirs = std::move(dirs);
                QMetaObject::invokeMethod(
                    this, [this, b = std::move(b)] { Q_EMIT localBatch(b); }, Qt::QueuedConnection);
            },
            [cancelled] { return cancelled->load(); });
        Status st;
        if (!s.fatal.isEmpty())
            st = Error(ErrorCode::Io, s.fatal);
        else if (s.rootMissing)
            st = Error(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(so.root));
        else if (s.cancelled)
            st = Error(ErrorCode::Cancelled, QStringLiteral("Scan cancelled."));
        const int skipped = int(s.errors.size());
        QMetaObject::invokeMethod(
            this,
            [this, st, skipped] {
                m_localDone = true;
                Q_EMIT localFinished(st, skipped);
            },
            Qt::QueuedConnection);
    });
    m_localThread->start(QThread::LowPriority);
}

void RepoScan::stopLocal()
{
    *m_cancelLocal = true;
    if (m_localThread) {
        m_localThread->wait();
        delete m_localThread;
        m_localThread = nullptr;
    }
}

void RepoScan::start()
{
    if (m_localRoot.isEmpty()) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_localDone = true;
                Q_EMIT localFinished(
                    Error(ErrorCode::NotFound,
                          tr("The repository's local files are not visible from this computer.")),
                    0);
            },
            Qt::QueuedConnection);
    } else if (!m_localThread) {
        startLocal();
    }

    if (m_remoteStream) {
        m_remoteStream(this);
        return;
    }
    if (!m_remoteList) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_remoteDone = true;
                Q_EMIT remoteFinished(Error(ErrorCode::NotFound, tr("No remote listing is available.")));
            },
            Qt::QueuedConnection);
        return;
    }
    m_watcher = std::make_unique<QFutureWatcher<Result<QList<RemoteEntry>>>>();
    connect(m_watcher.get(), &QFutureWatcherBase::finished, this, [this] {
        m_remoteDone = true;
        const QFuture<Result<QList<RemoteEntry>>> f = m_watcher->future();
        if (f.isCanceled() || f.resultCount() == 0) {
            Q_EMIT remoteFinished(Error(ErrorCode::Cancelled, tr("Remote listing cancelled.")));
            return;
        }
        const Result<QList<RemoteEntry>> r = f.result();
        if (!r.ok()) {
            Q_EMIT remoteFinished(r.error());
            return;
        }
        Q_EMIT remoteBatch(r.value());
        Q_EMIT remoteFinished(Status());
    });
    m_watcher->setFuture(m_remoteList());
}

void RepoScan::cancel()
{
    *m_cancelLocal = true;
    if (m_watcher) {
        m_watcher->disconnect(this);
    }
}

} // namespace baricadr
