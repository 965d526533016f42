// Load benchmark of the task engine (not a CTest test: it prints figures, nothing passes or fails
// except the correctness checks, which make the exit code non-zero).
//
// The real engine as `baricadr serve` embeds it (Application: repos.yml, SQLite store, the
// product runners), real rclone against `rclone serve sftp` on 127.0.0.1.
//
// Part 1 — pulls: a remote holding the original test layout scaled up (top files, dirs, subdirs,
// files in each) and an empty local repo. REQUESTS pull requests (default 1,000) on overlapping
// paths drawn from that layout (the root now and then, dirs, subdirs, single files) are submitted
// through LocalService, spread evenly over one second while the engine runs. For every request
// the expected answer is computed from the engine's live tasks just before it is submitted: the id
// of an unfinished pull covering the path (same path or an ancestor) if there is one, else a new
// id. Then it waits for every task and checks that every remote file is on disk with its size,
// and that the task logs ("Pulled <path>") name every file exactly once.
//
// Part 2 — freezes: FREEZE_DIRS (default 100) disjoint directories of FREEZE_FILES files each
// (default 20), all cold and backed up; one freeze per directory, submitted together. Checks that
// every file is deleted exactly once: the journal holds each file once, the total equals the
// number of files, nothing is left locally, the remote is untouched.
//
// Both parts print the wall time and the process's RSS at start, after submission and at the
// end (VmRSS), and the peak (VmHWM).
//
//   bench_load [WORKDIR]      (default: a fresh temp dir, removed at the end unless KEEP=1)
//   env: REQUESTS, DIRS, SUBDIRS, FILES (per subdir), FREEZE_DIRS, FREEZE_FILES, WORKERS, SEED
#include "benchutil.h"
#include "config/settings.h"
#include "service/application.h"
#include "service/localservice.h"
#include "sftpserver.h"
#include "store/taskstore.h"
#include "tasks/taskengine.h"
#include "testtree.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <map>

using namespace baricadr;

using namespace baricadr::bench;

