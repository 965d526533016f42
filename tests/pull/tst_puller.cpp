// Puller against a real loopback SFTP server (and the local backend): what is pulled, what is
// never overwritten, excludes, links, odd names, atime/mtime/chown, dry run, and every way a
// pull can be interrupted (cancel, remote gone, rclone missing, kill -9, disk full) leaving no
// partial file behind.
#include "loopmount.h"
#include "pull/puller.h"
#include "sftpserver.h"
#include "testenv.h"
#include "testtree.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace baricadr;
using namespace baricadr::test;

namespace {

template<typename T> QByteArray why(const Result<T> &r)
{
    return r.ok() ? QByteArray() : r.error().message.toUtf8();
}

struct Run
{
    bool done = false;
    Result<PullOutcome> result;
    QList<TaskProgress> progress;
    QStringList filesDone;
    QStringList log;
};

struct stat lstatOf(const QString &path)
{
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        st.st_mode = 0;
    return st;
}

bool exists(const QString &path)
{
    return lstatOf(path).st_mode != 0;
}

QString readLinkRaw(const QString &path)
{
    char buf[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buf, sizeof buf);
    return n < 0 ? QString() : QString::fromLocal8Bit(buf, n);
}

// Every regular file / symlink under dir (relative), staging included.
QStringList tree(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir(dir).relativeFilePath(it.next());
    out.sort();
    return out;
}

} // namespace

class TestPuller : public QObject
{
    Q_OBJECT

    std::unique_ptr<SftpServer> m_server;
    QString m_remote; // on-disk root of the remote repo

    RepoConfig repoFor(const QString &local)
    {
        QFETCH_GLOBAL(QString, backend);
        if (backend == QStringLiteral("local")) {
            RepoConfig r;
            r.root = local;
            r.backend = Backend::Local;
            r.localPath = m_remote;
            return r;
        }
        return m_server->repoFor(local, QStringLiteral("backup"));
    }

    Run pull(const RepoConfig &repo, const QString &rel = QString(), const PullOptions &po = {},
             RcloneOptions ro = {}, std::function<void(Puller &, Run &)> onProgress = {},
             std::function<void(const QString &)> onLog = {})
    {
        Run run;
        Puller puller(ro);
        connect(&puller, &Puller::logMessage, this, [&](const QString &line) {
            run.log << line;
            if (onLog)
                onLog(line);
        });
        connect(&puller, &Puller::progress, this, [&](const TaskProgress &p) {
            run.progress << p;
            if (onProgress)
                onProgress(puller, run);
        });
        connect(&puller, &Puller::fileDone, this, [&](const QString &f, qint64) { run.filesDone << f; });
        connect(&puller, &Puller::finished, this, [&](const Result<PullOutcome> &r) {
            run.done = true;
            run.result = r;
        });
        puller.start(repo, rel, po);
        QElapsedTimer t;
        t.start();
        while (!run.done && t.elapsed() < 120000)
            QTest::qWait(10);
        return run;
    }

    static bool pulledDirectly(const Run &r)
    {
        return std::any_of(r.log.begin(), r.log.end(), [](const QString &l) {
            return l.contains(QStringLiteral("copying it without listing it first"));
        });
    }
    static bool fellBack(const Run &r)
    {
        return std::any_of(r.log.begin(), r.log.end(), [](const QString &l) {
            return l.contains(QStringLiteral("listing the remote to plan the pull"));
        });
    }
    static QString copyCommand(const Run &r)
    {
        for (const QString &l : r.log)
            if (l.contains(QStringLiteral(" copyto ")) || l.contains(QStringLiteral(" copy ")))
                return l;
        return QString();
    }
    // What a pull left on disk: every file and link with its content or target and mtime.
    static QStringList describe(const QString &root)
    {
        QStringList out;
        for (const QString &f : tree(root)) {
            const QString path = root + u'/' + f;
            const struct stat st = lstatOf(path);
            out << f + QStringLiteral(" | ") +
                       (S_ISLNK(st.st_mode) ? QStringLiteral("-> ") + readLinkRaw(path)
                                            : QString::fromUtf8(readFileNoAtime(path).toHex())) +
                       QStringLiteral(" | mtime ") + QString::number(st.st_mtim.tv_sec);
        }
        return out;
    }
    static QStringList sorted(QStringList l)
    {
        l.sort();
        return l;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sftp") << QStringLiteral("sftp");
        QTest::newRow("local") << QStringLiteral("local");
    }

