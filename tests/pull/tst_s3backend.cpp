// The s3 backend against a real S3 server on loopback (s3rver from npm): listing with links,
// candidate stats, a full pull, secrets off the command line, and the server going away.
#include "pull/puller.h"
#include "rclone/rclonejob.h"
#include "rclone/rcloneremote.h"
#include "rclone/remotelister.h"
#include "s3server.h"
#include "testtree.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace baricadr;
using namespace baricadr::test;

namespace {
template<typename T> QByteArray why(const Result<T> &r)
{
    return r.ok() ? QByteArray() : r.error().message.toUtf8();
}
} // namespace

class TestS3Backend : public QObject
{
    Q_OBJECT

    std::unique_ptr<S3Server> m_server;
    QTemporaryDir m_source;

    Result<PullOutcome> pull(const RepoConfig &repo, const QString &rel = QString(),
                             const PullOptions &po = {}, QStringList *log = nullptr)
    {
        Puller puller{RcloneOptions{}};
        bool done = false;
        Result<PullOutcome> result;
        if (log)
            connect(&puller, &Puller::logMessage, this, [log](const QString &line) { *log << line; });
        connect(&puller, &Puller::finished, this, [&](const Result<PullOutcome> &r) {
            done = true;
            result = r;
        });
        puller.start(repo, rel, po);
        QElapsedTimer t;
        t.start();
        while (!done && t.elapsed() < 120000)
            QTest::qWait(10);
        return result;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString unavailable = S3Server::unavailableReason();
        if (!unavailable.isEmpty())
            QSKIP(qPrintable(unavailable));
        m_server = std::make_unique<S3Server>();
        QVERIFY2(m_server->start(), qPrintable(m_server->serverLog()));
        QVERIFY(createOriginalLayout(m_source.path(), true));
        QVERIFY(writeFile(m_source.path(), QStringLiteral("a'b $(touch x) \"c\".txt"), "quoted\n"));
        const QString err = m_server->upload(m_source.path(), QStringLiteral("projectB"));
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }

