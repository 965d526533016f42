#pragma once

#include "scan/fileentry.h"

#include <QFuture>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QThreadPool;

namespace baricadr {

// The pull staging directory at a repo's root: never scanned, never frozen.
inline constexpr char16_t kStagingDirName[] = u".baricadr-staging";

struct ScanOptions
{
    QString root;                  // repo root: canonical absolute path
    QString subPath;               // repo-relative dir or file to walk ("" = the whole repo)
    bool crossFilesystems = false; // descend into directories mounted from other filesystems
    int batchSize = 4096;          // entries per batch handed to the consumer
    // Breadth-first: every entry of a directory level comes before the next level (a browser
    // shows the top at once; the first level is handed over as soon as it is read). Queued
    // directories are opened again from the root, component by component (O_NOFOLLOW), so the
    // walk holds one directory open at a time. Default: depth-first (one open per level).
    bool breadthFirst = false;
    // Also hand over a partial batch once this long has passed since the last one (0 = only
    // full batches): a slow disk still shows progress.
    int flushIntervalMs = 0;
};

struct ScanError
{
    QString relPath; // repo-relative path that could not be read
    QString message; // plain words, with the system's reason
};

struct ScanSummary
{
    qint64 files = 0;       // entries reported (regular files, symlinks, special files)
    qint64 directories = 0; // directories walked
    qint64 bytes = 0;
    std::vector<ScanError> errors; // unreadable directories/entries: never silently skipped
    QStringList otherFilesystems;  // mount points not descended into
    bool cancelled = false;
    bool rootMissing = false;    // the start path does not exist
    QString fatal;               // the start path could not be opened at all
    bool throughSymlink = false; // … because a component of it is a symlink or not a directory
};

// Fast streaming walk of (a subtree of) a repo with openat/fdopendir/fstatat(AT_SYMLINK_NOFOLLOW):
// one stat per entry (what `find -printf` costs), no symlink followed (directories are opened
// with O_NOFOLLOW relative to their parent's fd, so a directory swapped for a symlink during the
// walk is not entered; breadth-first, from the root one component at a time, and a directory
// replaced since it was seen is not entered either), other filesystems not entered unless asked,
// the staging dir skipped. Memory: one batch of `batchSize` entries plus one open directory per
// depth level (depth-first) or the queue of directory paths still to read (breadth-first).
class LocalScanner
{
public:
    using BatchHandler = std::function<void(std::vector<LocalEntry> &&batch)>;
    // Files and the directories met (repo-relative; also empty ones, and mount points not
    // entered), so a browser shows the tree's shape. Both count towards batchSize.
    using TreeBatchHandler = std::function<void(std::vector<LocalEntry> &&files, QStringList &&dirs)>;
    using CancelCheck = std::function<bool()>;

    // Walks in the calling thread. `onBatch` gets each full batch (and the last partial one);
    // `isCancelled` is checked before each directory and every batch.
    static ScanSummary scan(const ScanOptions &options, const BatchHandler &onBatch,
                            const CancelCheck &isCancelled = {});

    // Walks on `pool` (default: the global pool). `onBatch` runs in that pool thread; the
    // returned future carries the summary. QFuture::cancel() stops the walk at the next
    // directory (the summary then says cancelled).
    static QFuture<ScanSummary> start(const ScanOptions &options, BatchHandler onBatch,
                                      QThreadPool *pool = nullptr);

    // The same walk, also reporting directories.
    static ScanSummary scanTree(const ScanOptions &options, const TreeBatchHandler &onBatch,
                                const CancelCheck &isCancelled = {});

    // Convenience for small trees and tests: everything in one vector.
    static ScanSummary scanAll(const ScanOptions &options, std::vector<LocalEntry> *out);
};

} // namespace baricadr
