#pragma once

#include "scan/fileentry.h"
#include "util/result.h"

#include <QFuture>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

class QThread;
template<typename T> class QFutureWatcher;

namespace baricadr {

// A slice of a local walk: regular files and symlinks (lstat, symlinks not followed), and the
// directories met (so that empty directories, e.g. left by a freeze, stay browsable).
struct LocalBatch
{
    QList<LocalEntry> files;
    QStringList dirs; // repo-relative
};

// rclone time ("2021-02-17T15:11:56.123456789+01:00", any number of fraction digits) to ns since
// the epoch; 0 when it cannot be parsed.
qint64 parseRcloneTimeNs(QStringView text);
// A remote entry from an rclone lsjson object (as POST /list with "full" returns it). `path`
// overrides the object's Path when not empty (the service rewrites Path relative to the request).
RemoteEntry remoteEntryFromJson(const QJsonObject &object, const QString &path = QString());

// One scan of a repo for browsing: a local walk (LocalScanner, breadth-first so the first level
// arrives first, on a thread of its own; special files are not shown) and a remote listing
// (whatever the caller provides: the engine's lister in local mode, the REST API in remote mode)
// run at the same time and deliver batches on the scan's thread. Deleting the scan stops both.
class RepoScan : public QObject
{
    Q_OBJECT
public:
    using RemoteListFn = std::function<QFuture<Result<QList<RemoteEntry>>>()>;
    // A streaming remote listing: started with the scan, it feeds addRemoteBatch() and ends with
    // finishRemote(); whatever it creates should be parented to the scan (stopped with it).
    using RemoteStreamFn = std::function<void(RepoScan *scan)>;

    // An empty localRoot means "no local side" (a remote service whose disk is not visible here):
    // localFinished then reports ErrorCode::NotFound at once.
    RepoScan(QString localRoot, RemoteListFn remoteList, QObject *parent = nullptr);
    RepoScan(QString localRoot, RemoteStreamFn remoteStream, QObject *parent = nullptr);
    ~RepoScan() override;

    void start();
    void cancel();
    bool localDone() const { return m_localDone; }
    bool remoteDone() const { return m_remoteDone; }

    int localBatchSize = 2000; // entries per local batch (a batch is also sent after 100 ms)

    // For RemoteStreamFn implementations.
    void addRemoteBatch(const QList<RemoteEntry> &entries);
    void finishRemote(const Status &status);

Q_SIGNALS:
    void localBatch(const baricadr::LocalBatch &batch);
    // Error when the root itself cannot be read (or the scan was cancelled); entries that
    // could not be read (mostly directories) are counted in `skippedDirs` and the walk goes on.
    void localFinished(const baricadr::Status &status, int skippedDirs);
    void remoteBatch(const QList<baricadr::RemoteEntry> &entries);
    void remoteFinished(const baricadr::Status &status);

private:
    QString m_localRoot;
    RemoteListFn m_remoteList;
    RemoteStreamFn m_remoteStream;
    void startLocal();
    void stopLocal();

    QThread *m_localThread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancelLocal = std::make_shared<std::atomic<bool>>(false);
    std::unique_ptr<QFutureWatcher<Result<QList<RemoteEntry>>>> m_watcher;
    bool m_localDone = false;
    bool m_remoteDone = false;
};

} // namespace baricadr
