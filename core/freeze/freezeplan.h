#pragma once

#include "scan/fileentry.h"

#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace baricadr {

// Why a local file is kept by a freeze. Wire names (API, logs, GUI) are the snake_case words.
enum class KeepReason
{
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
    ChecksumUnavailable, // checksum_unavailable: verify=checksum but no remote hash, or the local
                         //   file cannot be hashed without changing its last-access time
    RemoveFailed,        // remove_failed: verified, but the system refused the unlink (permissions…)
};

QString toString(KeepReason reason);
std::optional<KeepReason> keepReasonFromString(const QString &s);
// Every reason, in declaration order (for tables and "kept by reason" counts).
std::vector<KeepReason> allKeepReasons();

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
    qint64 bytes = 0;          // all local files of that age
    qint64 freezableBytes = 0; // of which verified safe on the remote
};

struct FreezePlan
{
    std::vector<FreezeCandidate> toFreeze;
    std::vector<KeptFile> kept; // every kept file, except recently_accessed ones when the policy
                                // asked to count them only (FreezePolicy::listRecentlyAccessed)
    qint64 bytesToFreeze = 0;
    std::vector<AgeBucket> histogram;

    // Kept files and bytes by reason: complete even when `kept` does not list every file.
    std::map<KeepReason, qint64> keptCounts;
    std::map<KeepReason, qint64> keptBytes;
    qint64 localFiles = 0; // entries planned (files, symlinks, special files)
    qint64 localBytes = 0;

    qint64 keptTotal() const
    {
        qint64 n = 0;
        for (const auto &[reason, count] : keptCounts)
            n += count;
        return n;
    }
};

} // namespace baricadr
