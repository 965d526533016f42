#include "freeze/candidatestat.h"

#include "rclone/parsers.h"
#include "rclone/rclonejob.h"
#include "rclone/rcloneremote.h"

#include <QDir>

namespace baricadr {

CandidateStat::CandidateStat(const RcloneOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{}

CandidateStat::~CandidateStat()
{
    if (m_job)
        m_job->cancel(false);
}

void CandidateStat::finishLater(const Result<QHash<QString, RemoteEntry>> &r)
{
    QMetaObject::invokeMethod(
        this, [this, r] { Q_EMIT finished(r); }, Qt::QueuedConnection);
}

void CandidateStat::start(const RepoConfig &repo, const QStringList &relPaths, bool withHash)
{
    const RcloneRemote remote(repo);
    const QString what =
        QStringLiteral("checking %1 file(s) on %2").arg(relPaths.size()).arg(remote.describeForLog());
    m_list =
        std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/baricadr-candidates-XXXXXX"));
    if (!m_list->open()) {
        finishLater(
            Error(ErrorCode::Io, what + QStringLiteral(" failed: cannot create a temporary file in %1: %2")
                                            .arg(QDir::tempPath(), m_list->errorString())));
        return;
    }
    const QByteArray suffix = rclone::kLinkSuffix.toUtf8();
    for (const QString &p : relPaths) {
        // One name per line, verbatim: a name with a line break cannot be asked for; it is
        // then absent from the answer and the freeze keeps the file (not_on_remote).
        if (p.isEmpty() || p.contains(u'\n') || p.contains(u'\r'))
            continue;
        m_asked.insert(p);
        const QByteArray u = p.toUtf8();
        m_list->write(u + '\n' + u + suffix + '\n');
    }
    if (!m_list->flush()) {
        finishLater(Error(ErrorCode::Io, what + QStringLiteral(" failed: cannot write a temporary file: ") +
                                             m_list->errorString()));
        return;
    }
    if (m_asked.isEmpty()) {
        finishLater(QHash<QString, RemoteEntry>());
        return;
    }
    QStringList args{QStringLiteral("lsjson"),           QStringLiteral("-R"),
                     QStringLiteral("--files-from-raw"), m_list->fileName(),
                     QStringLiteral("--no-mimetype"),    QStringLiteral("--files-only"),
                     QStringLiteral("--links")};
    if (withHash)
        args << QStringLiteral("--hash");
    args << remote.spec();
    run(repo, args, what, QString(), false);
}

void CandidateStat::startListing(const RepoConfig &repo, const QString &relDir, QSet<QString> wanted)
{
    const RcloneRemote remote(repo);
    const QString what = QStringLiteral("listing %1").arg(remote.describeForLog(relDir));
    m_asked = std::move(wanted);
    if (m_asked.isEmpty()) {
        finishLater(QHash<QString, RemoteEntry>());
        return;
    }
    const QStringList args{QStringLiteral("lsjson"),        QStringLiteral("-R"),
                           QStringLiteral("--no-mimetype"), QStringLiteral("--files-only"),
                           QStringLiteral("--links"),       remote.spec(relDir)};
    run(repo, args, what, relDir.isEmpty() ? QString() : relDir + u'/', true);
}

void CandidateStat::run(const RepoConfig &repo, const QStringList &args, const QString &what,
                        const QString &prefix, bool notFoundIsEmpty)
{
    const RcloneRemote remote(repo);
    m_job = new RcloneJob(m_options, args, remote.environment(), what, this);
    auto garbage = std::make_shared<qint64>(0);
    connect(m_job, &RcloneJob::stdoutLines, this, [this, prefix, garbage](const QList<QByteArray> &lines) {
        for (const QByteArray &line : lines) {
            rclone::LsjsonLine parsed = rclone::parseLsjsonLine(line);
            if (parsed.kind == rclone::LsjsonLine::Kind::Garbage)
                ++*garbage;
            if (parsed.kind != rclone::LsjsonLine::Kind::Entry || parsed.entry.isDir)
                continue;
            if (!prefix.isEmpty())
                parsed.entry.relPath.prepend(prefix);
            if (!m_asked.contains(parsed.entry.relPath))
                continue; // never trust an answer to a question not asked
            auto it = m_result.find(parsed.entry.relPath);
            // Both "x" and "x.rclonelink" on the remote: the regular file wins.
            if (it == m_result.end() || (it->isSymlink && !parsed.entry.isSymlink))
                m_result.insert(parsed.entry.relPath, parsed.entry);
        }
    });
    connect(m_job, &RcloneJob::finished, this, [this, notFoundIsEmpty, garbage, what](const Status &status) {
        m_job->deleteLater();
        m_list.reset();
        if (!status && !(notFoundIsEmpty && status.error().code == ErrorCode::NotFound)) {
            m_result.clear();
            Q_EMIT finished(status.error());
            return;
        }
        if (*garbage > 0) {
            // rclone exited 0 but printed lines that are not lsjson: its answer cannot be
            // trusted (a file it "did not list" would be kept as not_on_remote, silently).
            m_result.clear();
            Q_EMIT finished(
                Error(ErrorCode::RcloneFailed,
                      QStringLiteral("%1 failed: rclone's answer cannot be read (%2 line(s) of its "
                                     "output are not lsjson entries); nothing was decided from it")
                          .arg(what)
                          .arg(*garbage)));
            return;
        }
        QHash<QString, RemoteEntry> out;
        out.swap(m_result);
        Q_EMIT finished(out);
    });
    m_job->start();
}

void CandidateStat::cancel()
{
    if (m_job)
        m_job->cancel(true);
}

} // namespace baricadr
