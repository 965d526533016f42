#include "freeze/freezejob.h"

#include "sftpserver.h"
#include "testtree.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>
#include <unistd.h>

using namespace baricadr;

#define QCOMPARE_REASON(actual, expected) QCOMPARE(toString(actual), toString(expected))

namespace {

bool exists(const QString &p)
{
    struct stat st;
    return ::lstat(QFile::encodeName(p).constData(), &st) == 0;
}

qint64 atimeNs(const QString &p)
{
    struct stat st;
    if (::lstat(QFile::encodeName(p).constData(), &st) != 0)
        return -1;
    return qint64(st.st_atim.tv_sec) * kNsPerSecond + st.st_atim.tv_nsec;
}

// Every entry below `root` with its type, size and mtime (sorted).
QStringList snapshot(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        struct stat st;
        if (::lstat(QFile::encodeName(p).constData(), &st) != 0)
            continue;
        out << QStringLiteral("%1 %2 %3 %4.%5")
                   .arg(p.mid(root.size()))
                   .arg(st.st_mode, 0, 8)
                   .arg(qint64(st.st_size))
                   .arg(qint64(st.st_mtim.tv_sec))
                   .arg(qint64(st.st_mtim.tv_nsec));
    }
    out.sort();
    return out;
}

double nowS()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

template<typename T> QString errorText(const Result<T> &r)
{
    return r.ok() ? QString() : r.error().message;
}

struct Run
{
    std::optional<Result<FreezeOutcome>> result;
    std::vector<JournalEntry> journal;
    QHash<QString, KeepReason> kept;
    QHash<QString, QString> keptDetail;
    QStringList log;
};

} // namespace

class TestFreezeJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase_data();
    void init();
    void cleanup();
    void remoteRulesEndToEnd();
    void dryRunDeletesNothing();
    void remoteKilledMidFreeze();
    void remoteUnreachableFreezesNothing();
    void notFreezableRefused();
    void remoteChangedAfterPlanningKept();
    void checksumEndToEnd();
    void cancelStopsBetweenFiles();
    void journalFailureFailsTheJob();
    void remoteNameIsADirectoryKept();
    void shellMetacharactersInNames();
    void pathLeavingTheRepoRefused();
    void typeMismatchKept();
    void chunkedPlanningSamePlanInEveryMode();
    void chunkedFreezeVerifiesEveryChunk();
    void cancelDuringChunkedPlanning();
    void planListCapKeepsTotals();
    void localBackendRepeatedFreezes();

private:
    // More cold files, backed up: dNN/fNN.dat in `dirs` directories, the same on the remote.
    QStringList addBackedUpFiles(int dirs, int perDir);
    FreezeJobRequest request(bool dryRun = false);
    void runJob(FreezeJob &job, Run &run,
                const std::function<void(FreezeJob &, const JournalEntry &)> &onFrozen = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<test::SftpServer> m_server;
    QString m_local;
    QString m_remote; // the remote's copy on disk (served by the SFTP server)
    RepoConfig m_repo;
};

// Every test three times: candidates looked up one by one (`lsjson -R --no-traverse
// --files-from-raw`), through listings of the directories holding them (`--files-from-raw`
// alone), and through one streaming listing of the subtree.
void TestFreezeJob::initTestCase_data()
{
    QTest::addColumn<QString>("lookup");
    QTest::newRow("per-file") << QStringLiteral("per-file");
    QTest::newRow("directories") << QStringLiteral("directories");
    QTest::newRow("listing") << QStringLiteral("listing");
}

void TestFreezeJob::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_local = m_dir->path() + QStringLiteral("/local");
    const QString served = m_dir->path() + QStringLiteral("/served");
    m_remote = served + QStringLiteral("/backup");
    QVERIFY(test::createOriginalLayout(m_local, true));
    QVERIFY(QDir().mkpath(served));
    // The backup: an exact copy (content, mtimes, symlinks) as `rclone sync --links` leaves it.
    QCOMPARE(QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), m_local, m_remote}), 0);
    QVERIFY(test::ageTree(m_local, 400));
    QVERIFY(test::setAtimeDaysAgo(m_local + QStringLiteral("/subdir/rel_link"), 400));
    QVERIFY(test::setAtimeDaysAgo(m_local + QStringLiteral("/subdir/abs_link"), 400));
    m_server = std::make_unique<test::SftpServer>(served);
    QVERIFY(m_server->start());
    m_repo = m_server->repoFor(m_local, QStringLiteral("backup"));
    m_repo.freezable = true;
    m_repo.freezeAge = 180;
}