    void initTestCase()
    {
        m_server = std::make_unique<SftpServer>();
        m_remote = m_server->root() + QStringLiteral("/backup");
        QVERIFY(createOriginalLayout(m_remote, true));
        QVERIFY(writeFile(m_remote, QStringLiteral("a'b $(touch x) \"c\".txt"), "quoted\n"));
        QVERIFY(writeFile(m_remote, QStringLiteral("same/same"), "a file named like its directory\n"));
        // Remote mtimes in the past, as a backup's would be.
        QDirIterator it(m_remote, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext())
            QVERIFY(setTimes(it.next(), 1600000000, 1600000000));
        QVERIFY(m_server->start());
    }

    void wholeRepo()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const Run r = pull(repo);
        QVERIFY2(r.result.ok(), why(r.result).constData());
        QStringList expected = originalLayoutFiles();
        expected << QStringLiteral("subdir/rel_link") << QStringLiteral("subdir/abs_link")
                 << QStringLiteral("same/same") << QStringLiteral("a'b $(touch x) \"c\".txt");
        expected.sort();
        QCOMPARE(tree(local.path()), expected);
        QCOMPARE(r.result->files, qint64(expected.size()));
        QStringList pulled = r.result->pulled;
        pulled.sort();
        QCOMPARE(pulled, expected);
        QCOMPARE(r.filesDone.size(), expected.size());
        for (const QString &f : originalLayoutFiles()) {
            QCOMPARE(readFileNoAtime(local.filePath(f)), "content of " + f.toUtf8() + '\n');
            const struct stat st = lstatOf(local.filePath(f));
            QCOMPARE(qint64(st.st_mtim.tv_sec), qint64(1600000000));  // mtime from the remote
            QVERIFY2(st.st_atim.tv_sec >= before - 1, qPrintable(f)); // atime: just pulled
        }
        QVERIFY(S_ISLNK(lstatOf(local.filePath(QStringLiteral("subdir/rel_link"))).st_mode));
        QCOMPARE(readLinkRaw(local.filePath(QStringLiteral("subdir/rel_link"))),
                 QStringLiteral("does/not/exist"));
        QCOMPARE(readLinkRaw(local.filePath(QStringLiteral("subdir/abs_link"))),
                 QStringLiteral("/does/not/exist"));
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("a'b $(touch x) \"c\".txt"))),
                 QByteArray("quoted\n"));
        QVERIFY(!exists(QStringLiteral("x")));
        QVERIFY(!exists(local.filePath(QStringLiteral("x"))));
        QVERIFY(!exists(m_server->root() + QStringLiteral("/x")));
        QVERIFY(!exists(local.filePath(QString(Puller::kStagingDirName.toString()))));
        QVERIFY(!r.progress.isEmpty() || r.result->bytes < 1000);

        // Pulling again finds nothing to do.
        const Run again = pull(repo);
        QVERIFY2(again.result.ok(), why(again.result).constData());
        QCOMPARE(again.result->files, qint64(0));
    }

    void neverOverwritesLocal()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        QVERIFY(writeFile(local.path(), QStringLiteral("file.txt"), "modified locally, not yet backed up\n"));
        QVERIFY(writeFile(local.path(), QStringLiteral("local-only.txt"), "mine\n"));
        QVERIFY(QFile::link(QStringLiteral("elsewhere"),
                            local.filePath(QStringLiteral("file2.txt")))); // a local link wins too
        const Run r = pull(repo, QString());
        QVERIFY2(r.result.ok(), why(r.result).constData());
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("file.txt"))),
                 QByteArray("modified locally, not yet backed up\n"));
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("local-only.txt"))), QByteArray("mine\n"));
        QCOMPARE(readLinkRaw(local.filePath(QStringLiteral("file2.txt"))), QStringLiteral("elsewhere"));
        QVERIFY(!r.result->pulled.contains(QStringLiteral("file.txt")));
        QVERIFY(r.result->pulled.contains(QStringLiteral("subdir/subfile.txt")));

        // Deleted locally: pulled again.
        QVERIFY(QFile::remove(local.filePath(QStringLiteral("subdir/subfile.txt"))));
        const Run r2 = pull(repo, QStringLiteral("subdir"));
        QVERIFY2(r2.result.ok(), why(r2.result).constData());
        QCOMPARE(r2.result->pulled, QStringList{QStringLiteral("subdir/subfile.txt")});
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("subdir/subfile.txt"))),
                 QByteArray("content of subdir/subfile.txt\n"));
    }

    void excludes()
    {
        QTemporaryDir local;
        RepoConfig repo = repoFor(local.path());
        repo.exclude = {QStringLiteral("*.xml"), QStringLiteral("*/subsubsubdir/*")};
        const Run r = pull(repo, QStringLiteral("subdir"));
        QVERIFY2(r.result.ok(), why(r.result).constData());
        for (const QString &f : tree(local.path())) {
            QVERIFY2(!f.endsWith(QStringLiteral(".xml")), qPrintable(f));
            QVERIFY2(!f.contains(QStringLiteral("subsubsubdir")), qPrintable(f));
        }
        QVERIFY(exists(local.filePath(QStringLiteral("subdir/subsubdir/poutrelle.tsv"))));

        // One excluded file asked explicitly is still pulled (as the original does).
        const Run one = pull(repo, QStringLiteral("subdir/subsubdir/poutrelle.xml"));
        QVERIFY2(one.result.ok(), why(one.result).constData());
        QCOMPARE(one.result->pulled, QStringList{QStringLiteral("subdir/subsubdir/poutrelle.xml")});
        QCOMPARE(readFileNoAtime(local.filePath(QStringLiteral("subdir/subsubdir/poutrelle.xml"))),
                 QByteArray("content of subdir/subsubdir/poutrelle.xml\n"));
        QVERIFY(!exists(local.filePath(QStringLiteral("subdir/subsubdir2/poutrelle.xml"))));
    }

    void dryRun()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        QVERIFY(writeFile(local.path(), QStringLiteral("file.txt"), "local\n"));
        PullOptions po;
        po.dryRun = true;
        const Run r = pull(repo, QString(), po);
        QVERIFY2(r.result.ok(), why(r.result).constData());
        QCOMPARE(r.result->files,
                 qint64(originalLayoutFiles().size() + 3)); // all but file.txt, + 2 links + quoted + same - 1
        QVERIFY(r.result->wouldPull.contains(
            QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")));
        QVERIFY(!r.result->wouldPull.contains(QStringLiteral("file.txt")));
        QVERIFY(r.result->pulled.isEmpty());
        QCOMPARE(tree(local.path()), QStringList{QStringLiteral("file.txt")});
    }

    void explicitFilesForThaw()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        PullOptions po;
        po.files = {QStringLiteral("file2.txt"), QStringLiteral("subdir/rel_link"),
                    QStringLiteral("not/on/remote.txt"), QStringLiteral("a'b $(touch x) \"c\".txt")};
        const Run r = pull(repo, QString(), po);
        QVERIFY2(r.result.ok(), why(r.result).constData());
        QStringList pulled = r.result->pulled;
        pulled.sort();
        QCOMPARE(pulled, (QStringList{QStringLiteral("a'b $(touch x) \"c\".txt"), QStringLiteral("file2.txt"),
                                      QStringLiteral("subdir/rel_link")}));
        QCOMPARE(r.result->notOnRemote, QStringList{QStringLiteral("not/on/remote.txt")});
        QCOMPARE(readLinkRaw(local.filePath(QStringLiteral("subdir/rel_link"))),
                 QStringLiteral("does/not/exist"));
    }

    // A directory or file absent locally is copied without a listing first, and the result is
    // exactly what the listing-first pull gives (files, links, contents, mtimes, odd names).
    void directCopyMatchesListing_data()
    {
        QTest::addColumn<QString>("rel");
        QTest::addColumn<int>("files");
        QTest::newRow("dir with links") << QStringLiteral("subdir") << 9;
        QTest::newRow("deep dir") << QStringLiteral("subdir/subsubdir2/subsubsubdir") << 1;
        QTest::newRow("one file") << QStringLiteral("subdir/subsubdir/poutrelle.tsv") << 1;
        QTest::newRow("odd name") << QStringLiteral("a'b $(touch x) \"c\".txt") << 1;
        QTest::newRow("dir holding a file of its name") << QStringLiteral("same") << 1;
        QTest::newRow("file named like its dir") << QStringLiteral("same/same") << 1;
    }
    void directCopyMatchesListing()
    {
        QFETCH(QString, rel);
        QFETCH(int, files);
        QTemporaryDir direct, listed;
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const Run d = pull(repoFor(direct.path()), rel);
        QVERIFY2(d.result.ok(), why(d.result).constData());
        QVERIFY2(pulledDirectly(d), qPrintable(d.log.join(u'\n')));
        QVERIFY(!fellBack(d));
        PullOptions po;
        po.alwaysList = true;
        const Run l = pull(repoFor(listed.path()), rel, po);
        QVERIFY2(l.result.ok(), why(l.result).constData());
        QVERIFY(!pulledDirectly(l));

        QCOMPARE(d.result->files, qint64(files));
        QCOMPARE(sorted(d.result->pulled), sorted(l.result->pulled));
        QCOMPARE(d.result->bytes, l.result->bytes);
        QCOMPARE(describe(direct.path()), describe(listed.path()));
        QCOMPARE(sorted(d.filesDone), sorted(d.result->pulled));
        for (const QString &f : d.result->pulled) {
            QVERIFY2(f == rel || f.startsWith(rel + u'/'), qPrintable(f));
            QVERIFY(lstatOf(direct.filePath(f)).st_atim.tv_sec >= before - 1); // atime: just pulled
        }
        QVERIFY(!exists(direct.filePath(Puller::kStagingDirName.toString())));
        QVERIFY(!exists(direct.filePath(QStringLiteral("x"))));
    }

    // What the direct copy cannot find under the asked name goes through the listing: a link
    // stored as "name.rclonelink", a path the remote does not have.
    void directFallsBackToListing()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        const Run link = pull(repo, QStringLiteral("subdir/rel_link"));
        QVERIFY2(link.result.ok(), why(link.result).constData());
        QVERIFY(pulledDirectly(link));
        QVERIFY2(fellBack(link), qPrintable(link.log.join(u'\n')));
        QCOMPARE(link.result->pulled, QStringList{QStringLiteral("subdir/rel_link")});
        QCOMPARE(readLinkRaw(local.filePath(QStringLiteral("subdir/rel_link"))),
                 QStringLiteral("does/not/exist"));

        PullOptions po;
        po.alwaysList = true;
        const Run missingListed = pull(repo, QStringLiteral("not/there"), po);
        const Run missing = pull(repo, QStringLiteral("not/there"));
        QVERIFY(fellBack(missing));
        QCOMPARE(missing.result.ok(), missingListed.result.ok());
        if (!missing.result.ok())
            QCOMPARE(missing.result.error().code, missingListed.result.error().code);
        else
            QCOMPARE(missing.result->files, qint64(0));
        QVERIFY(!exists(local.filePath(QStringLiteral("not"))));
        QVERIFY(!exists(local.filePath(Puller::kStagingDirName.toString())));
    }

    // Excludes hold on the direct copy: the simple "*suffix" ones are given to rclone (nothing
    // downloaded for them), the others are applied when placing.
    void directExcludes()
    {
        QTemporaryDir direct, listed;
        RepoConfig repo = repoFor(direct.path());
        repo.exclude = {QStringLiteral("*.xml"), QStringLiteral("*/subsubsubdir/*"), QStringLiteral("*link")};
        const Run d = pull(repo, QStringLiteral("subdir"));
        QVERIFY2(d.result.ok(), why(d.result).constData());
        QVERIFY(pulledDirectly(d));
        const QString command = copyCommand(d);
        QVERIFY2(command.contains(QStringLiteral("--exclude '*.xml'")), qPrintable(command));
        QVERIFY2(!command.contains(QStringLiteral("subsubsubdir")), qPrintable(command));
        QVERIFY2(!command.contains(QStringLiteral("*link")), qPrintable(command)); // could hide a link
        for (const QString &f : tree(direct.path())) {
            QVERIFY2(!f.endsWith(QStringLiteral(".xml")), qPrintable(f));
            QVERIFY2(!f.contains(QStringLiteral("subsubsubdir")), qPrintable(f));
            QVERIFY2(!f.endsWith(QStringLiteral("link")), qPrintable(f));
        }
        QVERIFY(exists(direct.filePath(QStringLiteral("subdir/subsubdir/poutrelle.tsv"))));

        RepoConfig repoListed = repoFor(listed.path());
        repoListed.exclude = repo.exclude;
        PullOptions po;
        po.alwaysList = true;
        const Run l = pull(repoListed, QStringLiteral("subdir"), po);
        QVERIFY2(l.result.ok(), why(l.result).constData());
        QCOMPARE(describe(direct.path()), describe(listed.path()));

        // An excluded file asked by name (absent locally) is pulled: through the listing.
        const Run one = pull(repo, QStringLiteral("subdir/subsubdir2/poutrelle.xml"));
        QVERIFY2(one.result.ok(), why(one.result).constData());
        QVERIFY(!pulledDirectly(one));
        QCOMPARE(one.result->pulled, QStringList{QStringLiteral("subdir/subsubdir2/poutrelle.xml")});

        // A file not excluded, asked by name in a repo with excludes: rclone 1.60 refuses filters
        // on a single file, so it is copied without them, still directly.
        QTemporaryDir single;
        RepoConfig repoSingle = repoFor(single.path());
        repoSingle.exclude = repo.exclude;
        const Run file = pull(repoSingle, QStringLiteral("subdir/subsubdir/poutrelle.tsv"));
        QVERIFY2(file.result.ok(), why(file.result).constData());
        QVERIFY(pulledDirectly(file));
        QCOMPARE(file.result->pulled, QStringList{QStringLiteral("subdir/subsubdir/poutrelle.tsv")});
        QCOMPARE(tree(single.path()), QStringList{QStringLiteral("subdir/subsubdir/poutrelle.tsv")});
    }

    // A file that appears locally while the direct copy runs is kept, not replaced.
    void directKeepsFileAppearingLocally()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        const QString mine = QStringLiteral("subdir/subsubdir/subsubfile.txt");
        bool created = false;
        const Run r = pull(repo, QStringLiteral("subdir/subsubdir"), {}, {}, {}, [&](const QString &line) {
            // rclone is being started: the decision to copy directly is made.
            if (!created && line.contains(QStringLiteral(" copyto "))) {
                created = writeFile(local.path(), mine, "written locally during the pull\n");
            }
        });
        QVERIFY(created);
        QVERIFY2(r.result.ok(), why(r.result).constData());
        QVERIFY(pulledDirectly(r));
        QCOMPARE(readFileNoAtime(local.filePath(mine)), QByteArray("written locally during the pull\n"));
        QCOMPARE(r.result->keptLocal, QStringList{mine});
        QVERIFY(!r.result->pulled.contains(mine));
        QCOMPARE(sorted(r.result->pulled), (QStringList{QStringLiteral("subdir/subsubdir/poutrelle.tsv"),
                                                        QStringLiteral("subdir/subsubdir/poutrelle.xml")}));
        QVERIFY(!exists(local.filePath(Puller::kStagingDirName.toString())));
    }

    // A symlink put in the way while the direct copy runs is never followed out of the repo.
    void directNeverFollowsSymlinkAppearing()
    {
        QTemporaryDir local, outside;
        const RepoConfig repo = repoFor(local.path());
        bool linked = false;
        const Run r = pull(repo, QStringLiteral("subdir/subsubdir"), {}, {}, {}, [&](const QString &line) {
            if (!linked && line.contains(QStringLiteral(" copyto ")))
                linked = QFile::link(outside.path(), local.filePath(QStringLiteral("subdir")));
        });
        QVERIFY(linked);
        QVERIFY(pulledDirectly(r));
        QVERIFY(tree(outside.path()).isEmpty());
        if (r.result.ok())
            QVERIFY(r.result->pulled.isEmpty());
        QVERIFY(S_ISLNK(lstatOf(local.filePath(QStringLiteral("subdir"))).st_mode));
        QVERIFY(!exists(local.filePath(Puller::kStagingDirName.toString())));
    }

    void chownAsRoot()
    {
        if (::geteuid() != 0)
            QSKIP("chown needs root");
        QTemporaryDir local;
        RepoConfig repo = repoFor(local.path());
        repo.chownUid = 4321;
        repo.chownGid = 5432;
        const Run r = pull(repo, QStringLiteral("subdir/subsubdir2"));
        QVERIFY2(r.result.ok(), why(r.result).constData());
        for (const QString &p : {QStringLiteral("subdir"), QStringLiteral("subdir/subsubdir2"),
                                 QStringLiteral("subdir/subsubdir2/subsubfile.txt"),
                                 QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2"),
                                 QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")}) {
            const struct stat st = lstatOf(local.filePath(p));
            QCOMPARE(st.st_uid, uid_t(4321));
            QCOMPARE(st.st_gid, gid_t(5432));
        }
        QCOMPARE(lstatOf(local.path()).st_uid, uid_t(0)); // the repo root is not ours to change
    }

    void rcloneMissing()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        RcloneOptions ro;
        ro.program = QStringLiteral("/nonexistent/rclone");
        const Run r = pull(repo, QString(), {}, ro);
        QVERIFY(!r.result.ok());
        QCOMPARE(r.result.error().code, ErrorCode::RcloneMissing);
        QVERIFY(tree(local.path()).isEmpty());
    }

    void pathOutsideRefused()
    {
        QTemporaryDir local;
        const RepoConfig repo = repoFor(local.path());
        for (const QString &bad :
             {QStringLiteral("../etc"), QStringLiteral("/etc"), QStringLiteral(".baricadr-staging/x")}) {
            const Run r = pull(repo, bad);
            QVERIFY(!r.result.ok());
            QCOMPARE(r.result.error().code, ErrorCode::InvalidInput);
        }
    }
};

