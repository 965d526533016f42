#include "scan/localscanner.h"

#include "testtree.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace baricadr;

namespace {

QByteArray enc(const QString &s)
{
    return QFile::encodeName(s);
}

QHash<QString, LocalEntry> byPath(const std::vector<LocalEntry> &v)
{
    QHash<QString, LocalEntry> h;
    for (const auto &e : v)
        h.insert(e.relPath, e);
    return h;
}

} // namespace

class TestLocalScanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void originalLayout();
    void skipsStagingAtRootOnly();
    void specialFilesReported();
    void symlinkedDirNotFollowed();
    void subtreeAndSingleFile();
    void symlinkedStartComponentRefused();
    void missingStart();
    void unreadableDirReported();
    void invalidUtf8NameReported();
    void batchesAreBounded();
    void offThreadAndCancellable();
    void otherFilesystemNotEntered();
    void breadthFirstTreeLevelByLevel();
    void breadthFirstNeverEntersSwappedDirectory_data();
    void breadthFirstNeverEntersSwappedDirectory();
};

void TestLocalScanner::originalLayout()
{
    QTemporaryDir dir;
    QVERIFY(test::createOriginalLayout(dir.path(), true));
    std::vector<LocalEntry> all;
    const ScanSummary s = LocalScanner::scanAll({dir.path(), {}, false, 4096}, &all);
    QVERIFY(s.errors.empty());
    QVERIFY(s.fatal.isEmpty());
    QCOMPARE(s.files, 11);
    const auto h = byPath(all);
    for (const QString &rel : test::originalLayoutFiles()) {
        QVERIFY2(h.contains(rel), qPrintable(rel));
        const LocalEntry &e = h[rel];
        struct stat st;
        QCOMPARE(::lstat(enc(dir.path() + u'/' + rel).constData(), &st), 0);
        QCOMPARE(e.size, qint64(st.st_size));
        QCOMPARE(e.inode, quint64(st.st_ino));
        QCOMPARE(e.mtimeNs, qint64(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec);
        QCOMPARE(e.atimeNs, qint64(st.st_atim.tv_sec) * 1'000'000'000LL + st.st_atim.tv_nsec);
        QCOMPARE(e.ctimeNs, qint64(st.st_ctim.tv_sec) * 1'000'000'000LL + st.st_ctim.tv_nsec);
        QVERIFY(!e.isSymlink);
        QVERIFY(!e.isSpecial);
    }
    QVERIFY(h[QStringLiteral("subdir/rel_link")].isSymlink);
    QCOMPARE(h[QStringLiteral("subdir/rel_link")].size, qint64(strlen("does/not/exist")));
    QCOMPARE(h[QStringLiteral("subdir/abs_link")].size, qint64(strlen("/does/not/exist")));
}

void TestLocalScanner::skipsStagingAtRootOnly()
{
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.path(), QStringLiteral(".baricadr-staging/partial.bin"), "x"));
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("sub/.baricadr-staging/real.txt"), "y"));
    std::vector<LocalEntry> all;
    LocalScanner::scanAll({dir.path(), {}, false, 10}, &all);
    QCOMPARE(all.size(), size_t(1));
    QCOMPARE(all[0].relPath, QStringLiteral("sub/.baricadr-staging/real.txt"));
}

void TestLocalScanner::specialFilesReported()
{
    QTemporaryDir dir;
    QCOMPARE(::mkfifo(enc(dir.path() + QStringLiteral("/fifo")).constData(), 0600), 0);
    std::vector<LocalEntry> all;
    LocalScanner::scanAll({dir.path(), {}, false, 10}, &all);
    QCOMPARE(all.size(), size_t(1));
    QVERIFY(all[0].isSpecial);
    QVERIFY(!all[0].isSymlink);
}

void TestLocalScanner::symlinkedDirNotFollowed()
{
    QTemporaryDir outside;
    QVERIFY(test::writeFile(outside.path(), QStringLiteral("secret/data.bin"), "outside"));
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("a/in.txt"), "in"));
    QCOMPARE(::symlink(enc(outside.path() + QStringLiteral("/secret")).constData(),
                       enc(dir.path() + QStringLiteral("/a/escape")).constData()),
             0);
    std::vector<LocalEntry> all;
    const ScanSummary s = LocalScanner::scanAll({dir.path(), {}, false, 10}, &all);
    const auto h = byPath(all);
    QCOMPARE(h.size(), 2);
    QVERIFY(h[QStringLiteral("a/escape")].isSymlink);
    QVERIFY(!h.contains(QStringLiteral("a/escape/data.bin")));
    QCOMPARE(s.directories, 2); // root and a
}