void TestFreezeJob::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

FreezeJobRequest TestFreezeJob::request(bool dryRun)
{
    FreezeJobRequest r;
    r.repo = m_repo;
    r.taskId = QStringLiteral("t-1");
    r.dryRun = dryRun;
    r.listRecentlyAccessed = true;
    QFETCH_GLOBAL(QString, lookup);
    r.listingMinCandidates = lookup == u"listing" ? 1 : 1'000'000;
    r.listingMinFraction = 0;
    r.lookup =
        lookup == u"directories" ? RemoteLister::Lookup::ListDirectories : RemoteLister::Lookup::PerFile;
    return r;
}

void TestFreezeJob::runJob(FreezeJob &job, Run &run,
                           const std::function<void(FreezeJob &, const JournalEntry &)> &onFrozen)
{
    connect(&job, &FreezeJob::finished, this, [&run](const Result<FreezeOutcome> &r) { run.result = r; });
    connect(&job, &FreezeJob::fileFrozen, this, [&](const JournalEntry &j) {
        if (onFrozen)
            onFrozen(job, j);
    });
    connect(&job, &FreezeJob::fileKept, this,
            [&run](const QString &rel, KeepReason reason, const QString &detail) {
                run.kept.insert(rel, reason);
                run.keptDetail.insert(rel, detail);
            });
    connect(&job, &FreezeJob::logMessage, this,
            [&run](const QString &level, const QString &m) { run.log.append(level + u": " + m); });
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(run.result.has_value(), 90000);
}

void TestFreezeJob::remoteRulesEndToEnd()
{
    // The remote lacks one file, holds another with a different size, a third with an older
    // mtime (the local copy was modified after the backup); one file was read recently, the
    // xml files are excluded, one directory is pinned.
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/subdir/subfile.txt")));
    QVERIFY(test::writeFile(m_remote, QStringLiteral("file2.txt"), "a different, longer content\n"));
    const QString modified = m_local + QStringLiteral("/subdir/subsubdir/subsubfile.txt");
    QVERIFY(test::setTimes(m_remote + QStringLiteral("/subdir/subsubdir/subsubfile.txt"),
                           nowS() - 400 * 86400.0, nowS() - 30 * 86400.0));
    QVERIFY(test::setTimes(modified, nowS() - 400 * 86400.0, nowS() - 10 * 86400.0));
    QVERIFY(test::setAtimeDaysAgo(m_local + QStringLiteral("/file.txt"), 2));
    m_repo.exclude = {QStringLiteral("*.xml")};
    const QStringList remoteBefore = snapshot(m_remote);

    Run run;
    FreezeJobRequest req = request();
    req.repo = m_repo;
    req.pins = {m_local + QStringLiteral("/subdir/subsubdir2/subsubsubdir"), // as the store keeps them
                QStringLiteral("/elsewhere/not/in/this/repo")};
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    req.chunkSize = 3; // several chunks, each checked again on the remote right before
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result) + u'\n' + run.log.join(u'\n')));

    const QSet<QString> expectedFrozen{QStringLiteral("subdir/subsubdir/poutrelle.tsv"),
                                       QStringLiteral("subdir/subsubdir2/subsubfile.txt"),
                                       QStringLiteral("subdir/rel_link"), QStringLiteral("subdir/abs_link")};
    QSet<QString> frozen;
    for (const auto &j : run.journal) {
        frozen.insert(j.relPath);
        QCOMPARE(j.taskId, QStringLiteral("t-1"));
        QVERIFY(j.remoteLocation.startsWith(QStringLiteral("sftp://")));
        QVERIFY(!j.remoteLocation.contains(m_server->password()));
    }
    QCOMPARE(frozen, expectedFrozen);
    for (const QString &rel : expectedFrozen)
        QVERIFY2(!exists(m_local + u'/' + rel), qPrintable(rel));
    QCOMPARE((*run.result)->files, 4);

    QCOMPARE_REASON(run.kept.value(QStringLiteral("subdir/subfile.txt")), KeepReason::NotOnRemote);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("file2.txt")), KeepReason::SizeMismatch);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("subdir/subsubdir/subsubfile.txt")),
                    KeepReason::ModifiedLocally);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("file.txt")), KeepReason::RecentlyAccessed);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("subdir/subsubdir/poutrelle.xml")), KeepReason::Excluded);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("subdir/subsubdir2/poutrelle.xml")), KeepReason::Excluded);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")),
                    KeepReason::Pinned);
    for (const QString &rel : run.kept.keys())
        QVERIFY2(exists(m_local + u'/' + rel), qPrintable(rel));
    QCOMPARE((*run.result)->keptFiles, 7);
    // Emptied directories stay.
    QVERIFY(QFileInfo(m_local + QStringLiteral("/subdir/subsubdir2")).isDir());
    // The remote is only ever read: every entry as it was, times included.
    QCOMPARE(snapshot(m_remote), remoteBefore);
}

