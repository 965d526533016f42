#include "puller.h"

#include "rclone/parsers.h"
#include "rclone/rclonejob.h"
#include "rclone/rcloneremote.h"
#include "rclone/remotelister.h"
#include "repo/exclude.h"
#include "util/paths.h"
#include "util/tempfiles.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace baricadr {

namespace {

constexpr int kChunkFiles = 2000; // files per rclone run: bounds memory and the files-from list

QByteArray native(const QString &path)
{
    return QFile::encodeName(path);
}

QString errnoString(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

bool isStagingPath(const QString &rel)
{
    return rel == Puller::kStagingDirName || rel.startsWith(Puller::kStagingDirName + u'/');
}

bool hasControlChar(const QString &name)
{
    return name.contains(u'\n') || name.contains(u'\r') || name.contains(u'\t');
}

// A name as a log line can show it: control characters (a newline would forge a log line) as \xNN.
QString printable(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// The repo's exclude patterns rclone can be given as `--exclude` rules without ever excluding
// a file that isExcluded() would pull: only "*" followed by literal characters. fnmatch's '*'
// also matches '/', rclone's does not, so rclone then excludes a subset (files whose name ends
// with the literal); the rest is filtered when placing. Never a rule that could match a link
// stored as "name.rclonelink" whose local name is not excluded.
QStringList rcloneExcludeFlags(const QStringList &patterns)
{
    QStringList flags;
    for (const QString &pattern : patterns) {
        if (pattern.size() < 2 || pattern.front() != u'*')
            continue;
        const QString tail = pattern.mid(1);
        if (std::any_of(tail.begin(), tail.end(),
                        [](QChar c) { return QStringView(u"*?[]{}\\/").contains(c); }))
            continue;
        if (rclone::kLinkSuffix.endsWith(tail) || tail.endsWith(rclone::kLinkSuffix))
            continue;
        flags << QStringLiteral("--exclude") << pattern;
    }
    return flags;
}

// Removes a directory tree without following symlinks (QDir::removeRecursively unlinks links).
void removeTree(const QString &path)
{
    struct stat st;
    if (::lstat(native(path).constData(), &st) != 0)
        return;
    if (S_ISDIR(st.st_mode))
        QDir(path).removeRecursively();
    else
        ::unlink(native(path).constData());
}

} // namespace

Puller::Puller(const RcloneOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{}

Puller::~Puller()
{
    if (m_job && m_job->isRunning())
        delete m_job; // kills rclone and waits for it, before staging goes
    if (!m_staging.isEmpty())
        cleanupStaging();
}

void Puller::start(const RepoConfig &repo, const QString &relPath, const PullOptions &options)
{
    m_repo = repo;
    m_relPath = relPath;
    m_pullOptions = options;
    if (m_pullOptions.taskId.isEmpty())
        m_pullOptions.taskId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_stagingRoot = repo.root + u'/' + kStagingDirName;

    const auto refuse = [this](const QString &why) {
        const Error err(ErrorCode::InvalidInput, why);
        QMetaObject::invokeMethod(
            this, [this, err] { fail(err); }, Qt::QueuedConnection);
    };
    if (relPath.startsWith(u'/') || relPath.split(u'/').contains(QStringLiteral("..")) ||
        isStagingPath(relPath)) {
        refuse(
            QStringLiteral("cannot pull '%1': not a path inside the repository %2").arg(relPath, repo.root));
        return;
    }
    if (m_pullOptions.taskId.contains(u'/') || m_pullOptions.taskId.startsWith(u'.')) {
        refuse(QStringLiteral("invalid task id '%1'").arg(m_pullOptions.taskId));
        return;
    }

    if (canCopyDirectly()) {
        // From the event loop, as every other path: finished() never comes from inside start().
        QMetaObject::invokeMethod(this, &Puller::startDirect, Qt::QueuedConnection);
        return;
    }
    startListing();
}

bool Puller::canCopyDirectly() const
{
    // Only where rclone's copy walks the remote as the listing does: sftp and local directories.
    // Bucket stores list differently for a copy (by "directory", delimiter requests) than for
    // `lsjson -R` (one flat listing): a server answering the two differently (s3rver omits a
    // prefix holding only prefixes) would make the copy miss files the listing sees, and
    // --fast-list would hold the whole listing in rclone's memory. An rclone remote may be either.
    if (m_repo.backend != Backend::Sftp && m_repo.backend != Backend::Local)
        return false;
    if (m_pullOptions.dryRun || m_pullOptions.alwaysList || !m_pullOptions.files.isEmpty() ||
        m_relPath.isEmpty() || m_relPath.endsWith(rclone::kLinkSuffix) || hasControlChar(m_relPath))
        return false;
    for (const QString &part : m_relPath.split(u'/')) {
        if (part.isEmpty() || part == u"." || part == u"..")
            return false;
    }
    const QString abs = paths::join(m_repo.root, m_relPath);
    if (isExcluded(m_repo, abs)) // an excluded file asked explicitly: the listing knows it is one
        return false;
    struct stat st;
    // Absent locally, and every parent readable: nothing local to keep, nothing to compare with.
    return ::lstat(native(abs).constData(), &st) != 0 && errno == ENOENT;
}

void Puller::startListing()
{
    m_planFile = std::make_unique<QTemporaryFile>(tempfiles::templateFor(QStringLiteral("pull-plan")));
    if (!m_planFile->open()) {
        const Error err(ErrorCode::Io, QStringLiteral("cannot create a temporary file in %1: %2")
                                           .arg(QDir::tempPath(), m_planFile->errorString()));
        QMetaObject::invokeMethod(
            this, [this, err] { fail(err); }, Qt::QueuedConnection);
        return;
    }

    const RepoConfig &repo = m_repo;
    const QString &relPath = m_relPath;
    m_lister = new RemoteLister(m_options, this);
    if (!m_pullOptions.files.isEmpty()) {
        connect(m_lister, &RemoteLister::statFinished, this,
                [this](const Result<QHash<QString, RemoteEntry>> &r) {
                    if (r.ok()) {
                        for (const QString &f : std::as_const(m_pullOptions.files)) {
                            const auto it = r->constFind(f);
                            if (it == r->constEnd()) {
                                m_outcome.notOnRemote << f;
                                Q_EMIT logMessage(QStringLiteral("not on the remote, not pulled: ") + f);
                            } else {
                                consider(f, it->isSymlink, it->size, true);
                            }
                        }
                    }
                    planDone(r.ok() ? Status() : Status(r.error()));
                });
        m_lister->stat(repo, m_pullOptions.files, false);
        return;
    }
    connect(m_lister, &RemoteLister::entries, this,
            [this](const QList<RemoteEntry> &batch, const QList<QJsonObject> &) {
                for (const RemoteEntry &e : batch) {
                    // A single file asked explicitly is pulled even when excluded.
                    const bool explicitFile = !m_relPath.isEmpty() && e.relPath == m_relPath;
                    consider(e.relPath, e.isSymlink, e.size, explicitFile);
                }
            });
    connect(m_lister, &RemoteLister::listFinished, this, &Puller::planDone);
    RemoteLister::ListOptions opts;
    opts.maxDepth = 0;
    opts.filesOnly = true;
    m_lister->list(repo, relPath, opts);
}

void Puller::notPulled(const QString &localRel, const QString &why)
{
    const QString line = printable(localRel) + QStringLiteral(": ") + why;
    Q_EMIT logMessage(QStringLiteral("not pulled: ") + line);
    m_outcome.notPulled << line;
}

void Puller::consider(const QString &localRel, bool isLink, qint64 size, bool explicitRequest)
{
    if (localRel.isEmpty() || isStagingPath(localRel))
        return;
    const QString abs = paths::join(m_repo.root, localRel);
    if (!explicitRequest && isExcluded(m_repo, abs))
        return;
    struct stat st;
    if (::lstat(native(abs).constData(), &st) == 0)
        return; // present locally (maybe modified): never overwritten
    if (errno != ENOENT) {
        notPulled(localRel, errnoString(errno));
        return;
    }
    if (hasControlChar(localRel)) {
        notPulled(localRel, QStringLiteral("a control character in its name"));
        return;
    }
    m_planFile->write(QByteArray::number(qMax<qint64>(0, size)) + '\t' + (isLink ? '1' : '0') + '\t' +
                      localRel.toUtf8() + '\n');
    ++m_planned;
    m_plannedBytes += qMax<qint64>(0, size);
}

void Puller::planDone(const Status &status)
{
    if (m_lister)
        m_lister->deleteLater();
    m_lister = nullptr;
    if (m_cancelled) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("pull of %1 cancelled").arg(paths::join(m_repo.root, m_relPath))));
        return;
    }
    if (!status.ok()) {
        fail(status.error());
        return;
    }
    if (!m_planFile->flush() || !m_planFile->seek(0)) {
        fail(
            Error(ErrorCode::Io, QStringLiteral("cannot write the pull plan: ") + m_planFile->errorString()));
        return;
    }
    Q_EMIT logMessage(QStringLiteral("%1 file(s), %2 byte(s) to pull").arg(m_planned).arg(m_plannedBytes));
    if (m_pullOptions.dryRun) {
        while (!m_planFile->atEnd()) {
            const QByteArray line = m_planFile->readLine();
            const QList<QByteArray> f = line.chopped(line.endsWith('\n') ? 1 : 0).split('\t');
            if (f.size() == 3)
                m_outcome.wouldPull << QString::fromUtf8(f[2]);
        }
        m_outcome.files = m_planned;
        m_outcome.bytes = m_plannedBytes;
        succeed();
        return;
    }
    if (m_planned == 0) {
        succeed();
        return;
    }
    QString error;
    if (!openStaging(&error)) {
        fail(Error(ErrorCode::Io, error));
        return;
    }
    startNextChunk();
}