void TestLocalScanner::subtreeAndSingleFile()
{
    QTemporaryDir dir;
    QVERIFY(test::createOriginalLayout(dir.path()));
    std::vector<LocalEntry> sub;
    LocalScanner::scanAll({dir.path(), QStringLiteral("subdir/subsubdir2"), false, 10}, &sub);
    QSet<QString> paths;
    for (const auto &e : sub)
        paths.insert(e.relPath);
    QCOMPARE(paths, (QSet<QString>{QStringLiteral("subdir/subsubdir2/poutrelle.xml"),
                                   QStringLiteral("subdir/subsubdir2/subsubfile.txt"),
                                   QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")}));
    std::vector<LocalEntry> one;
    LocalScanner::scanAll({dir.path(), QStringLiteral("/subdir/subfile.txt"), false, 10}, &one);
    QCOMPARE(one.size(), size_t(1));
    QCOMPARE(one[0].relPath, QStringLiteral("subdir/subfile.txt"));
}

void TestLocalScanner::symlinkedStartComponentRefused()
{
    QTemporaryDir outside;
    QVERIFY(test::writeFile(outside.path(), QStringLiteral("x/f.txt"), "outside"));
    QTemporaryDir dir;
    QCOMPARE(
        ::symlink(enc(outside.path()).constData(), enc(dir.path() + QStringLiteral("/link")).constData()), 0);
    std::vector<LocalEntry> all;
    const ScanSummary s = LocalScanner::scanAll({dir.path(), QStringLiteral("link/x"), false, 10}, &all);
    QVERIFY(all.empty());
    QVERIFY2(!s.fatal.isEmpty(), "a symlinked component must be refused, not followed");
}

void TestLocalScanner::missingStart()
{
    QTemporaryDir dir;
    std::vector<LocalEntry> all;
    const ScanSummary s = LocalScanner::scanAll({dir.path(), QStringLiteral("nope/deeper"), false, 10}, &all);
    QVERIFY(s.rootMissing);
    const ScanSummary r =
        LocalScanner::scanAll({dir.path() + QStringLiteral("/absent"), {}, false, 10}, &all);
    QVERIFY(!r.fatal.isEmpty());
    QVERIFY(r.fatal.contains(QStringLiteral("absent")));
}

void TestLocalScanner::unreadableDirReported()
{
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("open/a.txt"), "a"));
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("closed/b.txt"), "b"));
    ::chmod(enc(dir.path()).constData(), 0755);
    ::chmod(enc(dir.path() + QStringLiteral("/closed")).constData(), 0);
    // Root reads any directory: scan as "nobody" in a child process then.
    int pipefd[2];
    QCOMPARE(::pipe(pipefd), 0);
    const pid_t pid = ::fork();
    QVERIFY(pid >= 0);
    if (pid == 0) {
        ::close(pipefd[0]);
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
            ::_exit(2);
        std::vector<LocalEntry> all;
        const ScanSummary s = LocalScanner::scanAll({dir.path(), {}, false, 10}, &all);
        QByteArray out = QByteArray::number(qint64(all.size())) + ' ';
        for (const auto &e : s.errors)
            out += e.relPath.toUtf8() + '|' + e.message.toUtf8() + '\n';
        if (::write(pipefd[1], out.constData(), size_t(out.size())) < 0)
            ::_exit(3);
        ::_exit(0);
    }
    ::close(pipefd[1]);
    QByteArray got;
    char buf[4096];
    for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;)
        got.append(buf, n);
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::chmod(enc(dir.path() + QStringLiteral("/closed")).constData(), 0755);
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    QVERIFY2(got.startsWith("1 "), got.constData()); // open/a.txt only
    QVERIFY2(got.contains("closed|cannot open directory: Permission denied"), got.constData());
}