void TestFreezeJob::dryRunDeletesNothing()
{
    Run run;
    FreezeJob job(request(true));
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result)));
    const FreezeOutcome &o = run.result->value();
    QVERIFY(o.dryRun);
    QCOMPARE(o.files, 11);
    QCOMPARE(o.plan.toFreeze.size(), size_t(11));
    QCOMPARE(o.plan.histogram.size(), size_t(7));
    QCOMPARE(o.plan.histogram[5].freezableBytes, o.bytes); // everything was read 400 days ago
    for (const QString &rel : test::originalLayoutFiles())
        QVERIFY2(exists(m_local + u'/' + rel), qPrintable(rel));
    QVERIFY(exists(m_local + QStringLiteral("/subdir/rel_link")));
    // Nothing was read or touched either: every atime and ctime as planned.
    for (const FreezeCandidate &c : o.plan.toFreeze) {
        struct stat st;
        QCOMPARE(::lstat(QFile::encodeName(m_local + u'/' + c.local.relPath).constData(), &st), 0);
        QCOMPARE(qint64(st.st_atim.tv_sec) * kNsPerSecond + st.st_atim.tv_nsec, c.local.atimeNs);
        QCOMPARE(qint64(st.st_ctim.tv_sec) * kNsPerSecond + st.st_ctim.tv_nsec, c.local.ctimeNs);
    }
}

void TestFreezeJob::remoteKilledMidFreeze()
{
    Run run;
    FreezeJobRequest req = request();
    req.chunkSize = 2;
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    bool killed = false;
    runJob(job, run, [&](FreezeJob &, const JournalEntry &) {
        if (!killed) {
            killed = true;
            m_server->kill(); // the remote goes away after the first file
        }
    });
    QVERIFY(killed);
    QVERIFY(!run.result->ok());
    const QString msg = run.result->error().message;
    QVERIFY2(msg.contains(QStringLiteral("Nothing more was frozen")), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("127.0.0.1")), qPrintable(msg)); // says which remote
    // The first chunk (2 files) was checked before the kill; nothing after it was touched.
    QVERIFY(run.journal.size() <= 2);
    QCOMPARE(job.outcome().files, qint64(run.journal.size()));
    int present = 0;
    for (const QString &rel : test::originalLayoutFiles())
        present += exists(m_local + u'/' + rel) ? 1 : 0;
    present += exists(m_local + QStringLiteral("/subdir/rel_link")) +
               exists(m_local + QStringLiteral("/subdir/abs_link"));
    QCOMPARE(present, 11 - int(run.journal.size()));
}

void TestFreezeJob::remoteUnreachableFreezesNothing()
{
    m_server->kill();
    Run run;
    FreezeJobRequest req = request();
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY(!run.result->ok());
    QVERIFY2(run.result->error().message.contains(QStringLiteral("Nothing was frozen")),
             qPrintable(run.result->error().message));
    // rclone's error in plain words, classified.
    QCOMPARE(run.result->error().code, ErrorCode::RemoteUnreachable);
    QVERIFY2(run.result->error().message.contains(QStringLiteral("cannot be reached")),
             qPrintable(run.result->error().message));
    QVERIFY(run.journal.empty());
    for (const QString &rel : test::originalLayoutFiles())
        QVERIFY(exists(m_local + u'/' + rel));
}