// Interruptions, on a big file throttled so there is time to interrupt.
class TestPullerInterrupted : public QObject
{
    Q_OBJECT

    std::unique_ptr<SftpServer> m_server;
    static constexpr qint64 kBig = 200LL * 1024 * 1024;

    struct Run
    {
        bool done = false;
        Result<PullOutcome> result;
        qint64 lastBytes = 0;
        bool direct = false; // the pull copied without listing first
    };

    // Each interruption both ways: the listing first (the repo root, which exists) and the
    // direct copy (the directory "big", absent locally). `dir`: where big.bin lands.
    struct Target
    {
        RepoConfig repo;
        QString rel;
        QString dir;
    };
    Target target(const QString &local)
    {
        QFETCH(bool, direct);
        if (direct)
            return {m_server->repoFor(local), QStringLiteral("big"), QStringLiteral("big/")};
        return {m_server->repoFor(local, QStringLiteral("big")), QString(), QString()};
    }
    static void bothWays()
    {
        QTest::addColumn<bool>("direct");
        QTest::newRow("listing first") << false;
        QTest::newRow("direct copy") << true;
    }

    void startPull(Puller &puller, Run &run, const Target &target)
    {
        connect(&puller, &Puller::logMessage, this, [&run](const QString &line) {
            run.direct = run.direct || line.contains(QStringLiteral("copying it without listing it first"));
        });
        connect(&puller, &Puller::progress, this, [&run](const TaskProgress &p) { run.lastBytes = p.bytes; });
        connect(&puller, &Puller::finished, this, [&run](const Result<PullOutcome> &r) {
            run.done = true;
            run.result = r;
        });
        PullOptions po;
        po.taskId = QStringLiteral("task-1");
        puller.start(target.repo, target.rel, po);
    }