void TestLocalScanner::invalidUtf8NameReported()
{
    QTemporaryDir dir;
    const QByteArray bad = enc(dir.path()) + "/bad\xff\xfe.txt";
    const int fd = ::open(bad.constData(), O_CREAT | O_WRONLY, 0644);
    QVERIFY(fd >= 0);
    ::close(fd);
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("good.txt"), "g"));
    std::vector<LocalEntry> all;
    const ScanSummary s = LocalScanner::scanAll({dir.path(), {}, false, 10}, &all);
    QCOMPARE(all.size(), size_t(1));
    QCOMPARE(s.errors.size(), size_t(1));
    QVERIFY(s.errors[0].message.contains(QStringLiteral("UTF-8")));
}

void TestLocalScanner::batchesAreBounded()
{
    QTemporaryDir dir;
    for (int i = 0; i < 250; ++i)
        QVERIFY(test::writeFile(dir.path(), QStringLiteral("d%1/f%2").arg(i % 7).arg(i), "x"));
    size_t maxBatch = 0;
    qint64 total = 0;
    int batches = 0;
    const ScanSummary s = LocalScanner::scan({dir.path(), {}, false, 32}, [&](std::vector<LocalEntry> &&b) {
        maxBatch = std::max(maxBatch, b.size());
        total += qint64(b.size());
        ++batches;
    });
    QCOMPARE(total, 250);
    QCOMPARE(s.files, 250);
    QCOMPARE(maxBatch, size_t(32));
    QCOMPARE(batches, 8);
}

void TestLocalScanner::offThreadAndCancellable()
{
    QTemporaryDir dir;
    for (int i = 0; i < 200; ++i)
        QVERIFY(test::writeFile(dir.path(), QStringLiteral("d%1/f").arg(i), "x"));
    // Off-thread: batches arrive in a pool thread, the future carries the summary.
    std::atomic<bool> offThread{true};
    QThread *mainThread = QThread::currentThread();
    QFuture<ScanSummary> f =
        LocalScanner::start({dir.path(), {}, false, 16}, [&](std::vector<LocalEntry> &&) {
            if (QThread::currentThread() == mainThread)
                offThread = false;
        });
    f.waitForFinished();
    QVERIFY(offThread);
    QCOMPARE(f.result().files, 200);
    QCOMPARE(f.result().directories, 201);

    // Cancelled for real: the walk stops at the next directory.
    int dirsSeen = 0;
    const ScanSummary s = LocalScanner::scan(
        {dir.path(), {}, false, 1}, [&](std::vector<LocalEntry> &&) { ++dirsSeen; },
        [&]() { return dirsSeen >= 5; });
    QVERIFY(s.cancelled);
    QVERIFY2(s.directories <= 7, qPrintable(QString::number(s.directories)));
    QVERIFY(s.files < 200);
}

void TestLocalScanner::otherFilesystemNotEntered()
{
    if (::geteuid() != 0)
        QSKIP("mounting a tmpfs needs root");
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("a.txt"), "a"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("mnt")));
    const QString mnt = dir.path() + QStringLiteral("/mnt");
    if (QProcess::execute(QStringLiteral("mount"),
                          {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                           QStringLiteral("size=1m"), QStringLiteral("tmpfs"), mnt}) != 0)
        QSKIP("cannot mount a tmpfs here");
    auto cleanup = qScopeGuard([&] { QProcess::execute(QStringLiteral("umount"), {mnt}); });
    QVERIFY(test::writeFile(mnt, QStringLiteral("other.txt"), "o"));
    std::vector<LocalEntry> all;
    ScanSummary s = LocalScanner::scanAll({dir.path(), {}, false, 10}, &all);
    QCOMPARE(all.size(), size_t(1));
    QCOMPARE(s.otherFilesystems, QStringList{QStringLiteral("mnt")});
    all.clear();
    s = LocalScanner::scanAll({dir.path(), {}, true, 10}, &all);
    QCOMPARE(all.size(), size_t(2));
}

