#include "browse/browsetree.h"
#include "browse/filestate.h"
#include "browse/reposcan.h"
#include "freeze/freezeplanner.h"
#include "testtree.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace baricadr;

namespace {
constexpr qint64 kSec = 1'000'000'000LL;
constexpr qint64 kDay = 86400 * kSec;
const qint64 kNow = 1'700'000'000 * kSec;

BrowsePolicy policy()
{
    BrowsePolicy p;
    p.repoRoot = QStringLiteral("/data/repo");
    p.exclude = BrowsePolicy::parseExclude(QStringLiteral("*.xml , *.tsv"));
    p.freezeAgeDays = 180;
    p.nowNs = kNow;
    return p;
}

LocalEntry local(const QString &rel, qint64 size, qint64 mtimeDaysAgo, double atimeDaysAgo)
{
    LocalEntry e;
    e.relPath = rel;
    e.size = size;
    e.mtimeNs = kNow - mtimeDaysAgo * kDay;
    e.atimeNs = kNow - qint64(atimeDaysAgo * double(kDay));
    return e;
}

RemoteEntry remote(const QString &rel, qint64 size, qint64 mtimeNs)
{
    RemoteEntry e;
    e.relPath = rel;
    e.size = size;
    e.mtimeNs = mtimeNs;
    return e;
}
} // namespace

