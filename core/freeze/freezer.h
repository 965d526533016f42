#pragma once

#include "freeze/freezeplan.h"
#include "freeze/journalentry.h"
#include "scan/safedir.h"
#include "util/result.h"

#include <QString>

#include <functional>
#include <optional>

namespace baricadr {

struct FreezerOptions
{
    QString root;   // repo root (canonical); nothing outside it is ever touched
    QString taskId; // recorded in each journal entry
    // Where the repo's remote copy lives, without credentials ("sftp://host/prefix"); each
    // journal entry gets remoteBase + "/" + relPath (+ ".rclonelink" for a symlink).
    QString remoteBase;
    qint64 coldBeforeNs = 0; // last access must still be older than this …
    bool force = false;      // … unless forced (force never lifts any other check)
    std::function<bool(const QString &relPath)> isExcluded;
    // Asked right before each unlink, so a pin added during the freeze is honoured. Called once
    // per file: keep it cheap (an in-memory pin set that the store keeps current).
    std::function<bool(const QString &relPath)> isPinned;
    // Records one file about to be removed. Called right before each unlink (so that a crash
    // can never leave a removed file out of the journal); a failure keeps the file and stops
    // the freeze.
    std::function<Status(const JournalEntry &)> record;
    // Takes a record back when the file was kept after all (changed in the meantime, or the
    // unlink was refused). Optional: unset, such a row stays (it names a file that is still here).
    std::function<Status(const JournalEntry &)> retract;
    bool checksum = false; // verify: checksum
    // Read with O_NOATIME (never updates atime). Tests set false to exercise the fallback that
    // reads normally and puts the atime back with futimens().
    bool useNoAtime = true;
};

// The outcome of one file.
struct FreezeStep
{
    enum Kind
    {
        Frozen,
        Kept,
        Stop
    };
    Kind kind = Kept;
    KeptFile kept;        // Kept: why (nothing was touched)
    JournalEntry journal; // Frozen: what was removed and recorded
    Error error;          // Stop: the freeze must stop here (journal failure, repo root gone)
};

struct LocalHash
{
    QString hex;                    // lower-case hex digest when computed
    std::optional<KeepReason> keep; // set when the file cannot be hashed safely, or changed
    QString detail;
    // Set when hashing itself changed the file's ctime (putting its atime back is a status
    // change): the ctime it left, which the re-check before the unlink then expects.
    qint64 ctimeAfterNs = 0;
};

// Executes a freeze plan one file at a time: for each file, right before the unlink, the file
// is checked again through a path opened component by component with O_NOFOLLOW from the repo
// root (a parent directory swapped for a symlink is never followed), and must still be the
// planned regular file or symlink — same size, mtime, ctime (no chmod, chown, rename or write
// since planning), inode and device, atime still older than
// the threshold (unless forced), not excluded, not pinned now, and its content matching the
// remote hash on verify=checksum repos. Then the journal record, one more lstat, and unlinkat()
// relative to that parent fd. Directories are never removed, not even when a freeze empties them: the tree
// keeps its shape, so users still browse (and pull back into) the directories they know.
// Synchronous; use from one thread at a time.
class Freezer
{
public:
    explicit Freezer(FreezerOptions options);

    // Opens the repo root. Must succeed before freezeOne().
    Status open();

    // `precomputedHash`: the local hash of this file computed earlier (off-thread) with
    // hashLocal(); when null and checksum is on, the file is hashed here.
    FreezeStep freezeOne(const FreezeCandidate &c, const LocalHash *precomputedHash = nullptr);

    // The local content hash (`hashType` md5 or sha1) of the planned file, read without
    // changing its last-access time: O_NOATIME, or (when refused) a normal read followed by
    // futimens() back to the old atime — and when the atime cannot be put back, the file is not
    // read at all (checksum_unavailable). A symlink's "content" is its target, as in the
    // .rclonelink object. Safe to call from any thread.
    static LocalHash hashLocal(const QString &root, const LocalEntry &planned, const QString &hashType,
                               bool useNoAtime = true);

    // Runs a whole list in order (CLI, tests; FreezeJob runs its own chunked loop with the
    // same rule): `onStep` sees every outcome; the first Stop ends the run and is returned.
    Status freezeAll(const std::vector<FreezeCandidate> &files,
                     const std::function<void(const FreezeStep &)> &onStep,
                     const std::function<bool()> &isCancelled = {});

    const FreezerOptions &options() const { return m_options; }

private:
    FreezeStep keptStep(const LocalEntry &e, KeepReason reason, QString detail) const;

    FreezerOptions m_options;
    UniqueFd m_root;
};

} // namespace baricadr