void TestFreezeJob::notFreezableRefused()
{
    Run run;
    FreezeJobRequest req = request(true);
    req.repo.freezable = false;
    req.force = true; // force never overrides freezable
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY(!run.result->ok());
    QCOMPARE(run.result->error().code, ErrorCode::NotFreezable);
}

void TestFreezeJob::remoteChangedAfterPlanningKept()
{
    // Between planning and the chunk's execution the remote copy changes: the fresh check
    // right before deleting catches it.
    Run run;
    FreezeJobRequest req = request();
    req.chunkSize = 1;
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    req.relPath = QStringLiteral("subdir/subsubdir2");
    FreezeJob job(req);
    bool changed = false;
    runJob(job, run, [&](FreezeJob &, const JournalEntry &) {
        if (!changed) {
            changed = true;
            // Whatever comes next in this subtree: make every remaining remote copy differ.
            for (const QString &rel : test::originalLayoutFiles()) {
                if (rel.startsWith(QStringLiteral("subdir/subsubdir2/")) && exists(m_local + u'/' + rel))
                    QVERIFY(test::writeFile(m_remote, rel, "changed on the remote, longer than before\n"));
            }
            // The test server caches listings for 1 s (--dir-cache-time 1s): let that expire, or
            // the next check would read the cached (old) metadata. Blocking on purpose: the job
            // is inside its own slot here and must not be re-entered.
            QThread::msleep(1200);
        }
    });
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result)));
    QCOMPARE(run.journal.size(), size_t(1));
    QCOMPARE((*run.result)->keptByReason.at(KeepReason::SizeMismatch), 2);
    for (auto it = run.kept.constBegin(); it != run.kept.constEnd(); ++it) {
        QVERIFY2(run.keptDetail.value(it.key()).contains(QStringLiteral("right before freezing")),
                 qPrintable(run.keptDetail.value(it.key())));
        QVERIFY(exists(m_local + u'/' + it.key()));
    }
}

void TestFreezeJob::checksumEndToEnd()
{
    // verify: checksum — hashes from the remote (md5 over SFTP) must match the local content,
    // read without touching atime.
    QVERIFY(test::writeFile(m_remote, QStringLiteral("file2.txt"), "CONTENT OF FILE2.TXT\n")); // same size
    QVERIFY(test::setTimes(m_remote + QStringLiteral("/file2.txt"), nowS(), nowS()));
    m_repo.verify = VerifyMode::Checksum;
    Run run;
    FreezeJobRequest req = request();
    req.repo = m_repo;
    req.relPath = QStringLiteral("/"); // whole repo, written oddly
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    const qint64 atimeBefore = atimeNs(m_local + QStringLiteral("/file2.txt"));
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result) + u'\n' + run.log.join(u'\n')));
    QCOMPARE_REASON(run.kept.value(QStringLiteral("file2.txt")), KeepReason::HashMismatch);
    QVERIFY(exists(m_local + QStringLiteral("/file2.txt")));
    QCOMPARE(atimeNs(m_local + QStringLiteral("/file2.txt")), atimeBefore); // verification left it cold
    bool sawFileTxt = false;
    for (const auto &j : run.journal) {
        if (j.relPath == u"file.txt") {
            sawFileTxt = true;
            const QByteArray md5 =
                QCryptographicHash::hash("content of file.txt\n", QCryptographicHash::Md5).toHex();
            QCOMPARE(j.hash, QStringLiteral("md5:") + QString::fromLatin1(md5));
        }
    }
    QVERIFY(sawFileTxt);
    QCOMPARE((*run.result)->files, 10);
}

void TestFreezeJob::cancelStopsBetweenFiles()
{
    Run run;
    FreezeJobRequest req = request();
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    runJob(job, run, [](FreezeJob &j, const JournalEntry &) { j.cancel(); });
    QVERIFY(!run.result->ok());
    QCOMPARE(run.result->error().code, ErrorCode::Cancelled);
    QCOMPARE(run.journal.size(), size_t(1));
    QCOMPARE(job.outcome().files, 1);
    int present = 0;
    for (const QString &rel : test::originalLayoutFiles())
        present += exists(m_local + u'/' + rel) ? 1 : 0;
    QVERIFY(present >= 8);
}