void TestLocalScanner::breadthFirstTreeLevelByLevel()
{
    QTemporaryDir dir;
    QVERIFY(test::createOriginalLayout(dir.path(), true));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("emptydir/inner")));
    QVERIFY(test::writeFile(dir.path(), QStringLiteral(".baricadr-staging/partial.bin"), "x"));
    ScanOptions o;
    o.root = dir.path();
    o.breadthFirst = true;
    o.batchSize = 3;
    std::vector<LocalEntry> files;
    QStringList dirs;
    int batches = 0;
    size_t maxBatch = 0;
    const ScanSummary s = LocalScanner::scanTree(o, [&](std::vector<LocalEntry> &&f, QStringList &&d) {
        ++batches;
        maxBatch = std::max(maxBatch, f.size() + size_t(d.size()));
        files.insert(files.end(), f.begin(), f.end());
        dirs += d;
    });
    QVERIFY(s.errors.empty());
    QVERIFY(maxBatch <= 3);
    QVERIFY(batches > 1);
    // The same files as a depth-first walk, shallower levels first.
    std::vector<LocalEntry> dfs;
    LocalScanner::scanAll({dir.path(), {}, false, 4096}, &dfs);
    QStringList a, b;
    for (const LocalEntry &e : files)
        a << e.relPath;
    for (const LocalEntry &e : dfs)
        b << e.relPath;
    QVERIFY(a != b); // the order differs from depth-first on this layout
    a.sort();
    b.sort();
    QCOMPARE(a, b);
    for (size_t i = 1; i < files.size(); ++i)
        QVERIFY2(files[i - 1].relPath.count(u'/') <= files[i].relPath.count(u'/'),
                 qPrintable(files[i - 1].relPath + u" before " + files[i].relPath));
    // Every directory, empty ones too, level by level; never the staging dir.
    QStringList expectedDirs{QStringLiteral("emptydir"),
                             QStringLiteral("emptydir/inner"),
                             QStringLiteral("subdir"),
                             QStringLiteral("subdir/subsubdir"),
                             QStringLiteral("subdir/subsubdir2"),
                             QStringLiteral("subdir/subsubdir2/subsubsubdir"),
                             QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2")};
    for (qsizetype i = 1; i < dirs.size(); ++i)
        QVERIFY(dirs[i - 1].count(u'/') <= dirs[i].count(u'/'));
    dirs.sort();
    QCOMPARE(dirs, expectedDirs);
    QCOMPARE(s.directories, 8);
}

void TestLocalScanner::breadthFirstNeverEntersSwappedDirectory_data()
{
    QTest::addColumn<bool>("symlink");
    QTest::newRow("symlink to outside") << true;
    QTest::newRow("another directory") << false;
}

// A directory queued by a breadth-first walk is swapped between being seen and being read.
void TestLocalScanner::breadthFirstNeverEntersSwappedDirectory()
{
    QFETCH(bool, symlink);
    QTemporaryDir outside;
    QVERIFY(test::writeFile(outside.path(), QStringLiteral("secret/data.bin"), "outside"));
    QTemporaryDir dir;
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("top.txt"), "t"));
    QVERIFY(test::writeFile(dir.path(), QStringLiteral("a/in.txt"), "in"));
    ScanOptions o;
    o.root = dir.path();
    o.breadthFirst = true;
    QStringList paths;
    bool swapped = false;
    const ScanSummary s = LocalScanner::scanTree(o, [&](std::vector<LocalEntry> &&f, QStringList &&) {
        for (const LocalEntry &e : f)
            paths << e.relPath;
        if (swapped) // the first batch is the top level: "a" is queued, not read yet
            return;
        swapped = true;
        QVERIFY(QDir(dir.path()).rename(QStringLiteral("a"), QStringLiteral("a.old")));
        if (symlink) {
            QCOMPARE(::symlink(enc(outside.path() + QStringLiteral("/secret")).constData(),
                               enc(dir.path() + QStringLiteral("/a")).constData()),
                     0);
        } else {
            QVERIFY(test::writeFile(dir.path(), QStringLiteral("a/new.txt"), "n"));
        }
    });
    QVERIFY(swapped);
    QCOMPARE(paths, QStringList{QStringLiteral("top.txt")});
    QCOMPARE(s.errors.size(), size_t(1));
    QCOMPARE(s.errors[0].relPath, QStringLiteral("a"));
    QVERIFY2(
        s.errors[0].message.contains(symlink ? QStringLiteral("cannot open") : QStringLiteral("replaced")),
        qPrintable(s.errors[0].message));
}

QTEST_GUILESS_MAIN(TestLocalScanner)
#include "tst_localscanner.moc"
