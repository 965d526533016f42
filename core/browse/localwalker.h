#pragma once

#include "scan/fileentry.h"
#include "util/result.h"

#include <QList>
#include <QObject>
#include <QStringList>

#include <atomic>

class QThread;

namespace baricadr {

// A slice of a local walk: regular files and symlinks (lstat, symlinks not followed), and the
// directories met (so that empty directories, e.g. left by a freeze, stay browsable).
struct LocalBatch
{
    QList<LocalEntry> files;
    QStringList dirs; // repo-relative
};

// Streaming lstat walk of a directory tree on a thread of its own, breadth-first so the first
// level arrives first. Batches are delivered on the walker's thread (queued); deleting the walker
// stops the walk and joins the thread (no work outlives it).
class LocalWalker : public QObject
{
    Q_OBJECT
public:
    explicit LocalWalker(QString root, QObject *parent = nullptr);
    ~LocalWalker() override;

    void start();
    void cancel();
    bool isRunning() const;

    int batchSize = 2000; // entries per batch (a batch is also sent after 100 ms)

Q_SIGNALS:
    void batchReady(const baricadr::LocalBatch &batch);
    // Error when the root itself cannot be read; unreadable subdirectories are counted in
    // `skippedDirs` and the walk goes on.
    void finished(const baricadr::Status &status, int skippedDirs);

private:
    void run();

    QString m_root;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
};

} // namespace baricadr