void TestFreezeJob::journalFailureFailsTheJob()
{
    Run run;
    FreezeJobRequest req = request();
    req.record = [](const JournalEntry &) -> Status {
        return Error(ErrorCode::Database, QStringLiteral("database is locked"));
    };
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY(!run.result->ok());
    QCOMPARE(run.result->error().code, ErrorCode::Database);
    QVERIFY2(run.result->error().message.contains(QStringLiteral("database is locked")),
             qPrintable(run.result->error().message));
    int present = 0;
    for (const QString &rel : test::originalLayoutFiles())
        present += exists(m_local + u'/' + rel) ? 1 : 0;
    present += exists(m_local + QStringLiteral("/subdir/rel_link")) +
               exists(m_local + QStringLiteral("/subdir/abs_link"));
    // Recorded before removed: the file whose record failed is kept (and named in the error).
    QCOMPARE(present, 11);
}

// The remote holds a directory where the repo has a file: a per-file lookup of that name makes
// rclone fail the whole run ("is a directory not a file"); the freeze asks again by listing,
// keeps that file and freezes the others.
void TestFreezeJob::remoteNameIsADirectoryKept()
{
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/file2.txt")));
    QVERIFY(test::writeFile(m_remote, QStringLiteral("file2.txt/inner.txt"), "x"));
    Run run;
    FreezeJobRequest req = request();
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result) + u'\n' + run.log.join(u'\n')));
    QCOMPARE_REASON(run.kept.value(QStringLiteral("file2.txt")), KeepReason::NotOnRemote);
    QVERIFY(exists(m_local + QStringLiteral("/file2.txt")));
    QCOMPARE((*run.result)->files, 10);
    QVERIFY(!exists(m_local + QStringLiteral("/file.txt")));
}

// A local symlink is never frozen on the strength of a remote regular file of the same size,
// nor a regular file on the strength of a remote symlink.
void TestFreezeJob::typeMismatchKept()
{
    const QString relLink = QStringLiteral("subdir/rel_link");
    QVERIFY(QFile::remove(m_remote + u'/' + relLink));
    QVERIFY(test::writeFile(m_remote, relLink, "does/not/exist")); // the link target's length
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/file.txt")));
    const QByteArray target(qsizetype(QFileInfo(m_local + QStringLiteral("/file.txt")).size()), 'x');
    QCOMPARE(
        ::symlink(target.constData(), QFile::encodeName(m_remote + QStringLiteral("/file.txt")).constData()),
        0);
    Run run;
    FreezeJobRequest req = request();
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result) + u'\n' + run.log.join(u'\n')));
    QCOMPARE_REASON(run.kept.value(relLink), KeepReason::NotOnRemote);
    QCOMPARE_REASON(run.kept.value(QStringLiteral("file.txt")), KeepReason::NotOnRemote);
    QVERIFY(exists(m_local + u'/' + relLink));
    QVERIFY(exists(m_local + QStringLiteral("/file.txt")));
    QCOMPARE((*run.result)->files, 9);
}

// rclone is started with an argument list, never through a shell: a name full of shell syntax
// is asked for, found and frozen like any other, and nothing it "says" runs.
void TestFreezeJob::shellMetacharactersInNames()
{
    const QString name = QStringLiteral("subdir/a'b $(touch x) \"c\" `touch y`; *.txt");
    QVERIFY(test::writeFile(m_local, name, "shell\n"));
    QVERIFY(test::writeFile(m_remote, name, "shell\n"));
    const double mtime = nowS() - 500 * 86400.0;
    QVERIFY(test::setTimes(m_local + u'/' + name, nowS() - 400 * 86400.0, mtime));
    QVERIFY(test::setTimes(m_remote + u'/' + name, nowS() - 400 * 86400.0, mtime));
    Run run;
    FreezeJobRequest req = request();
    req.relPath = QStringLiteral("subdir");
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result) + u'\n' + run.log.join(u'\n')));
    QVERIFY(!exists(m_local + u'/' + name));
    bool recorded = false;
    for (const JournalEntry &j : run.journal)
        recorded = recorded || j.relPath == name;
    QVERIFY(recorded);
    for (const QString &dir :
         QStringList{QDir::currentPath(), m_local, m_local + QStringLiteral("/subdir"), m_remote}) {
        QVERIFY2(!exists(dir + QStringLiteral("/x")), qPrintable(dir));
        QVERIFY2(!exists(dir + QStringLiteral("/y")), qPrintable(dir));
    }
    // Only the subtree asked for: the files above it are all still there.
    QVERIFY(exists(m_local + QStringLiteral("/file.txt")));
    QVERIFY(exists(m_local + QStringLiteral("/file2.txt")));
}