bool Puller::openStaging(QString *error)
{
    if (::mkdir(native(m_stagingRoot).constData(), 0700) != 0 && errno != EEXIST) {
        *error = QStringLiteral("cannot create %1: %2").arg(m_stagingRoot, errnoString(errno));
        return false;
    }
    struct stat st;
    if (::lstat(native(m_stagingRoot).constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        *error =
            QStringLiteral("%1 exists and is not a directory: move it away so pulls can stage their files")
                .arg(m_stagingRoot);
        return false;
    }
    (void)recoverStaging(m_repo); // leftovers of interrupted pulls (locked ones are left alone)
    ::mkdir(native(m_stagingRoot).constData(), 0700);

    const QString lockPath = m_stagingRoot + u'/' + m_pullOptions.taskId + QStringLiteral(".lock");
    for (int attempt = 0; attempt < 3 && m_lockFd < 0; ++attempt) {
        const int fd = ::open(native(lockPath).constData(), O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            *error = QStringLiteral("cannot create %1: %2").arg(lockPath, errnoString(errno));
            return false;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            *error = QStringLiteral("another pull with task id %1 is running in %2")
                         .arg(m_pullOptions.taskId, m_repo.root);
            return false;
        }
        // A concurrent recoverStaging() may have removed the file between open and flock.
        struct stat byFd, byPath;
        if (::fstat(fd, &byFd) == 0 && ::stat(native(lockPath).constData(), &byPath) == 0 &&
            byFd.st_ino == byPath.st_ino) {
            m_lockFd = fd;
        } else {
            ::close(fd);
        }
    }
    if (m_lockFd < 0) {
        *error = QStringLiteral("cannot lock %1").arg(lockPath);
        return false;
    }
    m_staging = m_stagingRoot + u'/' + m_pullOptions.taskId;
    removeTree(m_staging);
    if (::mkdir(native(m_staging).constData(), 0700) != 0) {
        *error = QStringLiteral("cannot create %1: %2").arg(m_staging, errnoString(errno));
        return false;
    }
    return true;
}

void Puller::startNextChunk()
{
    m_chunk.clear();
    m_filesFrom = std::make_unique<QTemporaryFile>(tempfiles::templateFor(QStringLiteral("pull-files")));
    if (!m_filesFrom->open()) {
        fail(Error(ErrorCode::Io,
                   QStringLiteral("cannot create a temporary file: ") + m_filesFrom->errorString()));
        return;
    }
    while (m_chunk.size() < kChunkFiles && !m_planFile->atEnd()) {
        const QByteArray line = m_planFile->readLine();
        const QList<QByteArray> f = line.chopped(line.endsWith('\n') ? 1 : 0).split('\t');
        if (f.size() != 3)
            continue;
        Planned p;
        p.size = f[0].toLongLong();
        p.isLink = f[1] == "1";
        p.localRel = QString::fromUtf8(f[2]);
        p.remoteRel = p.isLink ? p.localRel + rclone::kLinkSuffix : p.localRel;
        m_chunk.insert(p.remoteRel, p);
        m_filesFrom->write(p.remoteRel.toUtf8() + '\n');
    }
    if (m_chunk.isEmpty()) {
        succeed();
        return;
    }
    if (!m_filesFrom->flush()) {
        fail(Error(ErrorCode::Io,
                   QStringLiteral("cannot write a temporary file: ") + m_filesFrom->errorString()));
        return;
    }

    const RcloneRemote remote(m_repo);
    // --no-traverse: one lookup per listed file (also finds links stored as .rclonelink on a
    // local remote); --no-check-dest: staging is empty, nothing to compare with.
    const QStringList args{QStringLiteral("copy"),
                           QStringLiteral("--links"),
                           QStringLiteral("--files-from-raw"),
                           m_filesFrom->fileName(),
                           QStringLiteral("--no-traverse"),
                           QStringLiteral("--no-check-dest"),
                           remote.spec(),
                           m_staging};
    m_job = newCopyJob(args, remote);
    connect(m_job, &RcloneJob::fileCopied, this, &Puller::placeFile);
    connect(m_job, &RcloneJob::progress, this, [this](const TaskProgress &p) {
        TaskProgress out;
        out.bytes = qMin(m_plannedBytes, m_bytesBeforeChunk + p.bytes);
        out.totalBytes = m_plannedBytes;
        out.files = m_outcome.files;
        out.totalFiles = m_planned;
        out.speed = p.speed;
        if (p.speed > 0)
            out.etaSeconds = static_cast<qint64>((m_plannedBytes - out.bytes) / p.speed);
        Q_EMIT progress(out);
    });
    connect(m_job, &RcloneJob::finished, this, &Puller::onChunkFinished);
    Q_EMIT logMessage(m_job->commandLineForLog());
    m_job->start();
}

// Shared end of an rclone run: drops the job; true when the pull is over already (failed
// while rclone ran) or is ended here as cancelled.
bool Puller::rcloneRunEnded()
{
    if (m_job)
        m_job->deleteLater();
    m_job = nullptr;
    if (m_done) // failed while rclone was still running: now it is gone
        return true;
    if (m_cancelled) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("pull of %1 cancelled; %2 file(s) were complete and kept")
                       .arg(paths::join(m_repo.root, m_relPath))
                       .arg(m_outcome.files)));
        return true;
    }
    return false;
}