    static RcloneOptions throttled()
    {
        RcloneOptions ro;
        ro.extraFlags = {QStringLiteral("--bwlimit"), QStringLiteral("20M")};
        return ro;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SftpServer>();
        QVERIFY(QDir().mkpath(m_server->root() + QStringLiteral("/big")));
        QFile f(m_server->root() + QStringLiteral("/big/big.bin"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(kBig)); // sparse: fast to serve, still 200 MiB on the wire
        f.close();
        QVERIFY(writeFile(m_server->root() + QStringLiteral("/big"), QStringLiteral("small.txt"), "small\n"));
        QVERIFY(m_server->start());
    }

    void cancelLeavesNothingPartial_data() { bothWays(); }
    void cancelLeavesNothingPartial()
    {
        QTemporaryDir local;
        const Target target = this->target(local.path());
        const QString bigBin = local.filePath(target.dir + QStringLiteral("big.bin"));
        Puller puller(throttled());
        Run run;
        startPull(puller, run, target);
        QTRY_VERIFY_WITH_TIMEOUT(run.lastBytes > 10 * 1024 * 1024 || run.done, 60000);
        QVERIFY(!run.done);
        QCOMPARE(run.direct, !target.rel.isEmpty());
        QVERIFY(exists(local.filePath(QStringLiteral(".baricadr-staging/task-1/") + target.dir +
                                      QStringLiteral("big.bin")))); // rclone writes there
        QVERIFY(!exists(bigBin));
        QElapsedTimer t;
        t.start();
        puller.cancel(true);
        QTRY_VERIFY_WITH_TIMEOUT(run.done, 20000);
        qInfo() << "cancel took" << t.elapsed() << "ms";
        QVERIFY(!run.result.ok());
        QCOMPARE(run.result.error().code, ErrorCode::Cancelled);
        QVERIFY(!exists(bigBin));
        QVERIFY(!exists(local.filePath(QStringLiteral(".baricadr-staging"))));

        // A second pull completes it.
        Puller again{RcloneOptions{}};
        Run run2;
        startPull(again, run2, target);
        QTRY_VERIFY_WITH_TIMEOUT(run2.done, 120000);
        QVERIFY2(run2.result.ok(), why(run2.result).constData());
        QCOMPARE(QFileInfo(bigBin).size(), kBig);
        QCOMPARE(readFileNoAtime(local.filePath(target.dir + QStringLiteral("small.txt"))),
                 QByteArray("small\n"));
        QVERIFY(!exists(local.filePath(QStringLiteral(".baricadr-staging"))));
    }

    void remoteGoesAwayMidTransfer_data() { bothWays(); }
    void remoteGoesAwayMidTransfer()
    {
        QTemporaryDir local;
        const Target target = this->target(local.path());
        Puller puller(throttled());
        Run run;
        startPull(puller, run, target);
        QTRY_VERIFY_WITH_TIMEOUT(run.lastBytes > 10 * 1024 * 1024 || run.done, 60000);
        QVERIFY(!run.done);
        QCOMPARE(run.direct, !target.rel.isEmpty());
        m_server->kill();
        QElapsedTimer t;
        t.start();
        QTRY_VERIFY_WITH_TIMEOUT(run.done, 90000);
        qInfo() << "remote killed mid-transfer: error after" << t.elapsed() << "ms:" << why(run.result);
        QVERIFY(m_server->restart());
        QVERIFY(!run.result.ok());
        QCOMPARE(run.result.error().code, ErrorCode::RemoteUnreachable);
        QVERIFY(!exists(local.filePath(target.dir + QStringLiteral("big.bin"))));
        QVERIFY(!exists(local.filePath(QStringLiteral(".baricadr-staging"))));
        QVERIFY(t.elapsed() < 60000);
    }

    // kill -9 of the pulling process: rclone dies with it (PDEATHSIG), nothing partial is in
    // place, recovery removes the staged part, and the next pull completes the file.
    void killDashNineThenRecover_data() { bothWays(); }
    void killDashNineThenRecover()
    {
        QTemporaryDir local;
        const Target target = this->target(local.path());
        QProcess helper;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BARICADR_TEST_PASSWORD"), m_server->password());
        helper.setProcessEnvironment(env);
        helper.start(binaryDir() + QStringLiteral("/tests/pull/pullhelper"),
                     {local.path(), QString::number(m_server->port()), m_server->user(),
                      target.repo.remotePrefix, QStringLiteral("task-9"), QStringLiteral("20M"), target.rel});
        QVERIFY(helper.waitForStarted(10000));
        const QString staged = local.filePath(QStringLiteral(".baricadr-staging/task-9/") + target.dir +
                                              QStringLiteral("big.bin"));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(staged).size() > 10 * 1024 * 1024, 60000);
        ::kill(pid_t(helper.processId()), SIGKILL);
        QVERIFY(helper.waitForFinished(10000));
        // rclone follows its parent: the staged file stops growing.
        QTest::qWait(1500);
        const qint64 size1 = QFileInfo(staged).size();
        QTest::qWait(1500);
        QCOMPARE(QFileInfo(staged).size(), size1);
        QVERIFY(size1 < kBig);
        QVERIFY(!exists(local.filePath(target.dir + QStringLiteral("big.bin"))));

        const Result<int> repaired = Puller::recoverStaging(target.repo);
        QVERIFY2(repaired.ok(), why(repaired).constData());
        QCOMPARE(*repaired, 1);
        QVERIFY(!exists(local.filePath(QStringLiteral(".baricadr-staging"))));

        Puller again{RcloneOptions{}};
        Run run;
        startPull(again, run, target);
        QTRY_VERIFY_WITH_TIMEOUT(run.done, 120000);
        QVERIFY2(run.result.ok(), why(run.result).constData());
        QCOMPARE(QFileInfo(local.filePath(target.dir + QStringLiteral("big.bin"))).size(), kBig);
    }