void TestFreezeJob::pathLeavingTheRepoRefused()
{
    for (const QString &rel :
         {QStringLiteral(".."), QStringLiteral("subdir/../../local"), QStringLiteral("./subdir")}) {
        Run run;
        FreezeJobRequest req = request(true);
        req.relPath = rel;
        FreezeJob job(req);
        runJob(job, run);
        QVERIFY2(!run.result->ok(), qPrintable(rel));
        QCOMPARE(run.result->error().code, ErrorCode::InvalidInput);
        QVERIFY2(run.result->error().message.contains(rel), qPrintable(run.result->error().message));
    }
    for (const QString &rel : test::originalLayoutFiles())
        QVERIFY2(exists(m_local + u'/' + rel), qPrintable(rel));
}

QStringList TestFreezeJob::addBackedUpFiles(int dirs, int perDir)
{
    QStringList out;
    const double mtime = nowS() - 500 * 86400.0;
    for (int d = 0; d < dirs; ++d) {
        for (int f = 0; f < perDir; ++f) {
            const QString rel = QStringLiteral("many/d%1/f%2.dat")
                                    .arg(d, 2, 10, QLatin1Char('0'))
                                    .arg(f, 2, 10, QLatin1Char('0'));
            const QByteArray content = rel.toUtf8().repeated(1 + f);
            if (!test::writeFile(m_local, rel, content) || !test::writeFile(m_remote, rel, content) ||
                !test::setTimes(m_local + u'/' + rel, nowS() - 400 * 86400.0, mtime) ||
                !test::setTimes(m_remote + u'/' + rel, nowS() - 400 * 86400.0, mtime))
                return {};
            out << rel;
        }
    }
    return out;
}

namespace {

// What a dry run decided, in a form two runs can be compared by: each file with its verdict
// (and for a file to freeze, the remote size and mtime it was verified against), the totals.
struct PlanSignature
{
    QStringList files;
    qint64 frozen = 0;
    qint64 bytes = 0;
    qint64 kept = 0;
    std::map<KeepReason, qint64> byReason;
    bool operator==(const PlanSignature &o) const
    {
        return files == o.files && frozen == o.frozen && bytes == o.bytes && kept == o.kept &&
               byReason == o.byReason;
    }
};

} // namespace

