#include "remotelister.h"

#include "rclone/parsers.h"
#include "rclone/rclonejob.h"
#include "rclone/rcloneremote.h"
#include "util/tempfiles.h"
#include "util/timespec.h"

#include <QDir>
#include <QFile>
#include <QFuture>
#include <QJsonDocument>
#include <QPromise>
#include <QThreadPool>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <sys/stat.h>

namespace baricadr {

namespace {
// rclone exited 0 but some of its output lines are not lsjson: refuse the whole answer.
Error unreadableAnswer(const QString &what, qint64 lines)
{
    return Error(ErrorCode::RcloneFailed,
                 QStringLiteral("%1 failed: rclone's answer cannot be read (%2 line(s) of its output are "
                                "not lsjson entries); nothing was decided from it")
                     .arg(what)
                     .arg(lines));
}

// stat() on the local backend, without rclone: the remote is a directory of this machine, and
// an lstat per name answers what rclone's local backend would (with --links: an on-disk
// symlink "x" is the object "x.rclonelink"; a directory is no file), in time ~ the names
// instead of a walk matched against one rule per name. Like rclone, never through a symlinked
// directory of the remote. A regular file named "x.rclonelink" is not a link here (rclone
// fails on it: it reads the link "x"), so it never stands for one. Any error other than "not
// there" fails the whole answer.
constexpr int kLocalRegular = 1; // statLocalDirectly(): a regular file answers the name
constexpr int kLocalLink = 2;    // an on-disk symlink answers it (asked as itself or as "name.rclonelink")

Result<QHash<QString, RemoteEntry>> statLocalDirectly(const QString &root, const QHash<QString, int> &asked,
                                                      const QString &what)
{
    const auto fail = [&](const QString &path, int err) {
        return Error(
            ErrorCode::RcloneFailed,
            QStringLiteral("%1 failed: %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(err))));
    };
    struct stat st;
    if (::stat(QFile::encodeName(root).constData(), &st) != 0)
        return Error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::RcloneFailed,
                     QStringLiteral("%1 failed: %2: %3")
                         .arg(what, root, QString::fromLocal8Bit(std::strerror(errno))));
    if (!S_ISDIR(st.st_mode))
        return Error(ErrorCode::RcloneFailed,
                     QStringLiteral("%1 failed: %2 is not a directory").arg(what, root));

    QHash<QString, bool> realDirs; // repo-relative directory -> a directory, not through a link
    realDirs.insert(QString(), true);
    std::function<bool(const QString &, int *)> dirIsReal = [&](const QString &dir, int *err) -> bool {
        const auto known = realDirs.constFind(dir);
        if (known != realDirs.constEnd())
            return known.value();
        const qsizetype slash = dir.lastIndexOf(u'/');
        bool real = dirIsReal(slash < 0 ? QString() : dir.left(slash), err);
        if (real && *err == 0) {
            struct stat ds;
            if (::lstat(QFile::encodeName(root + u'/' + dir).constData(), &ds) != 0) {
                real = false;
                if (errno != ENOENT && errno != ENOTDIR)
                    *err = errno;
            } else {
                real = S_ISDIR(ds.st_mode);
            }
        }
        if (*err == 0)
            realDirs.insert(dir, real);
        return real;
    };
    const auto entry = [](const QString &rel, const struct stat &s, bool link) {
        RemoteEntry e;
        e.relPath = rel;
        e.size = s.st_size;
        e.mtimeNs = toNs(s.st_mtim);
        e.isSymlink = link;
        return e;
    };

    QHash<QString, RemoteEntry> out;
    for (auto it = asked.constBegin(); it != asked.constEnd(); ++it) {
        const QString &rel = it.key();
        const qsizetype slash = rel.lastIndexOf(u'/');
        int err = 0;
        if (!dirIsReal(slash < 0 ? QString() : rel.left(slash), &err)) {
            if (err != 0)
                return fail(root + u'/' + rel.left(slash), err);
            continue;
        }
        const QString path = root + u'/' + rel;
        struct stat s;
        const bool regular = it.value() & kLocalRegular;
        const bool link = it.value() & kLocalLink;
        if (::lstat(QFile::encodeName(path).constData(), &s) == 0) {
            if (S_ISREG(s.st_mode) && regular)
                out.insert(rel, entry(rel, s, false));
            else if (S_ISLNK(s.st_mode) && link)
                out.insert(rel, entry(rel, s, true)); // size: the length of its target
        } else if (errno != ENOENT && errno != ENOTDIR) {
            return fail(path, errno);
        }
    }
    return out;
}

QString joinRel(const QString &dir, const QString &name)
{
    if (dir.isEmpty())
        return name;
    if (name.isEmpty())
        return dir;
    return dir + u'/' + name;
}

QString parentOf(const QString &rel)
{
    const qsizetype slash = rel.lastIndexOf(u'/');
    return slash < 0 ? QString() : rel.left(slash);
}

// rclone filter globs: *, ?, [, ], {, } and \ are special.
QString escapeGlob(const QString &path)
{
    QString out;
    out.reserve(path.size() + 8);
    for (const QChar c : path) {
        if (QStringView(u"*?[]{}\\").contains(c))
            out += u'\\';
        out += c;
    }
    return out;
}

// Per-file lookups: names per parallel lookup (see stat()).
constexpr qsizetype kPerFileNamesPerChecker = 50;

QString baseName(const QString &rel)
{
    return rel.mid(rel.lastIndexOf(u'/') + 1);
}

} // namespace

RemoteLister::RemoteLister(const RcloneOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{}

RemoteLister::~RemoteLister() = default;

QString RemoteLister::commandLineForLog() const
{
    return m_job ? m_job->commandLineForLog() : QString();
}

void RemoteLister::cancel()
{
    m_cancelled = true;
    if (m_job)
        m_job->cancel(false);
}

void RemoteLister::list(const RepoConfig &repo, const QString &relPath, const ListOptions &options)
{
    m_repo = repo;
    m_relPath = relPath;
    m_listOptions = options;
    m_listOptions.batchSize = qMax(1, options.batchSize);
    m_linkRetry = false;
    m_firstAttempt.reset();
    startList(relPath, {});
}

void RemoteLister::startList(const QString &dir, const QStringList &filters)
{
    m_listDir = dir;
    m_seen = 0;
    m_garbage = 0;
    m_heldFirst.reset();
    const RcloneRemote remote(m_repo);
    QStringList args{QStringLiteral("lsjson"), QStringLiteral("-R"), QStringLiteral("--links")};
    // The objects are answered as they are (`/list` with `full`): rclone's MimeType with them (from
    // the name's extension on most backends: cheap). Otherwise nobody reads it.
    if (!m_listOptions.keepObjects)
        args << QStringLiteral("--no-mimetype");
    if (m_listOptions.filesOnly)
        args << QStringLiteral("--files-only");
    if (m_listOptions.maxDepth > 0 || m_linkRetry)
        args << QStringLiteral("--max-depth") << QString::number(m_linkRetry ? 1 : m_listOptions.maxDepth);
    if (m_listOptions.withHash)
        args << QStringLiteral("--hash");
    args << filters << remote.spec(dir);

    m_job = new RcloneJob(m_options, args, remote.environment(),
                          QStringLiteral("listing ") + remote.describeForLog(m_relPath), this);
    m_job->setFailFast(RcloneJob::FailFast::AnyError);
    connect(m_job, &RcloneJob::stdoutLines, this, &RemoteLister::onListLines);
    connect(m_job, &RcloneJob::finished, this, &RemoteLister::onListDone);
    m_job->start();
}

void RemoteLister::onListLines(const QList<QByteArray> &lines)
{
    for (const QByteArray &line : lines) {
        rclone::LsjsonLine parsed = rclone::parseLsjsonLine(line, m_listOptions.keepObjects);
        if (parsed.kind == rclone::LsjsonLine::Kind::Structural)
            continue;
        if (parsed.kind == rclone::LsjsonLine::Kind::Garbage) {
            ++m_garbage;
            continue;
        }
        if (m_listOptions.filesOnly && parsed.entry.isDir)
            continue;
        ++m_seen;
        if (m_seen == 1 && !m_linkRetry && !m_relPath.isEmpty() && !parsed.entry.isDir) {
            const QString name =
                parsed.entry.isSymlink ? parsed.entry.relPath + rclone::kLinkSuffix : parsed.entry.relPath;
            if (name == baseName(m_relPath) || parsed.entry.relPath == baseName(m_relPath)) {
                m_heldFirst.emplace(parsed.entry, parsed.object);
                continue;
            }
        }
        if (m_heldFirst) {
            auto [e, o] = *m_heldFirst;
            m_heldFirst.reset();
            e.relPath = joinRel(m_listDir, e.relPath);
            deliver(e, o);
        }
        parsed.entry.relPath = joinRel(m_listDir, parsed.entry.relPath);
        deliver(parsed.entry, parsed.object);
    }
}

void RemoteLister::deliver(const RemoteEntry &entry, const QJsonObject &object)
{
    m_batch.append(entry);
    if (m_listOptions.keepObjects)
        m_objects.append(object);
    if (m_batch.size() >= m_listOptions.batchSize)
        flush();
}

void RemoteLister::flush()
{
    if (m_batch.isEmpty())
        return;
    QList<RemoteEntry> batch;
    QList<QJsonObject> objects;
    batch.swap(m_batch);
    objects.swap(m_objects);
    Q_EMIT entries(batch, objects);
}

void RemoteLister::onListDone(const Status &status)
{
    if (m_job)
        m_job->deleteLater();
    m_job = nullptr;
    if (status.ok() && m_garbage > 0) {
        // rclone said "done" but printed something that is not lsjson: what it listed cannot
        // be trusted to be complete (a pull would skip files, a listing miss some).
        m_batch.clear();
        m_objects.clear();
        m_heldFirst.reset();
        m_firstAttempt.reset();
        Q_EMIT listFinished(unreadableAnswer(
            QStringLiteral("listing ") + RcloneRemote(m_repo).describeForLog(m_relPath), m_garbage));
        return;
    }
    // A symlink asked by its local name is stored as "name.rclonelink": rclone reports the
    // plain name as not found (sftp) or lists nothing (local backend). Look for either name in
    // the parent directory, once.
    const bool nothing =
        status.ok() ? m_seen == 0 && !m_heldFirst : status.error().code == ErrorCode::NotFound;
    if (nothing && !m_linkRetry && !m_cancelled && !m_relPath.isEmpty()) {
        m_firstAttempt = status;
        m_linkRetry = true;
        const QString rule = u'/' + escapeGlob(baseName(m_relPath));
        startList(parentOf(m_relPath), {QStringLiteral("--include"), rule, QStringLiteral("--include"),
                                        rule + rclone::kLinkSuffix});
        return;
    }
    if (m_linkRetry && m_firstAttempt && (!status.ok() || m_seen == 0)) {
        // Neither the name nor a link of that name: report what the first attempt said.
        m_batch.clear();
        m_objects.clear();
        const Status first = *m_firstAttempt;
        m_firstAttempt.reset();
        Q_EMIT listFinished(first);
        return;
    }
    if (!status.ok()) {
        m_batch.clear();
        m_objects.clear();
        Q_EMIT listFinished(status);
        return;
    }
    if (m_heldFirst) {
        startStatOfSingle();
        return;
    }
    flush();
    Q_EMIT listFinished(Status());
}

// relPath's listing was exactly one file named like relPath's last component: relPath is
// either that file or a directory holding a same-named file. `lsjson --stat` tells.
void RemoteLister::startStatOfSingle()
{
    const RcloneRemote remote(m_repo);
    const QStringList args{QStringLiteral("lsjson"), QStringLiteral("--stat"),
                           QStringLiteral("--no-mimetype"), QStringLiteral("--links"),
                           remote.spec(m_relPath)};
    auto *job = new RcloneJob(m_options, args, remote.environment(),
                              QStringLiteral("checking ") + remote.describeForLog(m_relPath), this);
    m_job = job;
    job->setFailFast(RcloneJob::FailFast::AnyError);
    auto output = std::make_shared<QByteArray>();
    connect(job, &RcloneJob::stdoutLines, this, [output](const QList<QByteArray> &lines) {
        for (const QByteArray &l : lines)
            if (output->size() < 1024 * 1024)
                *output += l + '\n';
    });
    connect(job, &RcloneJob::finished, this, [this, job, output](const Status &status) {
        job->deleteLater();
        m_job = nullptr;
        if (!status.ok()) {
            Q_EMIT listFinished(status);
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(*output).object();
        auto [e, obj] = *m_heldFirst;
        m_heldFirst.reset();
        const bool isFile = !o.isEmpty() && !o.value(QLatin1StringView("IsDir")).toBool(true);
        e.relPath = isFile ? joinRel(parentOf(m_relPath), e.relPath) : joinRel(m_relPath, e.relPath);
        deliver(e, obj);
        flush();
        Q_EMIT listFinished(Status());
    });
    job->start();
}

void RemoteLister::finishStatLater(const Result<QHash<QString, RemoteEntry>> &result)
{
    QMetaObject::invokeMethod(
        this, [this, result] { Q_EMIT statFinished(result); }, Qt::QueuedConnection);
}

void RemoteLister::stat(const RepoConfig &repo, const QStringList &relPaths, const StatOptions &options)
{
    m_repo = repo;
    m_statResult.clear();
    m_asked.clear();
    m_statPrefix.clear();
    const RcloneRemote remote(repo);
    const QString what =
        QStringLiteral("checking %1 file(s) on ").arg(relPaths.size()) + remote.describeForLog();

    if (repo.backend == Backend::Local && !options.withHash) {
        // Name -> which answers count: a regular file (asked as itself), a link (asked as
        // itself when it may be one, or by its stored name "x.rclonelink").
        QHash<QString, int> asked;
        for (const QString &p : relPaths) {
            if (p.isEmpty() || p.contains(u'\n') || p.contains(u'\r'))
                continue;
            if (p.endsWith(rclone::kLinkSuffix) && p.size() > rclone::kLinkSuffix.size()) {
                asked[p.chopped(rclone::kLinkSuffix.size())] |= kLocalLink;
                continue;
            }
            const bool linkToo = !options.localSymlinks || options.localSymlinks->contains(p);
            asked[p] |= kLocalRegular | (linkToo ? kLocalLink : 0);
        }
        const QString root = repo.localPath; // the local backend's remote: a directory
        auto promise = std::make_shared<QPromise<Result<QHash<QString, RemoteEntry>>>>();
        QFuture<Result<QHash<QString, RemoteEntry>>> future = promise->future();
        QThreadPool::globalInstance()->start([promise, root, asked = std::move(asked), what] {
            promise->start();
            promise->addResult(statLocalDirectly(root, asked, what));
            promise->finish();
        });
        // Off this thread (a slow or hung mount must not stall an event loop); the answer is
        // dropped if this lister is gone by then. Always from the event loop, never inside this
        // call (the continuation runs at once when the pool was quicker): callers start their
        // next lookup from their slot, and must not find themselves called back before they
        // have returned.
        future.then(this, [this](const Result<QHash<QString, RemoteEntry>> &r) {
            finishStatLater(m_cancelled ? Result<QHash<QString, RemoteEntry>>(
                                              Error(ErrorCode::Cancelled, QStringLiteral("cancelled")))
                                        : r);
        });
        return;
    }

    m_filesFrom = std::make_unique<QTemporaryFile>(tempfiles::templateFor(QStringLiteral("include")));
    if (!m_filesFrom->open()) { // QTemporaryFile creates it 0600
        finishStatLater(
            Error(ErrorCode::Io, what + QStringLiteral(" failed: cannot create a temporary file in ") +
                                     QDir::tempPath() + QStringLiteral(": ") + m_filesFrom->errorString()));
        return;
    }
    // Two ways to name the files, both in a 0600 temp file:
    // - `--files-from-raw` (sftp, s3, rclone remotes): names verbatim; a "x.rclonelink" twin
    //   finds a link stored as such.
    // - the local backend presents on-disk symlinks as "x.rclonelink" only while listing a
    //   directory, and --files-from misses them (and errors on twins of regular files): there,
    //   one anchored, escaped include rule per name. rclone checks every rule against every
    //   listed name, so callers should keep chunks modest (a few thousand names).
    // A name with a line break (or, for include rules, surrounding blanks) cannot be asked
    // for: it is reported absent, and a freeze then keeps the file.
    const bool useRules = repo.backend == Backend::Local;
    const QByteArray suffix = rclone::kLinkSuffix.toUtf8();
    for (const QString &p : relPaths) {
        if (p.isEmpty() || p.contains(u'\n') || p.contains(u'\r') || (useRules && p != p.trimmed()))
            continue;
        const QByteArray name = useRules ? '/' + escapeGlob(p).toUtf8() : p.toUtf8();
        m_filesFrom->write(name + '\n');
        if (p.endsWith(rclone::kLinkSuffix)) { // asked by its stored name: answered as the link
            m_asked.insert(p.chopped(rclone::kLinkSuffix.size()), true);
            continue;
        }
        const bool linkToo = !options.localSymlinks || options.localSymlinks->contains(p);
        if (linkToo)
            m_filesFrom->write(name + suffix + '\n');
        bool &acceptLink = m_asked[p];
        acceptLink = acceptLink || linkToo;
    }
    if (!m_filesFrom->flush()) {
        finishStatLater(Error(ErrorCode::Io, what +
                                                 QStringLiteral(" failed: cannot write a temporary file: ") +
                                                 m_filesFrom->errorString()));
        return;
    }
    if (m_asked.isEmpty()) {
        m_filesFrom.reset();
        finishStatLater(QHash<QString, RemoteEntry>());
        return;
    }

    const bool perFile = !useRules && options.lookup == Lookup::PerFile;
    m_stallMs = 0;
    QStringList args{QStringLiteral("lsjson"), QStringLiteral("-R")};
    if (perFile) {
        // Each parallel lookup opens its own connection (an SSH handshake on sftp): a few names
        // are answered sooner by one or two connections than by rclone's default 8 (measured on
        // loopback sftp: 89 names in ~0.3-0.45 s with 1-2 checkers, ~1.1-1.4 s with 8). One
        // checker per kPerFileNamesPerChecker names, up to 8; --checkers in the admin's extra
        // flags comes later on the command line and wins.
        // At least 2: with one, a single name that is a directory on the remote stops rclone
        // 1.60 for good (see StatOptions::perFileStallMs).
        const qsizetype checkers = std::clamp<qsizetype>(
            (m_asked.size() + kPerFileNamesPerChecker - 1) / kPerFileNamesPerChecker, 2, 8);
        args << QStringLiteral("--no-traverse") << QStringLiteral("--checkers") << QString::number(checkers);
        m_stallMs =
            options.perFileStallMs >= 0
                ? options.perFileStallMs
                : 20000 + 250 * int(std::min<qsizetype>(100000, (m_asked.size() + checkers - 1) / checkers));
    }
    args << (useRules ? QStringLiteral("--include-from") : QStringLiteral("--files-from-raw"))
         << m_filesFrom->fileName() << QStringLiteral("--no-mimetype") << QStringLiteral("--files-only")
         << QStringLiteral("--links");
    if (options.withHash)
        args << QStringLiteral("--hash");
    args << remote.spec();
    runStat(args, what, QString(), false);
}

void RemoteLister::statByListing(const RepoConfig &repo, const QString &relDir, QSet<QString> wanted)
{
    m_repo = repo;
    m_statResult.clear();
    m_asked.clear();
    for (const QString &w : std::as_const(wanted))
        m_asked.insert(w, true);
    wanted.clear();
    if (m_asked.isEmpty()) {
        finishStatLater(QHash<QString, RemoteEntry>());
        return;
    }
    const RcloneRemote remote(repo);
    const QStringList args{QStringLiteral("lsjson"),        QStringLiteral("-R"),
                           QStringLiteral("--no-mimetype"), QStringLiteral("--files-only"),
                           QStringLiteral("--links"),       remote.spec(relDir)};
    runStat(args, QStringLiteral("listing ") + remote.describeForLog(relDir),
            relDir.isEmpty() ? QString() : relDir + u'/', true);
}

void RemoteLister::runStat(const QStringList &args, const QString &what, const QString &prefix,
                           bool notFoundIsEmpty)
{
    const RcloneRemote remote(m_repo);
    m_statPrefix = prefix;
    m_garbage = 0;
    auto *job = new RcloneJob(m_options, args, remote.environment(), what, this);
    m_job = job;
    job->setFailFast(RcloneJob::FailFast::AnyError);
    connect(job, &RcloneJob::stdoutLines, this, &RemoteLister::onStatLines);
    const bool perFile = args.contains(QStringLiteral("--no-traverse"));
    m_stalled = false;
    if (perFile && m_stallMs > 0) {
        if (!m_stallTimer) {
            m_stallTimer = new QTimer(this);
            m_stallTimer->setSingleShot(true);
        }
        m_stallTimer->disconnect();
        connect(m_stallTimer, &QTimer::timeout, job, [this, job] {
            if (m_job != job || m_cancelled)
                return;
            m_stalled = true;
            job->cancel(false);
        });
        m_stallTimer->start(m_stallMs);
    }
    connect(job, &RcloneJob::finished, this, [this, job, args, what, notFoundIsEmpty](const Status &status) {
        job->deleteLater();
        if (m_job != job)
            return;
        m_job = nullptr;
        if (m_stallTimer)
            m_stallTimer->stop();
        // A name that is a directory on the remote fails a per-file lookup as a whole ("is a
        // directory not a file"), or (several of them) leaves rclone stuck: ask once more by
        // listing the directories (files only), where such a name is simply absent.
        const bool isDirectory = !status.ok() && status.error().code == ErrorCode::RcloneFailed &&
                                 status.error().message.contains(QLatin1StringView("is a directory"));
        if (!m_cancelled && args.contains(QStringLiteral("--no-traverse")) && (isDirectory || m_stalled)) {
            if (m_stalled)
                qCInfo(lcRclone).noquote() << what << ": per-file lookups gave no answer in" << m_stallMs
                                           << "ms; asking again by listing the directories";
            m_stalled = false;
            QStringList again = args;
            again.removeOne(QStringLiteral("--no-traverse"));
            if (const qsizetype c = again.indexOf(QStringLiteral("--checkers")); c >= 0)
                again.remove(c, 2); // listing directories: rclone's default parallelism
            m_statResult.clear();
            runStat(again, what, m_statPrefix, notFoundIsEmpty);
            return;
        }
        m_filesFrom.reset();
        m_asked = QHash<QString, bool>(); // released before the caller builds on the answer
        if (!status.ok() && !(notFoundIsEmpty && status.error().code == ErrorCode::NotFound)) {
            m_statResult.clear();
            Q_EMIT statFinished(status.error());
            return;
        }
        if (m_garbage > 0) {
            m_statResult.clear();
            Q_EMIT statFinished(unreadableAnswer(what, m_garbage));
            return;
        }
        QHash<QString, RemoteEntry> result;
        result.swap(m_statResult);
        Q_EMIT statFinished(result);
    });
    job->start();
}

void RemoteLister::onStatLines(const QList<QByteArray> &lines)
{
    for (const QByteArray &line : lines) {
        rclone::LsjsonLine parsed = rclone::parseLsjsonLine(line);
        if (parsed.kind == rclone::LsjsonLine::Kind::Garbage)
            ++m_garbage;
        if (parsed.kind != rclone::LsjsonLine::Kind::Entry || parsed.entry.isDir)
            continue;
        if (!m_statPrefix.isEmpty())
            parsed.entry.relPath.prepend(m_statPrefix);
        const auto asked = m_asked.constFind(parsed.entry.relPath);
        // Never trust an answer to a question not asked.
        if (asked == m_asked.constEnd() || (parsed.entry.isSymlink && !asked.value()))
            continue;
        parsed.entry.relPath = asked.key(); // shares the caller's string: big answers stay small
        auto it = m_statResult.find(parsed.entry.relPath);
        // Both "x" and "x.rclonelink" on the remote: the regular file wins.
        if (it == m_statResult.end() || (it->isSymlink && !parsed.entry.isSymlink))
            m_statResult.insert(parsed.entry.relPath, parsed.entry);
    }
}

} // namespace baricadr
