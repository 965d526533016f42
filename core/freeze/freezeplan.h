#pragma once

#include "scan/fileentry.h"

#include <QString>

#include <vector>

namespace baricadr {

// Why a local file is kept by a freeze. Wire names (API, logs, GUI) are the snake_case words.
enum class KeepReason {
    RecentlyAccessed,    // recently_accessed: last access newer than freeze_age (or freeze_min_age)
    ModifiedLocally,     // modified_locally: local mtime newer than the remote copy
    NotOnRemote,         // not_on_remote: the remote has no such file
    SizeMismatch,        // size_mismatch: remote size differs
    HashMismatch,        // hash_mismatch: checksum verification failed
    Excluded,            // excluded: matches an exclude glob of the repo
    Pinned,              // pinned: under a pinned path
    ChangedDuringFreeze, // changed_during_freeze: size/mtime/inode/atime moved since planning
    NotRegularFile,      // not_regular_file: a device, fifo, socket… never frozen
    WatermarkReached,    // watermark_reached: a watermark freeze had freed enough
};

QString toString(KeepReason reason);

struct FreezeCandidate
{
    LocalEntry local;
    RemoteEntry remote;
};

struct KeptFile
{
    QString relPath;
    qint64 size = 0;
    KeepReason reason = KeepReason::NotOnRemote;
    QString detail; // e.g. "remote 120 B, local 130 B"
};

// Bytes of local files by last-access age, for picking a good freeze_age.
struct AgeBucket
{
    int minDays = 0; // inclusive
    int maxDays = 0; // exclusive; -1 = open-ended
    qint64 files = 0;
    qint64 bytes = 0;            // all local files of that age
    qint64 freezableBytes = 0;   // of which verified safe on the remote
};

struct FreezePlan
{
    std::vector<FreezeCandidate> toFreeze;
    std::vector<KeptFile> kept;
    qint64 bytesToFreeze = 0;
    std::vector<AgeBucket> histogram;
};

} // namespace baricadr