// The same tree planned every way the remote can be asked, whole or in chunks of 1, 2, 3 and 5
// candidates (a candidate at the first and at the last place of a chunk, a file missing on the
// remote and one of another size in a middle chunk): the same plan each time, file by file.
void TestFreezeJob::chunkedPlanningSamePlanInEveryMode()
{
    QFETCH_GLOBAL(QString, lookup);
    if (lookup != u"per-file")
        QSKIP("runs every mode itself");
    const QStringList extra = addBackedUpFiles(3, 6);
    QCOMPARE(extra.size(), 18);
    QVERIFY(QFile::remove(m_remote + u'/' + extra[8]));
    QVERIFY(test::writeFile(m_remote, extra[10], "not the same size"));
    QVERIFY(test::setAtimeDaysAgo(m_local + u'/' + extra[12], 3)); // read lately

    struct Mode
    {
        const char *name;
        int chunk;
        int listingMin; // candidates from which a listing is used
        RemoteLister::Lookup lookup;
    };
    const Mode modes[] = {
        {"per-file, whole", 100000, 1000000, RemoteLister::Lookup::PerFile},
        {"directories, whole", 100000, 1000000, RemoteLister::Lookup::ListDirectories},
        {"one listing, whole", 100000, 1, RemoteLister::Lookup::PerFile},
        {"per-file, chunks of 1", 1, 1000000, RemoteLister::Lookup::PerFile},
        {"directory listings, chunks of 2", 2, 1, RemoteLister::Lookup::PerFile},
        {"per-file, chunks of 3", 3, 1000000, RemoteLister::Lookup::PerFile},
        {"directories, chunks of 5", 5, 1000000, RemoteLister::Lookup::ListDirectories},
    };
    std::optional<PlanSignature> first;
    for (const Mode &mode : modes) {
        Run run;
        FreezeJobRequest req = request(true);
        req.planChunkCandidates = mode.chunk;
        req.listingMinCandidates = mode.listingMin;
        req.lookup = mode.lookup;
        req.chunkSize = 4; // per-file lookups in pieces too
        FreezeJob job(req);
        QStringList planned;
        connect(&job, &FreezeJob::filePlanned, this, [&planned](const FreezeCandidate &c) {
            planned << QStringLiteral("%1 freeze %2 %3 %4")
                           .arg(c.local.relPath)
                           .arg(c.local.size)
                           .arg(c.remote.size)
                           .arg(c.remote.mtimeNs / kNsPerSecond);
        });
        runJob(job, run);
        QVERIFY2(run.result->ok(),
                 qPrintable(QString::fromLatin1(mode.name) + u": " + errorText(*run.result)));
        const FreezeOutcome &o = run.result->value();
        PlanSignature sig;
        sig.files = planned;
        for (auto it = run.kept.cbegin(); it != run.kept.cend(); ++it)
            sig.files << it.key() + u' ' + toString(it.value());
        sig.files.sort();
        sig.frozen = o.files;
        sig.bytes = o.bytes;
        sig.kept = o.keptFiles;
        sig.byReason = o.keptByReason;
        // The plan handed back lists the same files (no cap here).
        QCOMPARE(qint64(o.plan.toFreeze.size()), o.files);
        QCOMPARE(qint64(planned.size()), o.files);
        QCOMPARE(qint64(run.kept.size()), o.keptFiles);
        if (!first) {
            first = sig;
            QCOMPARE(sig.frozen, 11 + 15);
            QVERIFY(sig.files.contains(extra[8] + QStringLiteral(" not_on_remote")));
            QVERIFY(sig.files.contains(extra[10] + QStringLiteral(" size_mismatch")));
            QVERIFY(sig.files.contains(extra[12] + QStringLiteral(" recently_accessed")));
            continue;
        }
        if (!(sig == *first)) {
            qWarning().noquote() << mode.name << "\n"
                                 << sig.files.join(u'\n') << "\nfirst:\n"
                                 << first->files.join(u'\n');
            QFAIL(mode.name);
        }
    }
    for (const QString &rel : extra)
        QVERIFY2(exists(m_local + u'/' + rel), qPrintable(rel)); // dry runs: nothing touched
}

// A real freeze planned in chunks of two candidates (and executed in chunks of two): every
// verified file frozen and journaled once, the file missing on the remote and the one of another
// size kept, whichever chunk they fell in.
void TestFreezeJob::chunkedFreezeVerifiesEveryChunk()
{
    const QStringList extra = addBackedUpFiles(2, 5);
    QVERIFY(QFile::remove(m_remote + u'/' + extra[4]));
    QVERIFY(test::writeFile(m_remote, extra[5], "not the same size"));
    const QStringList remoteBefore = snapshot(m_remote);
    Run run;
    FreezeJobRequest req = request();
    req.planChunkCandidates = 2;
    req.planListCap = 0;
    req.chunkSize = 2;
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(req);
    qint64 planned = 0;
    connect(&job, &FreezeJob::filePlanned, this, [&planned](const FreezeCandidate &) { ++planned; });
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result) + u'\n' + run.log.join(u'\n')));
    QCOMPARE_REASON(run.kept.value(extra[4]), KeepReason::NotOnRemote);
    QCOMPARE_REASON(run.kept.value(extra[5]), KeepReason::SizeMismatch);
    QVERIFY(exists(m_local + u'/' + extra[4]));
    QVERIFY(exists(m_local + u'/' + extra[5]));
    QSet<QString> journaled;
    for (const JournalEntry &j : run.journal) {
        QVERIFY2(!journaled.contains(j.relPath), qPrintable(j.relPath));
        journaled.insert(j.relPath);
        QVERIFY2(!exists(m_local + u'/' + j.relPath), qPrintable(j.relPath));
    }
    QCOMPARE(journaled.size(), 11 + 8);
    for (const QString &rel : extra)
        QVERIFY2(journaled.contains(rel) != (rel == extra[4] || rel == extra[5]), qPrintable(rel));
    QCOMPARE((*run.result)->files, 19);
    QCOMPARE(planned, 19);
    QCOMPARE((*run.result)->keptFiles, 2);
    QCOMPARE(snapshot(m_remote), remoteBefore);
}

