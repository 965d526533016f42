#include "freeze/freezer.h"

#include "util/timespec.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcFreeze, "baricadr.freeze")

namespace baricadr {

namespace {

QString ageText(qint64 atimeNs)
{
    return QDateTime::fromMSecsSinceEpoch(atimeNs / 1'000'000, Qt::UTC).toString(Qt::ISODate);
}

// Why `st` is no longer the planned entry, or empty when it still is. `ctimeNs`: the status
// change time expected (the planned one, unless a verification moved it).
QString differs(const LocalEntry &e, const struct stat &st, qint64 ctimeNs)
{
    if (S_ISDIR(st.st_mode))
        return QStringLiteral("is now a directory");
    if (e.isSymlink ? !S_ISLNK(st.st_mode) : !S_ISREG(st.st_mode))
        return QStringLiteral("is no longer a %1").arg(e.isSymlink ? u"symlink" : u"regular file");
    if (quint64(st.st_ino) != e.inode || quint64(st.st_dev) != e.device)
        return QStringLiteral("was replaced (new inode)");
    if (qint64(st.st_size) != e.size)
        return QStringLiteral("size changed from %1 B to %2 B").arg(e.size).arg(qint64(st.st_size));
    if (toNs(st.st_mtim) != e.mtimeNs)
        return QStringLiteral("was modified since planning");
    if (toNs(st.st_ctim) != ctimeNs)
        return QStringLiteral("its status changed since planning (ctime moved: permissions, owner, name or "
                              "content)");
    return {};
}

std::optional<QCryptographicHash::Algorithm> algorithmFor(const QString &type)
{
    const QString t = type.toLower();
    if (t == u"md5")
        return QCryptographicHash::Md5;
    if (t == u"sha1")
        return QCryptographicHash::Sha1;
    return std::nullopt;
}

LocalHash hashFailure(KeepReason r, QString detail)
{
    LocalHash h;
    h.keep = r;
    h.detail = std::move(detail);
    return h;
}

} // namespace

Freezer::Freezer(FreezerOptions options)
    : m_options(std::move(options))
{}

Status Freezer::open()
{
    if (!m_options.record)
        return Error(ErrorCode::Internal,
                     QStringLiteral("freeze of %1 has no journal to record into").arg(m_options.root));
    m_root = openRoot(m_options.root);
    if (!m_root.valid())
        return Error(
            ErrorCode::Io,
            QStringLiteral("cannot open repository root %1: %2").arg(m_options.root, errnoText(errno)));
    return {};
}

FreezeStep Freezer::keptStep(const LocalEntry &e, KeepReason reason, QString detail) const
{
    FreezeStep s;
    s.kind = FreezeStep::Kept;
    s.kept = KeptFile{e.relPath, e.size, reason, std::move(detail)};
    return s;
}

LocalHash Freezer::hashLocal(const QString &root, const LocalEntry &planned, const QString &hashType,
                             bool useNoAtime)
{
    const auto algo = algorithmFor(hashType);
    if (!algo)
        return hashFailure(KeepReason::ChecksumUnavailable,
                           QStringLiteral("hash type \"%1\" is not supported").arg(hashType));
    UniqueFd rootFd = openRoot(root);
    if (!rootFd.valid())
        return hashFailure(KeepReason::ChangedDuringFreeze,
                           QStringLiteral("cannot open %1: %2").arg(root, errnoText(errno)));
    QString parent, name;
    splitParent(planned.relPath, &parent, &name);
    UniqueFd pfd = openDirBeneath(rootFd.get(), parent);
    if (!pfd.valid())
        return hashFailure(KeepReason::ChangedDuringFreeze,
                           QStringLiteral("cannot open its directory: %1").arg(errnoText(errno)));
    const QByteArray ename = QFile::encodeName(name);
    struct stat st0;
    if (::fstatat(pfd.get(), ename.constData(), &st0, AT_SYMLINK_NOFOLLOW) != 0)
        return hashFailure(KeepReason::ChangedDuringFreeze,
                           QStringLiteral("cannot stat: %1").arg(errnoText(errno)));
    if (const QString why = differs(planned, st0, planned.ctimeNs); !why.isEmpty())
        return hashFailure(KeepReason::ChangedDuringFreeze, why);
    // Putting the atime back (utimensat/futimens) is a status change: it moves the ctime.
    bool touchedStatus = false;

    // Setting the atime to its own value changes nothing, and tells whether we could put it back.
    const timespec keepAtime[2] = {st0.st_atim, {0, UTIME_OMIT}};
    auto canRestoreAtime = [&]() {
        touchedStatus = true;
        return ::utimensat(pfd.get(), ename.constData(), keepAtime, AT_SYMLINK_NOFOLLOW) == 0;
    };

    QCryptographicHash hash(*algo);
    if (planned.isSymlink) {
        // readlink() updates a symlink's atime too: only read it when the atime can be put back.
        if (!canRestoreAtime())
            return hashFailure(
                KeepReason::ChecksumUnavailable,
                QStringLiteral("cannot read the link without changing its last access time: %1")
                    .arg(errnoText(errno)));
        QByteArray target(qsizetype(st0.st_size) + 1, Qt::Uninitialized);
        const ssize_t n = ::readlinkat(pfd.get(), ename.constData(), target.data(), size_t(target.size()));
        const int err = errno;
        ::utimensat(pfd.get(), ename.constData(), keepAtime, AT_SYMLINK_NOFOLLOW);
        if (n < 0)
            return hashFailure(KeepReason::ChecksumUnavailable,
                               QStringLiteral("cannot read link: %1").arg(errnoText(err)));
        if (n != st0.st_size)
            return hashFailure(KeepReason::ChangedDuringFreeze, QStringLiteral("link target changed"));
        hash.addData(QByteArrayView(target.constData(), n));
        struct stat st1;
        if (::fstatat(pfd.get(), ename.constData(), &st1, AT_SYMLINK_NOFOLLOW) != 0)
            return hashFailure(KeepReason::ChangedDuringFreeze,
                               QStringLiteral("cannot stat: %1").arg(errnoText(errno)));
        if (const QString why = differs(planned, st1, toNs(st1.st_ctim)); !why.isEmpty())
            return hashFailure(KeepReason::ChangedDuringFreeze,
                               why + QStringLiteral(" while being verified"));
        LocalHash out;
        out.hex = QString::fromLatin1(hash.result().toHex());
        out.ctimeAfterNs = toNs(st1.st_ctim);
        return out;
    } else {
        bool restore = false;
        int fd = -1;
        if (useNoAtime)
            fd = ::openat(pfd.get(), ename.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
        if (fd < 0 && (!useNoAtime || errno == EPERM)) {
            // O_NOATIME is for the owner (or CAP_FOWNER) only. Read normally, then put the atime
            // back — but only when that is allowed; otherwise do not read at all.
            if (!canRestoreAtime())
                return hashFailure(KeepReason::ChecksumUnavailable,
                                   QStringLiteral("cannot read without changing its last access time: %1")
                                       .arg(errnoText(errno)));
            restore = true;
            fd = ::openat(pfd.get(), ename.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
            return hashFailure(KeepReason::ChecksumUnavailable,
                               QStringLiteral("cannot open: %1").arg(errnoText(errno)));
        UniqueFd file(fd);
        struct stat stf;
        if (::fstat(fd, &stf) != 0 || stf.st_ino != st0.st_ino || stf.st_dev != st0.st_dev)
            return hashFailure(KeepReason::ChangedDuringFreeze,
                               QStringLiteral("was replaced while being verified"));
        QByteArray buf(1 << 20, Qt::Uninitialized);
        int readErr = 0;
        for (;;) {
            const ssize_t n = ::read(fd, buf.data(), size_t(buf.size()));
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                readErr = errno;
            if (n <= 0)
                break;
            hash.addData(QByteArrayView(buf.constData(), n));
        }
        if (restore && ::futimens(fd, keepAtime) != 0)
            qCWarning(lcFreeze) << "cannot restore the last access time of" << planned.relPath
                                << errnoText(errno);
        struct stat st1;
        if (::fstat(fd, &st1) != 0)
            return hashFailure(KeepReason::ChecksumUnavailable,
                               QStringLiteral("cannot stat: %1").arg(errnoText(errno)));
        if (toNs(st1.st_atim) != toNs(st0.st_atim))
            return hashFailure(
                KeepReason::ChecksumUnavailable,
                QStringLiteral("verification changed its last access time and it could not be put back"));
        if (readErr)
            return hashFailure(KeepReason::ChecksumUnavailable,
                               QStringLiteral("read error: %1").arg(errnoText(readErr)));
        if (const QString why = differs(planned, st1, touchedStatus ? toNs(st1.st_ctim) : planned.ctimeNs);
            !why.isEmpty())
            return hashFailure(KeepReason::ChangedDuringFreeze,
                               why + QStringLiteral(" while being verified"));
        LocalHash out;
        out.hex = QString::fromLatin1(hash.result().toHex());
        if (touchedStatus)
            out.ctimeAfterNs = toNs(st1.st_ctim);
        return out;
    }
}

FreezeStep Freezer::freezeOne(const FreezeCandidate &c, const LocalHash *precomputedHash)
{
    const LocalEntry &e = c.local;
    if (!m_root.valid()) {
        FreezeStep s;
        s.kind = FreezeStep::Stop;
        s.error = Error(ErrorCode::Internal, QStringLiteral("freezer used before open()"));
        return s;
    }

    // The content check first (it may take long), the metadata checks last, right before unlink.
    QString hashHex;
    qint64 expectedCtimeNs = e.ctimeNs;
    if (m_options.checksum) {
        if (c.remote.hash.isEmpty())
            return keptStep(e, KeepReason::ChecksumUnavailable, QStringLiteral("the remote gave no hash"));
        LocalHash computed;
        if (!precomputedHash) {
            computed = hashLocal(m_options.root, e, c.remote.hashType, m_options.useNoAtime);
            precomputedHash = &computed;
        }
        if (precomputedHash->keep)
            return keptStep(e, *precomputedHash->keep, precomputedHash->detail);
        if (precomputedHash->hex.compare(c.remote.hash, Qt::CaseInsensitive) != 0)
            return keptStep(e, KeepReason::HashMismatch,
                            QStringLiteral("local %1 %2, remote %3")
                                .arg(c.remote.hashType, precomputedHash->hex, c.remote.hash));
        hashHex = c.remote.hashType.toLower() + u':' + precomputedHash->hex;
        if (precomputedHash->ctimeAfterNs != 0)
            expectedCtimeNs = precomputedHash->ctimeAfterNs;
    }

    QString parent, name;
    splitParent(e.relPath, &parent, &name);
    UniqueFd pfd = openDirBeneath(m_root.get(), parent);
    if (!pfd.valid()) {
        const int err = errno;
        if (err == ENOENT)
            return keptStep(e, KeepReason::ChangedDuringFreeze, QStringLiteral("no longer exists"));
        if (err == ELOOP || err == ENOTDIR)
            return keptStep(
                e, KeepReason::ChangedDuringFreeze,
                QStringLiteral("a parent directory is now a symlink or not a directory (not followed)"));
        return keptStep(e, KeepReason::ChangedDuringFreeze,
                        QStringLiteral("cannot open its directory: %1").arg(errnoText(err)));
    }
    const QByteArray ename = QFile::encodeName(name);
    struct stat st;
    if (name.isEmpty() || ::fstatat(pfd.get(), ename.constData(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return keptStep(e, KeepReason::ChangedDuringFreeze,
                        errno == ENOENT ? QStringLiteral("no longer exists")
                                        : QStringLiteral("cannot stat: %1").arg(errnoText(errno)));
    if (S_ISDIR(st.st_mode))
        return keptStep(e, KeepReason::NotRegularFile,
                        QStringLiteral("is a directory: directories are never removed"));
    if (const QString why = differs(e, st, expectedCtimeNs); !why.isEmpty())
        return keptStep(e, KeepReason::ChangedDuringFreeze, why);
    if (!m_options.force && toNs(st.st_atim) >= m_options.coldBeforeNs)
        return keptStep(
            e, KeepReason::ChangedDuringFreeze,
            QStringLiteral("was read since planning (last access %1)").arg(ageText(toNs(st.st_atim))));
    if (m_options.isExcluded && m_options.isExcluded(e.relPath))
        return keptStep(e, KeepReason::Excluded, {});
    if (m_options.isPinned && m_options.isPinned(e.relPath))
        return keptStep(e, KeepReason::Pinned, QStringLiteral("pinned during the freeze"));

    // Journal first, unlink second: a crash (kill -9, power loss) between the two then leaves a
    // journal row for a file that is still here (harmless: a thaw never replaces a local file),
    // never a removed file that the journal does not know about.
    FreezeStep s;
    s.kind = FreezeStep::Frozen;
    JournalEntry &j = s.journal;
    j.taskId = m_options.taskId;
    j.repoRoot = m_options.root;
    j.relPath = e.relPath;
    j.size = qint64(st.st_size);
    j.mtimeNs = toNs(st.st_mtim);
    j.atimeNs = toNs(st.st_atim);
    j.remoteLocation = m_options.remoteBase.isEmpty()
                           ? QString()
                           : m_options.remoteBase + u'/' + e.relPath +
                                 (e.isSymlink ? QStringLiteral(".rclonelink") : QString());
    j.remoteSize = c.remote.size;
    j.remoteMtimeNs = c.remote.mtimeNs;
    j.hash = hashHex;
    j.frozenAt = QDateTime::currentDateTimeUtc();
    const Status recorded = m_options.record(j);
    if (!recorded) {
        s.kind = FreezeStep::Stop;
        s.error = Error(recorded.error().code,
                        QStringLiteral("%1 could not be recorded in the freeze journal: %2. It was kept; the "
                                       "freeze stopped and nothing else was removed.")
                            .arg(m_options.root + u'/' + e.relPath, recorded.error().message));
        qCCritical(lcFreeze).noquote() << s.error.message;
        return s;
    }
    // Recording took a moment (a database commit): check again right before the unlink, so the
    // last check stays as close to it as before.
    const auto unrecord = [&](KeepReason reason, const QString &detail) {
        QString why = detail;
        const Status retracted =
            m_options.retract ? m_options.retract(j)
                              : Status(Error(ErrorCode::Internal, QStringLiteral("no way to retract")));
        if (!retracted) {
            why += QStringLiteral("; its journal row stays (%1), harmless: the file is still here")
                       .arg(retracted.error().message);
            qCWarning(lcFreeze).noquote() << m_options.root + u'/' + e.relPath << why;
        }
        return keptStep(e, reason, why);
    };
    struct stat again;
    if (::fstatat(pfd.get(), ename.constData(), &again, AT_SYMLINK_NOFOLLOW) != 0)
        return unrecord(KeepReason::ChangedDuringFreeze,
                        errno == ENOENT ? QStringLiteral("no longer exists")
                                        : QStringLiteral("cannot stat: %1").arg(errnoText(errno)));
    if (const QString why = differs(e, again, toNs(st.st_ctim)); !why.isEmpty())
        return unrecord(KeepReason::ChangedDuringFreeze, why);
    if (!m_options.force && toNs(again.st_atim) >= m_options.coldBeforeNs)
        return unrecord(
            KeepReason::ChangedDuringFreeze,
            QStringLiteral("was read since planning (last access %1)").arg(ageText(toNs(again.st_atim))));

    if (::unlinkat(pfd.get(), ename.constData(), 0) != 0) {
        const int err = errno;
        if (err == ENOENT)
            return unrecord(KeepReason::ChangedDuringFreeze, QStringLiteral("no longer exists"));
        return unrecord(KeepReason::RemoveFailed, QStringLiteral("cannot remove: %1").arg(errnoText(err)));
    }
    return s;
}

Status Freezer::freezeAll(const std::vector<FreezeCandidate> &files,
                          const std::function<void(const FreezeStep &)> &onStep,
                          const std::function<bool()> &isCancelled)
{
    for (const FreezeCandidate &c : files) {
        if (isCancelled && isCancelled())
            return Error(ErrorCode::Cancelled, QStringLiteral("freeze cancelled"));
        const FreezeStep step = freezeOne(c);
        if (onStep)
            onStep(step);
        if (step.kind == FreezeStep::Stop)
            return step.error;
    }
    return {};
}

} // namespace baricadr