    // A running pull's staging is never removed by recovery (its lock is held).
    void recoverySparesRunningPull_data() { bothWays(); }
    void recoverySparesRunningPull()
    {
        QTemporaryDir local;
        const Target target = this->target(local.path());
        const RepoConfig &repo = target.repo;
        Puller puller(throttled());
        Run run;
        startPull(puller, run, target);
        const QString staged = local.filePath(QStringLiteral(".baricadr-staging/task-1/") + target.dir +
                                              QStringLiteral("big.bin"));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(staged).size() > 1024 * 1024, 60000);
        QVERIFY(QDir().mkpath(local.filePath(QStringLiteral(".baricadr-staging/stale-task"))));
        const Result<int> repaired = Puller::recoverStaging(repo);
        QVERIFY(repaired.ok());
        QCOMPARE(*repaired, 1); // the stale one only
        QVERIFY(exists(staged));
        puller.cancel(false);
        QTRY_VERIFY_WITH_TIMEOUT(run.done, 20000);
        QVERIFY(!exists(local.filePath(QStringLiteral(".baricadr-staging"))));
    }

    void diskFull_data() { bothWays(); }
    void diskFull()
    {
        const QString unavailable = LoopMount::unavailableReason();
        if (!unavailable.isEmpty())
            QSKIP(qPrintable(unavailable));
        QTemporaryDir work;
        LoopMount mount;
        QVERIFY2(mount.mount(work.path(), QStringLiteral("relatime"), 32), qPrintable(mount.errorString()));
        const QString root = mount.mountPoint() + QStringLiteral("/repo");
        QVERIFY(QDir().mkpath(root));
        const Target target = this->target(root);
        Puller puller{RcloneOptions{}};
        Run run;
        startPull(puller, run, target);
        QTRY_VERIFY_WITH_TIMEOUT(run.done, 120000);
        qInfo() << "disk full:"
                << (run.result.ok() ? QByteArray("ok?!") : run.result.error().message.toUtf8());
        QCOMPARE(run.direct, !target.rel.isEmpty());
        QVERIFY(!run.result.ok());
        QCOMPARE(run.result.error().code, ErrorCode::Io);
        QVERIFY(run.result.error().message.contains(QStringLiteral("disk is full")));
        QVERIFY(!exists(root + u'/' + target.dir + QStringLiteral("big.bin")));
        QVERIFY(!exists(root + QStringLiteral("/.baricadr-staging")));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int status = 0;
    {
        TestPuller t;
        status |= QTest::qExec(&t, argc, argv);
    }
    {
        TestPullerInterrupted t;
        status |= QTest::qExec(&t, argc, argv);
    }
    return status;
}

#include "tst_puller.moc"