void Puller::onChunkFinished(const Status &status)
{
    if (rcloneRunEnded())
        return;
    if (!status.ok()) {
        Error e = status.error();
        e.message += QStringLiteral(" (%1 of %2 file(s) pulled before the error; no partial file kept)")
                         .arg(m_outcome.files)
                         .arg(m_planned);
        fail(e);
        return;
    }
    // rclone succeeded: every file of the chunk is complete in staging (the per-file
    // "Copied" lines may not all have been seen).
    const QStringList rest = m_chunk.keys();
    for (const QString &remoteRel : rest) {
        if (m_done)
            return;
        placeFile(remoteRel);
    }
    if (m_done)
        return;
    m_bytesBeforeChunk = m_outcome.bytes;
    startNextChunk();
}

bool Puller::ensureParentDirs(const QString &localRel, QString *error)
{
    const QStringList parts = localRel.split(u'/');
    QString path = m_repo.root;
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        path += u'/' + parts[i];
        struct stat st;
        if (::lstat(native(path).constData(), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                continue;
            // Never follow a symlink (it could lead out of the repo), never replace a file.
            *error = QStringLiteral("%1 is not a directory").arg(path);
            return false;
        }
        if (::mkdir(native(path).constData(), 0777) != 0 && errno != EEXIST) {
            *error = QStringLiteral("cannot create %1: %2").arg(path, errnoString(errno));
            return false;
        }
        if (::lstat(native(path).constData(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            *error = QStringLiteral("%1 is not a directory").arg(path);
            return false;
        }
        m_createdDirs << path;
        if (m_repo.chownUid || m_repo.chownGid)
            ::lchown(native(path).constData(), m_repo.chownUid ? *m_repo.chownUid : uid_t(-1),
                     m_repo.chownGid ? *m_repo.chownGid : gid_t(-1));
    }
    return true;
}

void Puller::placeFile(const QString &remoteRel)
{
    if (m_done)
        return;
    const auto it = m_chunk.find(remoteRel);
    if (it == m_chunk.end())
        return;
    const Planned p = *it;
    m_chunk.erase(it);
    placeStaged(m_staging + u'/' + p.localRel, p);
}

void Puller::placeStaged(const QString &staged, const Planned &p)
{
    const QString final = paths::join(m_repo.root, p.localRel);
    const QByteArray stagedN = native(staged), finalN = native(final);
    struct stat st;
    if (::lstat(stagedN.constData(), &st) != 0) {
        notPulled(p.localRel, QStringLiteral("rclone reported it copied but it is not in staging"));
        return;
    }
    const bool typeOk = p.isLink ? S_ISLNK(st.st_mode) : S_ISREG(st.st_mode);
    if (!typeOk || (p.size >= 0 && st.st_size != p.size)) {
        if (p.size >= 0)
            notPulled(p.localRel, QStringLiteral("%1 bytes received, the remote listed %2 (changed "
                                                 "on the remote during the pull?)")
                                      .arg(st.st_size)
                                      .arg(p.size));
        else
            notPulled(p.localRel,
                      QStringLiteral("not a %1 in staging")
                          .arg(p.isLink ? QStringLiteral("symlink") : QStringLiteral("regular file")));
        ::unlink(stagedN.constData());
        return;
    }
    const qint64 size = st.st_size;
    if (p.size < 0) {
        // Direct copy: what the listing would have filtered.
        if (isExcluded(m_repo, final)) {
            ::unlink(stagedN.constData());
            return;
        }
        if (hasControlChar(p.localRel)) {
            notPulled(p.localRel, QStringLiteral("a control character in its name"));
            ::unlink(stagedN.constData());
            return;
        }
    }
    QString error;
    if (!ensureParentDirs(p.localRel, &error)) {
        notPulled(p.localRel, error);
        ::unlink(stagedN.constData());
        return;
    }
    // Never replace anything: the local file wins if one appeared since the listing.
    int rc = ::renameat2(AT_FDCWD, stagedN.constData(), AT_FDCWD, finalN.constData(), RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) { // filesystem without RENAME_NOREPLACE
        rc = ::link(stagedN.constData(), finalN.constData());
        if (rc == 0)
            ::unlink(stagedN.constData());
    }
    if (rc != 0) {
        const int err = errno;
        ::unlink(stagedN.constData());
        if (err == EEXIST) {
            m_outcome.keptLocal << p.localRel;
            Q_EMIT logMessage(QStringLiteral("kept the local file that appeared during the pull: ") +
                              p.localRel);
            return;
        }
        fail(Error(ErrorCode::Io,
                   QStringLiteral("cannot move %1 into place: %2").arg(final, errnoString(err))));
        return;
    }
    // Pulled means "just used": atime now, mtime as the remote has it.
    const timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
    ::utimensat(AT_FDCWD, finalN.constData(), times, AT_SYMLINK_NOFOLLOW);
    if (m_repo.chownUid || m_repo.chownGid) {
        if (::lchown(finalN.constData(), m_repo.chownUid ? *m_repo.chownUid : uid_t(-1),
                     m_repo.chownGid ? *m_repo.chownGid : gid_t(-1)) != 0)
            Q_EMIT logMessage(QStringLiteral("cannot chown %1: %2").arg(final, errnoString(errno)));
    }
    ++m_outcome.files;
    m_outcome.bytes += size;
    m_outcome.pulled << p.localRel;
    Q_EMIT fileDone(p.localRel, size);
}

RcloneJob *Puller::newCopyJob(const QStringList &args, const RcloneRemote &remote)
{
    auto *job = new RcloneJob(m_options, args, remote.environment(),
                              QStringLiteral("pulling from ") + remote.describeForLog(m_relPath), this);
    job->setReadStdout(false);
    job->setFailFast(RcloneJob::FailFast::ConnectionErrors);
    connect(job, &RcloneJob::logMessage, this, [this](const QString &level, const QString &message) {
        if (level != u"info")
            Q_EMIT logMessage(message);
    });
    return job;
}

void Puller::startDirect()
{
    if (m_done)
        return;
    if (m_cancelled) {
        fail(Error(ErrorCode::Cancelled,
                   QStringLiteral("pull of %1 cancelled").arg(paths::join(m_repo.root, m_relPath))));
        return;
    }
    QString error;
    if (!openStaging(&error)) {
        fail(Error(ErrorCode::Io, error));
        return;
    }
    m_directShape = DirectShape::Unknown;
    m_directSeen = 0;
    m_directDest = m_staging + u'/' + m_relPath;

    const RcloneRemote remote(m_repo);
    // copyto: relPath may be a file (copied to exactly that name) or a directory (its tree).
    // --no-check-dest: staging is empty, nothing to compare with.
    QStringList args{QStringLiteral("copyto"), QStringLiteral("--links"), QStringLiteral("--no-check-dest")};
    if (!m_directWithoutExcludes)
        args << rcloneExcludeFlags(m_repo.exclude);
    args << remote.spec(m_relPath) << m_directDest;
    m_job = newCopyJob(args, remote);
    connect(m_job, &RcloneJob::fileCopied, this, &Puller::placeDirect);
    connect(m_job, &RcloneJob::progress, this, [this](const TaskProgress &p) {
        TaskProgress out = p; // rclone's totals grow as it lists
        out.files = m_outcome.files;
        out.totalFiles = qMax(p.totalFiles, out.files);
        Q_EMIT progress(out);
    });
    connect(m_job, &RcloneJob::finished, this, &Puller::onDirectFinished);
    Q_EMIT logMessage(
        QStringLiteral("%1 is not in the repository: copying it without listing it first").arg(m_relPath));
    Q_EMIT logMessage(m_job->commandLineForLog());
    m_job->start();
}

void Puller::placeDirect(const QString &object)
{
    if (m_done)
        return;
    ++m_directSeen;
    if (m_directShape == DirectShape::Unknown) {
        // rclone has written something: relPath in staging is now the file or the directory.
        struct stat st;
        if (::lstat(native(m_directDest).constData(), &st) != 0)
            return; // placed (or reported) once rclone is done
        m_directShape = S_ISDIR(st.st_mode) ? DirectShape::Directory : DirectShape::File;
    }
    Planned p;
    p.size = -1;
    if (m_directShape == DirectShape::File) {
        p.localRel = m_relPath;
        placeStaged(m_directDest, p);
        return;
    }
    // rclone names objects relative to relPath; never a name that could leave it.
    const QStringList parts = object.split(u'/');
    for (const QString &part : parts) {
        if (part.isEmpty() || part == u"." || part == u"..") {
            notPulled(object, QStringLiteral("rclone copied an object with an unexpected name"));
            return;
        }
    }
    QString name = object;
    if (object.endsWith(rclone::kLinkSuffix) && parts.last() != rclone::kLinkSuffix) {
        p.isLink = true; // stored as "name.rclonelink", a symlink "name" locally
        name.chop(rclone::kLinkSuffix.size());
    }
    p.localRel = m_relPath + u'/' + name;
    placeStaged(m_directDest + u'/' + name, p);
}

void Puller::placeRemainingDirect()
{
    // rclone exited 0: whatever is in staging is complete, including files whose "Copied" line
    // was not seen.
    struct stat st;
    if (::lstat(native(m_directDest).constData(), &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        ++m_directSeen;
        Planned p;
        p.size = -1;
        p.localRel = m_relPath;
        p.isLink = S_ISLNK(st.st_mode);
        placeStaged(m_directDest, p);
        return;
    }
    QStringList rest;
    QDirIterator it(m_directDest, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories); // never into a symlinked directory
    while (it.hasNext()) {
        const QString path = it.next();
        if (::lstat(native(path).constData(), &st) == 0 && !S_ISDIR(st.st_mode))
            rest << path.mid(m_directDest.size() + 1);
    }
    for (const QString &rel : std::as_const(rest)) {
        if (m_done)
            return;
        ++m_directSeen;
        Planned p;
        p.size = -1;
        p.localRel = m_relPath + u'/' + rel;
        p.isLink = ::lstat(native(m_directDest + u'/' + rel).constData(), &st) == 0 && S_ISLNK(st.st_mode);
        placeStaged(m_directDest + u'/' + rel, p);
    }
}

void Puller::onDirectFinished(const Status &status)
{
    if (rcloneRunEnded())
        return;
    if (!status.ok()) {
        if (status.error().code == ErrorCode::NotFound && m_directSeen == 0) {
            fallBackToListing(QStringLiteral("not found under that name"));
            return;
        }
        if (m_directSeen == 0 && !m_directWithoutExcludes &&
            status.error().message.contains(
                QLatin1String("can't limit to single files when using filters"))) {
            // relPath is one file, and not an excluded one: the rules have nothing to exclude.
            Q_EMIT logMessage(
                QStringLiteral("%1 is a single file: copying it without the exclude rules").arg(m_relPath));
            m_directWithoutExcludes = true;
            cleanupStaging();
            startDirect();
            return;
        }
        Error e = status.error();
        e.message += QStringLiteral(" (%1 file(s) pulled before the error; no partial file kept)")
                         .arg(m_outcome.files);
        fail(e);
        return;
    }
    placeRemainingDirect();
    if (m_done)
        return;
    if (m_directSeen == 0) {
        // Nothing under that name (S3 answers an absent prefix with nothing), or a link stored
        // as "name.rclonelink", or only excluded files: the listing tells which.
        fallBackToListing(QStringLiteral("nothing copied"));
        return;
    }
    succeed();
}

void Puller::fallBackToListing(const QString &why)
{
    Q_EMIT logMessage(
        QStringLiteral("%1: %2 by a direct copy; listing the remote to plan the pull").arg(m_relPath, why));
    cleanupStaging();
    m_directShape = DirectShape::Unknown;
    startListing();
}

void Puller::cancel(bool graceful)
{
    if (m_done || m_cancelled)
        return;
    m_cancelled = true;
    if (m_job) {
        m_job->cancel(graceful);
    } else if (m_lister) {
        m_lister->cancel();
    } else {
        QMetaObject::invokeMethod(
            this, [this] { fail(Error(ErrorCode::Cancelled, QStringLiteral("pull cancelled"))); },
            Qt::QueuedConnection);
    }
}

void Puller::fail(const Error &error)
{
    if (m_done)
        return;
    m_done = true;
    if (m_job && m_job->isRunning()) {
        // Let rclone die before its staging goes; finished is emitted then.
        disconnect(m_job, nullptr, this, nullptr);
        connect(m_job, &RcloneJob::finished, this, [this, error](const Status &) {
            m_job->deleteLater();
            m_job = nullptr;
            cleanupStaging();
            Q_EMIT finished(error);
        });
        m_job->cancel(false);
        return;
    }
    cleanupStaging();
    Q_EMIT finished(error);
}

void Puller::succeed()
{
    if (m_done)
        return;
    m_done = true;
    cleanupStaging();
    Q_EMIT logMessage(
        QStringLiteral("%1 file(s), %2 byte(s) pulled").arg(m_outcome.files).arg(m_outcome.bytes));
    Q_EMIT finished(m_outcome);
}

void Puller::cleanupStaging()
{
    if (!m_staging.isEmpty())
        removeTree(m_staging);
    if (m_lockFd >= 0) {
        ::unlink(native(m_stagingRoot + u'/' + m_pullOptions.taskId + QStringLiteral(".lock")).constData());
        ::close(m_lockFd);
        m_lockFd = -1;
    }
    if (!m_stagingRoot.isEmpty())
        ::rmdir(native(m_stagingRoot).constData()); // only when empty
    m_staging.clear();
}

Result<int> Puller::recoverStaging(const RepoConfig &repo)
{
    const QString stagingRoot = repo.root + u'/' + kStagingDirName;
    struct stat st;
    if (::lstat(native(stagingRoot).constData(), &st) != 0)
        return errno == ENOENT
                   ? Result<int>(0)
                   : Result<int>(
                         Error(ErrorCode::Io,
                               QStringLiteral("cannot inspect %1: %2").arg(stagingRoot, errnoString(errno))));
    if (!S_ISDIR(st.st_mode))
        return Error(ErrorCode::Io,
                     QStringLiteral("%1 is not a directory: move it away so pulls can stage their files")
                         .arg(stagingRoot));
    int removed = 0;
    const QStringList names =
        QDir(stagingRoot).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        if (!name.endsWith(QStringLiteral(".lock")))
            continue;
        const QString lockPath = stagingRoot + u'/' + name;
        const int fd = ::open(native(lockPath).constData(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) { // nobody pulls into it any more
            removeTree(stagingRoot + u'/' + name.chopped(5));
            ::unlink(native(lockPath).constData());
            ++removed;
        }
        ::close(fd);
    }
    for (const QString &name : names) {
        if (name.endsWith(QStringLiteral(".lock")))
            continue;
        // A staging dir is created after its lock: without one, it is a leftover.
        struct stat entry;
        if (::lstat(native(stagingRoot + u'/' + name).constData(), &entry) != 0)
            continue; // removed with its lock above
        if (!QFileInfo::exists(stagingRoot + u'/' + name + QStringLiteral(".lock"))) {
            removeTree(stagingRoot + u'/' + name);
            ++removed;
        }
    }
    ::rmdir(native(stagingRoot).constData());
    return removed;
}

} // namespace baricadr