namespace {

// "VmRSS" or "VmHWM" of this process, in KiB.
qint64 procStatusKib(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray want = QByteArray(key) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(want))
            return line.mid(want.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QString mib(qint64 kib)
{
    return QString::number(double(kib) / 1024.0, 'f', 1);
}

QString repoYaml(const QString &root, const RepoConfig &r, bool freezable)
{
    QString y = root + QStringLiteral(":\n    backend: sftp\n    url: ") +
                yamlQuote(r.host + u':' + r.remotePrefix) + QStringLiteral("\n    port: ") +
                QString::number(r.port) + QStringLiteral("\n    user: ") + yamlQuote(r.user) +
                QStringLiteral("\n    password: ") + yamlQuote(r.password) + u'\n';
    if (freezable)
        y += QStringLiteral("    freezable: true\n    freeze_age: 180\n    disable_atime_test: true\n");
    return y;
}

// Relative paths of regular files under root.
QHash<QString, qint64> filesUnder(const QString &root)
{
    QHash<QString, qint64> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        out.insert(QDir(root).relativeFilePath(path), it.fileInfo().size());
    }
    return out;
}

// Runs the event loop until `done` holds or `timeoutMs` passes; false on timeout.
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

struct Fixture
{
    QString work;
    QString served;
    std::unique_ptr<test::SftpServer> server;
    std::unique_ptr<Application> app;
    QString logDir;
};

int failures = 0;
void check(bool ok, const QString &what)
{
    if (!ok) {
        ++failures;
        say(QStringLiteral("CHECK FAILED: ") + what);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication qapp(argc, argv);
    // The engine's per-task info/debug lines would drown the figures (VERBOSE=1 keeps them).
    if (qEnvironmentVariableIntValue("VERBOSE") == 0)
        QLoggingCategory::setFilterRules(QStringLiteral("baricadr.*.debug=false\nbaricadr.*.info=false"));
    const int requests = envInt("REQUESTS", 1000, 1);
    const int dirs = envInt("DIRS", 10, 1);
    const int subdirs = envInt("SUBDIRS", 5, 1);
    const int filesPerSubdir = envInt("FILES", 20, 1);
    const int freezeDirs = envInt("FREEZE_DIRS", 100, 1);
    const int freezeFiles = envInt("FREEZE_FILES", 20, 1);
    const int workers = envInt("WORKERS", 2, 1);
    const quint32 seed = quint32(envInt("SEED", 42, 1));

    std::unique_ptr<QTemporaryDir> tmp;
    const QString work = workDir(argc, argv, QStringLiteral("bench_load"), tmp);

    // ---- Data: the remote of the pull repo (local empty), the freeze repo (local == remote).
    QRandomGenerator rng(seed);
    const QString served = work + QStringLiteral("/served");
    const QString pullRemote = served + QStringLiteral("/pullrepo");
    const QString pullLocal = work + QStringLiteral("/pullrepo");
    const QString freezeLocal = work + QStringLiteral("/freezerepo");
    const QString freezeRemote = served + QStringLiteral("/freezerepo");
    QDir().mkpath(pullLocal);
    QDir().mkpath(freezeLocal);
    QStringList dirPaths, subdirPaths, filePaths;
    auto writeRemote = [&](const QString &rel) {
        const int size = 512 + int(rng.bounded(8 * 1024));
        QByteArray content(size, 'x');
        content.prepend(rel.toUtf8() + '\n');
        test::writeFile(pullRemote, rel, content);
        filePaths << rel;
    };
    for (int t = 0; t < 10; ++t)
        writeRemote(QStringLiteral("file%1.txt").arg(t));
    for (int d = 0; d < dirs; ++d) {
        const QString dir = QStringLiteral("dir%1").arg(d, 2, 10, QLatin1Char('0'));
        dirPaths << dir;
        for (int t = 0; t < 5; ++t)
            writeRemote(dir + QStringLiteral("/top%1.tsv").arg(t));
        for (int s = 0; s < subdirs; ++s) {
            const QString sub = dir + QStringLiteral("/sub%1").arg(s, 2, 10, QLatin1Char('0'));
            subdirPaths << sub;
            for (int f = 0; f < filesPerSubdir; ++f)
                writeRemote(sub + QStringLiteral("/f%1.dat").arg(f, 3, 10, QLatin1Char('0')));
        }
    }
    for (int d = 0; d < freezeDirs; ++d)
        for (int f = 0; f < freezeFiles; ++f) {
            const QString rel =
                QStringLiteral("d%1/f%2.dat").arg(d, 3, 10, QLatin1Char('0')).arg(f, 3, 10, QLatin1Char('0'));
            test::writeFile(freezeLocal, rel, QByteArray(256 + int(rng.bounded(4096)), 'y'));
        }
    QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), freezeLocal, freezeRemote});
    test::ageTree(freezeLocal, 400);
    const QHash<QString, qint64> remoteFiles = filesUnder(pullRemote);
    const qint64 freezeTotal = qint64(freezeDirs) * freezeFiles;
    say(QStringLiteral("pull repo: %1 files in %2 dirs / %3 subdirs; freeze repo: %4 files in %5 dirs")
            .arg(remoteFiles.size())
            .arg(dirs)
            .arg(dirs * subdirs)
            .arg(freezeTotal)
            .arg(freezeDirs));

    test::SftpServer server(served);
    if (!server.start()) {
        say(QStringLiteral("cannot start rclone serve sftp"));
        return 2;
    }
    const RepoConfig pr = server.repoFor(pullLocal, QStringLiteral("pullrepo"));
    const RepoConfig fr = server.repoFor(freezeLocal, QStringLiteral("freezerepo"));
    QFile yml(work + QStringLiteral("/repos.yml"));
    yml.open(QIODevice::WriteOnly);
    yml.write((repoYaml(pullLocal, pr, false) + repoYaml(freezeLocal, fr, true)).toUtf8());
    yml.close();

    Settings s;
    s.reposConf = yml.fileName();
    s.taskLogDir = work + QStringLiteral("/logs");
    s.dataDir = work + QStringLiteral("/data");
    s.databaseUri = QStringLiteral("sqlite:///") + work + QStringLiteral("/data/baricadr.sqlite");
    s.workers = workers;
    auto created = Application::create(s);
    if (!created) {
        say(QStringLiteral("cannot start the engine: ") + created.error().message);
        return 2;
    }
    std::unique_ptr<Application> app = std::move(created).value();
    TaskEngine *engine = app->engine();
    LocalService *service = app->localService();
    say(QStringLiteral("workers %1, rclone %2").arg(workers).arg(s.rclonePath));

    // ================= Part 1: overlapping pulls =================
    struct Request
    {
        QString path;
        QString id;
        QSet<QString> expected; // ids of live covering pulls just before submission (empty = new)
        qint64 submitUs = 0;
        bool created = false; // answered with a new task (not deduplicated)
    };
    std::vector<Request> reqs(static_cast<size_t>(requests));
    for (Request &r : reqs) {
        const quint32 roll = rng.bounded(1000);
        QString rel;
        if (roll < 5)
            rel = QString(); // the root: 0.5 %
        else if (roll < 105)
            rel = dirPaths[qsizetype(rng.bounded(quint32(dirPaths.size())))];
        else if (roll < 405)
            rel = subdirPaths[qsizetype(rng.bounded(quint32(subdirPaths.size())))];
        else
            rel = filePaths[qsizetype(rng.bounded(quint32(filePaths.size())))];
        r.path = rel.isEmpty() ? pullLocal : pullLocal + u'/' + rel;
    }

    const qint64 rssStart = procStatusKib("VmRSS");
    QSet<QString> seenIds;
    int wrongDedup = 0;
    int rejected = 0;
    QElapsedTimer wall;
    wall.start();
    size_t next = 0;
    QTimer pacer;
    pacer.setInterval(0);
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        // Request i is due at i/requests of one second.
        const qint64 due = wall.nsecsElapsed() * qint64(requests) / 1000000000LL;
        while (next < reqs.size() && qint64(next) <= due) {
            Request &r = reqs[next++];
            for (const TaskInfo &t : engine->liveTasks())
                if (t.type == TaskType::Pull && (t.path == r.path || r.path.startsWith(t.path + u'/')))
                    r.expected.insert(t.id);
            QElapsedTimer one;
            one.start();
            const auto id = service->submit(TaskType::Pull, r.path, QString(), false, false);
            r.submitUs = one.nsecsElapsed() / 1000;
            if (!id) {
                ++rejected;
                say(QStringLiteral("rejected %1: %2").arg(r.path, id.error().message));
                continue;
            }
            r.id = *id;
            r.created = !seenIds.contains(r.id);
            const bool ok = r.expected.isEmpty() ? !seenIds.contains(r.id) : r.expected.contains(r.id);
            if (!ok) {
                ++wrongDedup;
                say(QStringLiteral("dedup wrong for %1: got %2").arg(r.path, r.id));
            }
            seenIds.insert(r.id);
        }
        if (next >= reqs.size())
            pacer.stop();
    });
    pacer.start();
    waitUntil([&] { return next >= reqs.size(); }, 60000);
    const double submitSeconds = double(wall.nsecsElapsed()) / 1e9;
    const qint64 rssSubmitted = procStatusKib("VmRSS");

    const bool allDone = waitUntil(
        [&] {
            for (const QString &id : std::as_const(seenIds))
                if (engine->liveTask(id))
                    return false;
            return true;
        },
        30 * 60 * 1000);
    const double pullSeconds = double(wall.nsecsElapsed()) / 1e9;
    const qint64 rssPullEnd = procStatusKib("VmRSS");
    check(allDone, QStringLiteral("every pull task ended within 30 min"));

    // Results: statuses, files pulled per the task results and per the task logs.
    qint64 resultFiles = 0;
    std::map<QString, int> byStatus;
    std::map<QString, int> pulledCount; // from the "Pulled <rel> (" log lines
    for (const QString &id : std::as_const(seenIds)) {
        const auto t = app->store()->task(id);
        if (!t) {
            check(false, QStringLiteral("task %1 in the store").arg(id));
            continue;
        }
        ++byStatus[toString(t->status)];
        resultFiles += t->result.files;
        QFile log(t->logFile);
        if (!log.open(QIODevice::ReadOnly)) {
            check(false, QStringLiteral("log of task %1").arg(id));
            continue;
        }
        while (!log.atEnd()) {
            const QByteArray line = log.readLine();
            const int at = line.indexOf(" Pulled ");
            if (at < 0)
                continue;
            const int end = line.lastIndexOf(" (");
            ++pulledCount[QString::fromUtf8(line.mid(at + 8, end - at - 8))];
        }
    }
    const QHash<QString, qint64> local = filesUnder(pullLocal);
    int missing = 0, wrongSize = 0, twice = 0, notInLog = 0;
    for (auto it = remoteFiles.cbegin(); it != remoteFiles.cend(); ++it) {
        const auto l = local.constFind(it.key());
        if (l == local.cend())
            ++missing;
        else if (l.value() != it.value())
            ++wrongSize;
        const auto c = pulledCount.find(it.key());
        if (c == pulledCount.end())
            ++notInLog;
        else if (c->second > 1)
            ++twice;
    }
    qint64 loggedTransfers = 0;
    for (const auto &[rel, n] : pulledCount)
        loggedTransfers += n;
    // Submission latency: all requests, and separately those that created a task (a store insert
    // and a log file) and those answered with an existing task's id.
    auto percentiles = [](std::vector<qint64> v) {
        if (v.empty())
            return QStringLiteral("-");
        std::sort(v.begin(), v.end());
        return QStringLiteral("median %1 us, p99 %2 us, max %3 us")
            .arg(v[v.size() / 2])
            .arg(v[v.size() * 99 / 100])
            .arg(v.back());
    };
    std::vector<qint64> latAll, latNew, latDedup;
    for (const Request &r : reqs) {
        latAll.push_back(r.submitUs);
        (r.created ? latNew : latDedup).push_back(r.submitUs);
    }
    say(QStringLiteral("\n== 1. %1 overlapping pull requests").arg(requests));
    say(QStringLiteral("submitted in %1 s; submit latency: %2")
            .arg(submitSeconds, 0, 'f', 3)
            .arg(percentiles(latAll)));
    say(QStringLiteral("  new task (%1): %2").arg(latNew.size()).arg(percentiles(latNew)));
    say(QStringLiteral("  deduplicated (%1): %2").arg(latDedup.size()).arg(percentiles(latDedup)));
    QStringList statuses;
    for (const auto &[st, n] : byStatus)
        statuses << QStringLiteral("%1 %2").arg(n).arg(st);
    say(QStringLiteral("distinct tasks: %1 for %2 requests (%3 rejected, %4 answered against the rule); %5")
            .arg(seenIds.size())
            .arg(requests)
            .arg(rejected)
            .arg(wrongDedup)
            .arg(statuses.join(QStringLiteral(", "))));
    say(QStringLiteral("files: %1 on the remote, %2 on disk (%3 missing, %4 wrong size)")
            .arg(remoteFiles.size())
            .arg(local.size())
            .arg(missing)
            .arg(wrongSize));
    say(QStringLiteral("transfers: %1 per task results, %2 'Pulled' log lines; files pulled twice: %3, "
                       "never: %4")
            .arg(resultFiles)
            .arg(loggedTransfers)
            .arg(twice)
            .arg(notInLog));
    say(QStringLiteral("wall time %1 s; RSS MiB: start %2, after submission %3, end %4")
            .arg(pullSeconds, 0, 'f', 2)
            .arg(mib(rssStart), mib(rssSubmitted), mib(rssPullEnd)));
    check(rejected == 0, QStringLiteral("no request rejected"));
    check(wrongDedup == 0, QStringLiteral("every request deduplicated by the rule"));
    check(byStatus.size() == 1 && byStatus.count(QStringLiteral("finished")),
          QStringLiteral("every task finished"));
    check(missing == 0 && wrongSize == 0 && local.size() == remoteFiles.size(),
          QStringLiteral("every remote file on disk, nothing else"));
    check(twice == 0 && notInLog == 0 && loggedTransfers == remoteFiles.size() &&
              resultFiles == remoteFiles.size(),
          QStringLiteral("every file transferred exactly once"));

    // ================= Part 2: concurrent freezes on disjoint dirs =================
    const qint64 rssFreezeStart = procStatusKib("VmRSS");
    QElapsedTimer fwall;
    fwall.start();
    QStringList freezeIds;
    for (int d = 0; d < freezeDirs; ++d) {
        const auto id = service->submit(TaskType::Freeze,
                                        freezeLocal + QStringLiteral("/d%1").arg(d, 3, 10, QLatin1Char('0')),
                                        QString(), false, false);
        if (!id) {
            check(false, QStringLiteral("freeze %1 accepted: %2").arg(d).arg(id.error().message));
            continue;
        }
        freezeIds << *id;
    }
    const double fsubmit = double(fwall.nsecsElapsed()) / 1e9;
    const qint64 rssFreezeSubmitted = procStatusKib("VmRSS");
    const bool freezesDone = waitUntil(
        [&] {
            return std::none_of(freezeIds.cbegin(), freezeIds.cend(),
                                [&](const QString &id) { return engine->liveTask(id).has_value(); });
        },
        30 * 60 * 1000);
    const double fseconds = double(fwall.nsecsElapsed()) / 1e9;
    const qint64 rssFreezeEnd = procStatusKib("VmRSS");
    check(freezesDone, QStringLiteral("every freeze ended within 30 min"));

    qint64 journalRows = 0, frozenResult = 0;
    int freezeFinished = 0;
    QHash<QString, int> journaled;
    for (const QString &id : std::as_const(freezeIds)) {
        const auto t = app->store()->task(id);
        if (t && t->status == TaskStatus::Finished)
            ++freezeFinished;
        else
            say(QStringLiteral("freeze %1: %2 %3")
                    .arg(id, t ? toString(t->status) : QStringLiteral("?"), t ? t->error : QString()));
        if (t)
            frozenResult += t->result.files;
        const auto journal = app->store()->journalForTask(id);
        if (!journal)
            continue;
        for (const JournalEntry &e : *journal) {
            ++journalRows;
            ++journaled[e.relPath];
        }
    }
    int journaledTwice = 0;
    for (auto it = journaled.cbegin(); it != journaled.cend(); ++it)
        if (it.value() > 1)
            ++journaledTwice;
    const qint64 leftLocal = filesUnder(freezeLocal).size();
    const qint64 remoteLeft = filesUnder(freezeRemote).size();
    say(QStringLiteral("\n== 2. %1 concurrent freezes on disjoint dirs (%2 files)")
            .arg(freezeDirs)
            .arg(freezeTotal));
    say(QStringLiteral("submitted in %1 s; %2 of %3 finished")
            .arg(fsubmit, 0, 'f', 3)
            .arg(freezeFinished)
            .arg(freezeIds.size()));
    say(QStringLiteral("journal rows %1 (distinct files %2, journaled twice %3), frozen per task results %4, "
                       "left locally %5, remote files %6")
            .arg(journalRows)
            .arg(journaled.size())
            .arg(journaledTwice)
            .arg(frozenResult)
            .arg(leftLocal)
            .arg(remoteLeft));
    say(QStringLiteral("wall time %1 s; RSS MiB: start %2, after submission %3, end %4; peak (VmHWM) %5")
            .arg(fseconds, 0, 'f', 2)
            .arg(mib(rssFreezeStart), mib(rssFreezeSubmitted), mib(rssFreezeEnd),
                 mib(procStatusKib("VmHWM"))));
    check(freezeFinished == freezeDirs, QStringLiteral("every freeze finished"));
    check(journalRows == freezeTotal && journaled.size() == freezeTotal && journaledTwice == 0 &&
              frozenResult == freezeTotal,
          QStringLiteral("each file deleted exactly once and journaled once"));
    check(leftLocal == 0, QStringLiteral("nothing left locally"));
    check(remoteLeft == freezeTotal, QStringLiteral("the remote untouched"));

    app.reset();
    server.stop();
    say(failures == 0 ? QStringLiteral("\nall checks passed")
                      : QStringLiteral("\n%1 check(s) FAILED").arg(failures));
    return failures == 0 ? 0 : 1;
}