// Cancelled while the plan is being made chunk by chunk (the scan waiting for the job): the job
// ends as cancelled, nothing is frozen.
void TestFreezeJob::cancelDuringChunkedPlanning()
{
    const QStringList extra = addBackedUpFiles(2, 10);
    Run run;
    FreezeJobRequest req = request();
    req.planChunkCandidates = 1;
    req.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    auto job = std::make_unique<FreezeJob>(req);
    int planned = 0;
    connect(job.get(), &FreezeJob::filePlanned, this, [&planned, &job](const FreezeCandidate &) {
        if (++planned == 2)
            job->cancel();
    });
    runJob(*job, run);
    QVERIFY(!run.result->ok());
    QCOMPARE(run.result->error().code, ErrorCode::Cancelled);
    QVERIFY(run.journal.empty());
    QVERIFY(planned >= 2 && planned < 31);
    for (const QString &rel : test::originalLayoutFiles() + extra)
        QVERIFY2(exists(m_local + u'/' + rel), qPrintable(rel));
    job.reset(); // the scan thread is not left waiting on a job that is gone
}

// A dry run with the plan's lists capped (as the task runner asks): every file still announced,
// the totals complete, the lists short.
void TestFreezeJob::planListCapKeepsTotals()
{
    QVERIFY(test::setAtimeDaysAgo(m_local + QStringLiteral("/file.txt"), 1));
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/file2.txt")));
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/subdir/subfile.txt")));
    QVERIFY(QFile::remove(m_remote + QStringLiteral("/subdir/subsubdir/poutrelle.tsv")));
    Run run;
    FreezeJobRequest req = request(true);
    req.planListCap = 2;
    FreezeJob job(req);
    QStringList planned;
    connect(&job, &FreezeJob::filePlanned, this,
            [&planned](const FreezeCandidate &c) { planned << c.local.relPath; });
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result)));
    const FreezeOutcome &o = run.result->value();
    QCOMPARE(o.files, 7);
    QCOMPARE(planned.size(), 7);
    QCOMPARE(o.plan.toFreeze.size(), size_t(2));
    QVERIFY(planned.contains(o.plan.toFreeze[0].local.relPath));
    QCOMPARE(o.keptFiles, 4);
    QCOMPARE(run.kept.size(), 4);
    QCOMPARE(o.plan.kept.size(), size_t(2));
    QCOMPARE(o.keptByReason.at(KeepReason::NotOnRemote), 3);
    qint64 bytes = 0;
    for (const QString &rel : planned) {
        struct stat st;
        QCOMPARE(::lstat(QFile::encodeName(m_local + u'/' + rel).constData(), &st), 0);
        bytes += qint64(st.st_size);
    }
    QCOMPARE(o.bytes, bytes);
}

// The local backend answers its lookups from a thread pool, often before the job is back in its
// event loop: a lookup that completes at once must not make the job finish its plan twice (it
// did: a null planner, the whole service killed by SIGSEGV one run in six).
void TestFreezeJob::localBackendRepeatedFreezes()
{
    RepoConfig local = m_repo;
    local.backend = Backend::Local;
    local.localPath = m_remote;
    for (int i = 0; i < 40; ++i) {
        FreezeJobRequest r = request(true);
        r.repo = local;
        r.relPath = i % 2 ? QStringLiteral("subdir") : QString();
        Run run;
        FreezeJob job(r);
        runJob(job, run);
        QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result)));
        QCOMPARE(run.result->value().files, i % 2 ? 9 : 11);
    }
    // And for real: every cold file frozen once.
    FreezeJobRequest r = request(false);
    r.repo = local;
    Run run;
    r.record = [&run](const JournalEntry &j) -> Status {
        run.journal.push_back(j);
        return {};
    };
    FreezeJob job(r);
    runJob(job, run);
    QVERIFY2(run.result->ok(), qPrintable(errorText(*run.result)));
    QCOMPARE(run.result->value().files, 11);
    QCOMPARE(run.journal.size(), size_t(11));
    for (const QString &rel : test::originalLayoutFiles())
        QVERIFY2(!exists(m_local + u'/' + rel), qPrintable(rel));
}

QTEST_GUILESS_MAIN(TestFreezeJob)
#include "tst_freezejob.moc"