    void listing()
    {
        QTemporaryDir local;
        RemoteLister lister{RcloneOptions{}};
        QStringList paths;
        bool done = false;
        Status status;
        connect(&lister, &RemoteLister::entries, this,
                [&](const QList<RemoteEntry> &b, const QList<QJsonObject> &) {
                    for (const RemoteEntry &e : b)
                        paths << e.relPath + (e.isSymlink ? QStringLiteral("@") : QString());
                });
        connect(&lister, &RemoteLister::listFinished, this, [&](const Status &s) {
            done = true;
            status = s;
        });
        lister.list(m_server->repoFor(local.path(), QStringLiteral("projectB")), QStringLiteral("subdir"),
                    {});
        QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
        QVERIFY2(status.ok(), why(status).constData());
        paths.sort();
        QCOMPARE(paths, (QStringList{QStringLiteral("subdir/abs_link@"), QStringLiteral("subdir/rel_link@"),
                                     QStringLiteral("subdir/subfile.txt"),
                                     QStringLiteral("subdir/subsubdir/poutrelle.tsv"),
                                     QStringLiteral("subdir/subsubdir/poutrelle.xml"),
                                     QStringLiteral("subdir/subsubdir/subsubfile.txt"),
                                     QStringLiteral("subdir/subsubdir2/poutrelle.xml"),
                                     QStringLiteral("subdir/subsubdir2/subsubfile.txt"),
                                     QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")}));
    }

    void stat()
    {
        QTemporaryDir local;
        RemoteLister lister{RcloneOptions{}};
        bool done = false;
        Result<QHash<QString, RemoteEntry>> result;
        connect(&lister, &RemoteLister::statFinished, this,
                [&](const Result<QHash<QString, RemoteEntry>> &r) {
                    done = true;
                    result = r;
                });
        lister.stat(
            m_server->repoFor(local.path(), QStringLiteral("projectB")),
            {QStringLiteral("file.txt"), QStringLiteral("subdir/abs_link"), QStringLiteral("nope.txt")},
            true);
        QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
        QVERIFY2(result.ok(), why(result).constData());
        QCOMPARE(result->size(), 2);
        QVERIFY(result->value(QStringLiteral("subdir/abs_link")).isSymlink);
        QCOMPARE(result->value(QStringLiteral("file.txt")).hash,
                 QString::fromLatin1(
                     QCryptographicHash::hash("content of file.txt\n", QCryptographicHash::Md5).toHex()));
    }

    // On a bucket store a directory absent locally is still listed first (a copy walks the
    // bucket by prefix, which s3rver answers without the prefixes that hold only prefixes: the
    // copy would miss "subsubsubdir2/a file"), and the pull gets every file.
    void pullAbsentDirListsFirst()
    {
        QTemporaryDir local;
        QStringList log;
        const auto r = pull(m_server->repoFor(local.path(), QStringLiteral("projectB")),
                            QStringLiteral("subdir"), {}, &log);
        QVERIFY2(r.ok(), why(r).constData());
        QVERIFY(!log.join(u'\n').contains(QStringLiteral("without listing it first")));
        QCOMPARE(r->files, qint64(9));
        QCOMPARE(readFileNoAtime(
                     local.filePath(QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file"))),
                 QByteArray("content of subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file\n"));
    }

    void pullAll()
    {
        QTemporaryDir local;
        const RepoConfig repo = m_server->repoFor(local.path(), QStringLiteral("projectB"));
        QVERIFY(writeFile(local.path(), QStringLiteral("file.txt"), "local edit\n"));
        const auto r = pull(repo);
        QVERIFY2(r.ok(), why(r).constData());
        QCOMPARE(r->files, qint64(originalLayoutFiles().size() - 1 + 3));
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("file.txt"))), QByteArray("local edit\n"));
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("a'b $(touch x) \"c\".txt"))),
                 QByteArray("quoted\n"));
        QCOMPARE(QFile::symLinkTarget(local.filePath(QStringLiteral("subdir/abs_link"))),
                 QStringLiteral("/does/not/exist"));
        // S3 keeps mtimes with ns precision (as metadata): the pulled file has the source's.
        struct stat src, dst;
        QCOMPARE(::lstat(QFile::encodeName(m_source.filePath(QStringLiteral("file2.txt"))).constData(), &src),
                 0);
        QCOMPARE(::lstat(QFile::encodeName(local.filePath(QStringLiteral("file2.txt"))).constData(), &dst),
                 0);
        QCOMPARE(dst.st_mtim.tv_sec, src.st_mtim.tv_sec);
        QVERIFY(!QFileInfo::exists(local.filePath(QStringLiteral(".baricadr-staging"))));
    }

    void secretNotOnCommandLine()
    {
        QTemporaryDir local;
        RepoConfig repo = m_server->repoFor(local.path(), QStringLiteral("projectB"));
        repo.secretAccessKey = QStringLiteral("sup3r-s3cret-key"); // s3rver does not check it
        const RcloneRemote remote(repo);
        RcloneOptions ro;
        ro.extraFlags = {QStringLiteral("--bwlimit"), QStringLiteral("1k")};
        RcloneJob job(ro, {QStringLiteral("copy"), remote.spec(), local.path()}, remote.environment(),
                      QStringLiteral("pulling"));
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(job.pid() > 0, 10000);
        // Right after fork the child still shows the test's own command line: read it until the
        // exec of rclone has happened (bounded).
        const QString procPath = QStringLiteral("/proc/%1/cmdline").arg(job.pid());
        auto readArgs = [&procPath]() {
            QFile cmdline(procPath);
            return cmdline.open(QIODevice::ReadOnly) ? cmdline.readAll() : QByteArray();
        };
        QTRY_VERIFY_WITH_TIMEOUT(readArgs().contains("copy"), 10000);
        const QByteArray args = readArgs();
        QVERIFY(args.contains("copy"));
        QVERIFY(!args.contains("sup3r-s3cret-key"));
        QVERIFY(!args.contains("S3RVER"));
        QVERIFY(!job.commandLineForLog().contains(QStringLiteral("sup3r")));
        QVERIFY(!remote.describeForLog().contains(QStringLiteral("sup3r")));
        job.cancel(false);
        QTRY_VERIFY_WITH_TIMEOUT(!job.isRunning(), 10000);
    }

    void serverGone()
    {
        QTemporaryDir local;
        const RepoConfig repo = m_server->repoFor(local.path(), QStringLiteral("projectB"));
        m_server->kill();
        QElapsedTimer t;
        t.start();
        const auto r = pull(repo);
        qInfo() << "s3 server down: error after" << t.elapsed() << "ms:" << why(r);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::RemoteUnreachable);
        QVERIFY(t.elapsed() < 60000); // rclone's defaults take ~100 s here
    }
};

QTEST_GUILESS_MAIN(TestS3Backend)
#include "tst_s3backend.moc"
