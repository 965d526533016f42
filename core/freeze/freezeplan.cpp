#include "freeze/freezeplan.h"

namespace baricadr {

QString toString(KeepReason reason)
{
    switch (reason) {
    case KeepReason::RecentlyAccessed:
        return QStringLiteral("recently_accessed");
    case KeepReason::ModifiedLocally:
        return QStringLiteral("modified_locally");
    case KeepReason::NotOnRemote:
        return QStringLiteral("not_on_remote");
    case KeepReason::SizeMismatch:
        return QStringLiteral("size_mismatch");
    case KeepReason::HashMismatch:
        return QStringLiteral("hash_mismatch");
    case KeepReason::Excluded:
        return QStringLiteral("excluded");
    case KeepReason::Pinned:
        return QStringLiteral("pinned");
    case KeepReason::ChangedDuringFreeze:
        return QStringLiteral("changed_during_freeze");
    case KeepReason::NotRegularFile:
        return QStringLiteral("not_regular_file");
    case KeepReason::WatermarkReached:
        return QStringLiteral("watermark_reached");
    case KeepReason::ChecksumUnavailable:
        return QStringLiteral("checksum_unavailable");
    case KeepReason::RemoveFailed:
        return QStringLiteral("remove_failed");
    }
    return QStringLiteral("unknown");
}

std::vector<KeepReason> allKeepReasons()
{
    return {KeepReason::RecentlyAccessed, KeepReason::ModifiedLocally,     KeepReason::NotOnRemote,
            KeepReason::SizeMismatch,     KeepReason::HashMismatch,        KeepReason::Excluded,
            KeepReason::Pinned,           KeepReason::ChangedDuringFreeze, KeepReason::NotRegularFile,
            KeepReason::WatermarkReached, KeepReason::ChecksumUnavailable, KeepReason::RemoveFailed};
}

std::optional<KeepReason> keepReasonFromString(const QString &s)
{
    for (KeepReason r : allKeepReasons()) {
        if (toString(r) == s)
            return r;
    }
    return std::nullopt;
}

} // namespace baricadr