class TestBrowse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wireNames()
    {
        for (FileState s : kAllFileStates)
            QVERIFY(fileStateFromString(toString(s)) == s);
        QCOMPARE(toString(FileState::LocalOnly), QStringLiteral("local_only"));
        QVERIFY(!fileStateFromString(QStringLiteral("lukewarm")));
    }

    void classify_data()
    {
        QTest::addColumn<bool>("hasLocal");
        QTest::addColumn<bool>("hasRemote");
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("localSize");
        QTest::addColumn<qint64>("remoteSize");
        QTest::addColumn<qint64>("remoteMtimeOffsetNs"); // remote mtime minus local mtime
        QTest::addColumn<double>("atimeDaysAgo");
        QTest::addColumn<QString>("expected");

        QTest::newRow("read yesterday") << true << true << "a.txt" << 10LL << 10LL << 0LL << 1.0 << "hot";
        QTest::newRow("unread 200 days, same on remote")
            << true << true << "a.txt" << 10LL << 10LL << 0LL << 200.0 << "cold";
        QTest::newRow("just under freeze_age")
            << true << true << "a.txt" << 10LL << 10LL << 0LL << 179.9 << "hot";
        QTest::newRow("just over freeze_age")
            << true << true << "a.txt" << 10LL << 10LL << 0LL << 180.1 << "cold";
        QTest::newRow("remote copy newer is fine")
            << true << true << "a.txt" << 10LL << 10LL << 5 * kSec << 200.0 << "cold";
        QTest::newRow("sftp second precision")
            << true << true << "a.txt" << 10LL << 10LL << -kSec / 2 << 200.0 << "cold";
        QTest::newRow("local newer than remote")
            << true << true << "a.txt" << 10LL << 10LL << -3 * kSec << 200.0 << "modified";
        QTest::newRow("size differs")
            << true << true << "a.txt" << 10LL << 12LL << 0LL << 200.0 << "modified";
        QTest::newRow("remote size unknown: not verified")
            << true << true << "a.txt" << 10LL << -1LL << 0LL << 200.0 << "modified";
        QTest::newRow("not backed up")
            << true << false << "a.txt" << 10LL << 0LL << 0LL << 200.0 << "local_only";
        QTest::newRow("frozen") << false << true << "a.txt" << 0LL << 10LL << 0LL << 0.0 << "remote_only";
        QTest::newRow("excluded local")
            << true << true << "sub/p.xml" << 10LL << 10LL << 0LL << 200.0 << "excluded";
        QTest::newRow("excluded remote-only")
            << false << true << "p.tsv" << 0LL << 10LL << 0LL << 0.0 << "excluded";
        QTest::newRow("excluded not backed up")
            << true << false << "deep/er/p.tsv" << 10LL << 0LL << 0LL << 1.0 << "excluded";
        QTest::newRow("glob is not a suffix")
            << true << true << "p.xmlx" << 10LL << 10LL << 0LL << 1.0 << "hot";
    }

    void classify()
    {
        QFETCH(bool, hasLocal);
        QFETCH(bool, hasRemote);
        QFETCH(QString, path);
        QFETCH(qint64, localSize);
        QFETCH(qint64, remoteSize);
        QFETCH(qint64, remoteMtimeOffsetNs);
        QFETCH(double, atimeDaysAgo);
        QFETCH(QString, expected);
        const LocalEntry l = local(path, localSize, 300, atimeDaysAgo);
        const RemoteEntry r = remote(path, remoteSize, l.mtimeNs + remoteMtimeOffsetNs);
        const FileState s = baricadr::classify(hasLocal ? &l : nullptr, hasRemote ? &r : nullptr, policy());
        QCOMPARE(toString(s), expected);
    }

    // What the browser calls cold is exactly what a freeze of the repo would take.
    void coldMatchesPlanFreeze()
    {
        const BrowsePolicy bp = policy();
        std::vector<LocalEntry> locals;
        QHash<QString, RemoteEntry> remotes;
        for (int i = 0; i < 400; ++i) {
            const QString rel = QStringLiteral("d%1/f%2%3")
                                    .arg(i % 7)
                                    .arg(i)
                                    .arg(i % 11 == 0 ? QStringLiteral(".xml") : QString());
            LocalEntry l = local(rel, 100 + i % 3, 300, double((i * 37) % 400));
            const int kind = i % 5; // 0 same, 1 bigger remote, 2 older remote, 3 missing, 4 same
            if (kind != 3) {
                RemoteEntry r =
                    remote(rel, l.size + (kind == 1 ? 1 : 0), l.mtimeNs - (kind == 2 ? 5 * kSec : 0));
                remotes.insert(rel, r);
            }
            locals.push_back(l);
        }
        FreezePolicy fp;
        fp.nowNs = kNow;
        fp.freezeAgeDays = bp.freezeAgeDays;
        fp.isExcluded = [&bp](const QString &rel) { return isExcluded(bp, rel); };
        const FreezePlan plan = planFreeze(locals, remotes, fp);
        QSet<QString> planned;
        for (const FreezeCandidate &c : plan.toFreeze)
            planned.insert(c.local.relPath);
        QSet<QString> cold;
        for (const LocalEntry &l : locals) {
            const RemoteEntry *r = remotes.contains(l.relPath) ? &remotes[l.relPath] : nullptr;
            if (baricadr::classify(&l, r, bp) == FileState::Cold)
                cold.insert(l.relPath);
        }
        QVERIFY(!planned.isEmpty());
        QCOMPARE(cold, planned);
    }

    void rcloneTimes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("utc") << "2023-11-14T22:13:20Z" << 1'700'000'000 * kSec;
        QTest::newRow("nanoseconds") << "2023-11-14T22:13:20.123456789Z" << 1'700'000'000 * kSec + 123456789;
        QTest::newRow("millis") << "2023-11-14T22:13:20.5Z" << 1'700'000'000 * kSec + 500'000'000;
        QTest::newRow("offset") << "2023-11-14T23:13:20+01:00" << 1'700'000'000 * kSec;
        QTest::newRow("negative offset") << "2023-11-14T20:13:20.000000001-02:00" << 1'700'000'000 * kSec + 1;
        QTest::newRow("garbage") << "yesterday" << 0LL;
        QTest::newRow("no zone") << "2023-11-14T22:13:20" << 0LL;
    }
    void rcloneTimes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        QCOMPARE(parseRcloneTimeNs(text), ns);
    }

    void lsjsonEntry()
    {
        const QJsonObject o = QJsonDocument::fromJson(
                                  R"({"Path":"sub/link.rclonelink","Name":"link.rclonelink","Size":14,)"
                                  R"("ModTime":"2023-11-14T22:13:20Z","IsDir":false,"Hashes":{"md5":"abc"}})")
                                  .object();
        const RemoteEntry e = remoteEntryFromJson(o);
        QCOMPARE(e.relPath, QStringLiteral("sub/link"));
        QVERIFY(e.isSymlink);
        QCOMPARE(e.size, 14);
        QCOMPARE(e.mtimeNs, 1'700'000'000 * kSec);
        QCOMPARE(e.hash, QStringLiteral("abc"));
    }

    void treeMergesAndAggregates()
    {
        BrowseTree tree(policy());
        // Local side first, in two batches; remote later: nothing is classified before that.
        tree.addLocal(local(QStringLiteral("hot.txt"), 100, 300, 1));
        tree.addLocal(local(QStringLiteral("d/cold.txt"), 1000, 300, 400));
        tree.addLocal(local(QStringLiteral("d/e/new.txt"), 7, 1, 1));
        tree.addLocal(local(QStringLiteral("d/p.xml"), 5, 300, 400));
        tree.addLocalDir(QStringLiteral("empty"));
        // Nothing is decided while the remote is unknown (excluded files included).
        QCOMPARE(tree.root()->dir->files[kPendingState], 4);
        QCOMPARE(tree.root()->dir->bytes[kPendingState], 1112);

        const BrowseNode *cold = tree.find(QStringLiteral("d/cold.txt"));
        QVERIFY(cold);
        tree.addRemote(remote(QStringLiteral("d/cold.txt"), 1000, cold->localMtimeNs));
        QCOMPARE(toString(cold->fileState()),
                 toString(FileState::Cold)); // both sides known: classified at once
        tree.addRemote(remote(QStringLiteral("hot.txt"), 100, kNow));
        tree.addRemote(remote(QStringLiteral("frozen/big.bin"), 5000, kNow - 400 * kDay));
        RemoteEntry dir;
        dir.relPath = QStringLiteral("frozen/emptyremote");
        dir.isDir = true;
        tree.addRemote(dir);
        tree.finishLocal();
        while (!tree.settle(1)) {
        }
        QCOMPARE(toString(tree.find(QStringLiteral("frozen/big.bin"))->fileState()),
                 toString(FileState::RemoteOnly));
        QVERIFY(!tree.find(QStringLiteral("d/e/new.txt"))->isClassified()); // remote still listing
        QVERIFY(!tree.complete());
        tree.finishRemote();
        while (!tree.settle(2)) {
        }
        QVERIFY(tree.complete());
        QCOMPARE(toString(tree.find(QStringLiteral("d/e/new.txt"))->fileState()),
                 toString(FileState::LocalOnly));
        QCOMPARE(toString(tree.find(QStringLiteral("d/p.xml"))->fileState()), toString(FileState::Excluded));
        QCOMPARE(toString(tree.find(QStringLiteral("hot.txt"))->fileState()), toString(FileState::Hot));

        const BrowseDir &r = *tree.root()->dir;
        QCOMPARE(r.files[kPendingState], 0);
        QCOMPARE(r.bytes[int(FileState::Hot)], 100);
        QCOMPARE(r.bytes[int(FileState::Cold)], 1000);
        QCOMPARE(r.bytes[int(FileState::LocalOnly)], 7);
        QCOMPARE(r.bytes[int(FileState::RemoteOnly)], 5000);
        QCOMPARE(r.bytes[int(FileState::Excluded)], 5);
        QCOMPARE(r.totalFiles(), 5);
        const BrowseDir &d = *tree.find(QStringLiteral("d"))->dir;
        QCOMPARE(d.totalBytes(), 1012);
        QVERIFY(tree.find(QStringLiteral("frozen"))->hasRemote());
        QVERIFY(tree.find(QStringLiteral("d"))->hasRemote());
        QVERIFY(!tree.find(QStringLiteral("d/e"))->hasRemote());
        QVERIFY(tree.find(QStringLiteral("frozen/emptyremote"))->isDir());
        QVERIFY(tree.find(QStringLiteral("empty"))->isDir());
        QCOMPARE(tree.relPath(tree.find(QStringLiteral("d/e/new.txt"))), QStringLiteral("d/e/new.txt"));
        QCOMPARE(tree.fileCount(), 5);
        QCOMPARE(tree.dirCount(), 5); // d, d/e, empty, frozen, frozen/emptyremote

        tree.setPins({QStringLiteral("d")});
        QVERIFY(tree.isPinned(tree.find(QStringLiteral("d/e/new.txt"))));
        QVERIFY(!tree.isPinned(tree.find(QStringLiteral("hot.txt"))));
    }

    void bigDirectoryUsesIndex()
    {
        BrowseTree tree(policy());
        for (int i = 0; i < 500; ++i)
            tree.addLocal(local(QStringLiteral("big/f%1").arg(i), i, 1, 1));
        for (int i = 0; i < 500; ++i)
            tree.addRemote(remote(QStringLiteral("big/f%1").arg(i), i, kNow));
        QCOMPARE(tree.find(QStringLiteral("big"))->childCount(), 500);
        QCOMPARE(tree.root()->dir->files[int(FileState::Hot)], 500);
        QCOMPARE(tree.find(QStringLiteral("big/f321"))->row, 321);
    }

    void grownDirsOnlyWhenExposed()
    {
        BrowseTree tree(policy());
        tree.addLocal(local(QStringLiteral("a/x"), 1, 1, 1));
        QVERIFY(tree.takeGrownDirs().empty());
        tree.root()->dir->exposed = tree.root()->childCount();
        tree.addLocal(local(QStringLiteral("b"), 1, 1, 1));
        tree.addLocal(local(QStringLiteral("c"), 1, 1, 1));
        tree.addLocal(local(QStringLiteral("a/y"), 1, 1, 1)); // a is not exposed
        const auto grown = tree.takeGrownDirs();
        QCOMPARE(grown.size(), size_t(1));
        QCOMPARE(grown.front(), tree.root());
    }

    // The local side of a RepoScan (LocalScanner, breadth-first, directories reported).
    void localScanStreamsOriginalLayout()
    {
        QTemporaryDir dir;
        QVERIFY(test::createOriginalLayout(dir.path(), true));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("emptydir")));
        QVERIFY(test::setAtimeDaysAgo(dir.filePath(QStringLiteral("file.txt")), 400));
        QCOMPARE(::mkfifo(QFile::encodeName(dir.filePath(QStringLiteral("subdir/fifo"))).constData(), 0600),
                 0);
        RepoScan scan(dir.path(), RepoScan::RemoteStreamFn([](RepoScan *s) { s->finishRemote(Status()); }));
        scan.localBatchSize = 3;
        QList<LocalEntry> files;
        QStringList dirs;
        int batches = 0;
        connect(&scan, &RepoScan::localBatch, this, [&](const LocalBatch &b) {
            ++batches;
            files += b.files;
            dirs += b.dirs;
        });
        QSignalSpy done(&scan, &RepoScan::localFinished);
        scan.start();
        QVERIFY(done.wait(10000));
        QVERIFY(done.at(0).at(0).value<Status>().ok());
        QCOMPARE(done.at(0).at(1).toInt(), 0);
        QVERIFY(batches > 1);
        QStringList paths;
        for (const LocalEntry &e : files)
            paths << e.relPath;
        paths.sort();
        QStringList expected = test::originalLayoutFiles();
        expected << QStringLiteral("subdir/abs_link") << QStringLiteral("subdir/rel_link");
        expected.sort();
        QCOMPARE(paths, expected); // the fifo is not shown
        QVERIFY(dirs.contains(QStringLiteral("emptydir")));
        QVERIFY(dirs.contains(QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2")));
        // Breadth-first: the first level comes first, deeper levels never before shallower ones.
        QCOMPARE(files.first().relPath.contains(u'/'), false);
        for (qsizetype i = 1; i < files.size(); ++i)
            QVERIFY2(files[i - 1].relPath.count(u'/') <= files[i].relPath.count(u'/'),
                     qPrintable(files[i - 1].relPath + u" before " + files[i].relPath));
        for (const LocalEntry &e : files) {
            if (e.relPath == QStringLiteral("file.txt"))
                QVERIFY(e.atimeNs < QDateTime::currentMSecsSinceEpoch() * 1'000'000LL - 399 * kDay);
            if (e.relPath == QStringLiteral("subdir/rel_link"))
                QVERIFY(e.isSymlink);
        }
    }

    // A root reached through a symlink is scanned (a symlink below it is still not followed).
    void localScanThroughSymlinkedRoot()
    {
        QTemporaryDir dir;
        QVERIFY(test::writeFile(dir.path(), QStringLiteral("real/a/f.txt"), "x"));
        QCOMPARE(::symlink("real", QFile::encodeName(dir.filePath(QStringLiteral("alias"))).constData()), 0);
        QCOMPARE(::symlink("..", QFile::encodeName(dir.filePath(QStringLiteral("real/up"))).constData()), 0);
        RepoScan scan(dir.filePath(QStringLiteral("alias")),
                      RepoScan::RemoteStreamFn([](RepoScan *s) { s->finishRemote(Status()); }));
        QStringList paths;
        connect(&scan, &RepoScan::localBatch, this, [&](const LocalBatch &b) {
            for (const LocalEntry &e : b.files)
                paths << e.relPath;
        });
        QSignalSpy done(&scan, &RepoScan::localFinished);
        scan.start();
        QVERIFY(done.wait(10000));
        QVERIFY2(done.at(0).at(0).value<Status>().ok(),
                 qPrintable(done.at(0).at(0).value<Status>().error().message));
        paths.sort();
        QCOMPARE(paths, (QStringList{QStringLiteral("a/f.txt"), QStringLiteral("up")}));
    }

    void localScanReportsMissingRoot()
    {
        RepoScan scan(QStringLiteral("/nonexistent/baricadr/test"),
                      RepoScan::RemoteStreamFn([](RepoScan *s) { s->finishRemote(Status()); }));
        QSignalSpy done(&scan, &RepoScan::localFinished);
        scan.start();
        QVERIFY(done.wait(10000));
        const Status st = done.at(0).at(0).value<Status>();
        QVERIFY(!st.ok());
        QVERIFY(st.error().message.contains(QStringLiteral("/nonexistent/baricadr/test")));
    }

    // An unreadable directory is counted and the walk goes on.
    void localScanCountsUnreadableDirectories()
    {
        if (::geteuid() == 0)
            QSKIP("root reads every directory");
        QTemporaryDir dir;
        QVERIFY(test::writeFile(dir.path(), QStringLiteral("locked/secret"), "x"));
        QVERIFY(test::writeFile(dir.path(), QStringLiteral("open/f"), "x"));
        QVERIFY(QFile::setPermissions(dir.filePath(QStringLiteral("locked")), QFileDevice::Permissions()));
        RepoScan scan(dir.path(), RepoScan::RemoteStreamFn([](RepoScan *s) { s->finishRemote(Status()); }));
        QStringList paths;
        connect(&scan, &RepoScan::localBatch, this, [&](const LocalBatch &b) {
            for (const LocalEntry &e : b.files)
                paths << e.relPath;
        });
        QSignalSpy done(&scan, &RepoScan::localFinished);
        scan.start();
        QVERIFY(done.wait(10000));
        QFile::setPermissions(dir.filePath(QStringLiteral("locked")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(done.at(0).at(0).value<Status>().ok());
        QCOMPARE(done.at(0).at(1).toInt(), 1);
        QCOMPARE(paths, QStringList{QStringLiteral("open/f")});
    }

    void scanDeletedMidWalkStops()
    {
        QTemporaryDir dir;
        for (int i = 0; i < 50; ++i)
            QVERIFY(test::writeFile(dir.path(), QStringLiteral("d%1/f").arg(i), "x"));
        auto *scan = new RepoScan(dir.path(),
                                  RepoScan::RemoteStreamFn([](RepoScan *s) { s->finishRemote(Status()); }));
        scan->start();
        delete scan; // must join, not crash, not leak the thread
        QTest::qWait(50);
    }
};

QTEST_GUILESS_MAIN(TestBrowse)
#include "tst_browse.moc"
