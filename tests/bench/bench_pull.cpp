// Pull benchmark: the engine's pull task against a bare `rclone copy` of the same data from the
// same loopback SFTP server, in the same run (not a CTest test: it prints figures and ratios).
//
// Data on the server: SMALL files (default 2,000, 1–64 KiB, random content) over SMALL/100 dirs,
// and one BIG_MIB MiB file (default 1024; sparse on the server's disk, real bytes on the wire).
// For each data set: one warm-up of each side, then REPS (default 3) repetitions alternating which
// side goes first; each run starts from an empty destination. Printed: every run, the medians,
// and the ratio engine/bare (target <= 1.05).
//
// The engine side is the whole task as a user sees it: LocalService::submit → the task finished
// (queue, store writes, task log, listing, staged copy, rename into place). The bare side is
// `rclone copy REMOTE:dir DEST` with rclone's defaults, the remote defined by the same
// environment the engine gives rclone.
//
// PROFILE=1 adds the parts of the engine's pull run on their own, to see where the difference
// goes: the Puller alone (no task engine) both ways (direct copy of a directory absent locally;
// listing first, as for a directory that exists), with the time of each phase (start → rclone
// copy started → first file placed → last file placed → finished) and the CPU used, interleaved
// with bare copies; then the rclone runs alone (listing, the staged copy, and variants).
//
//   bench_pull [WORKDIR]     (default: a temp dir, removed at the end unless KEEP=1)
//   env: SMALL, BIG_MIB, REPS, PROFILE, SKIP_BIG, BACKEND (sftp, the default, or local: the repo's
//        remote is the data directory itself, `backend: local`, and no server runs)
#include "benchutil.h"
#include "config/settings.h"
#include "pull/puller.h"
#include "rclone/rcloneremote.h"
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
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

using namespace baricadr;

using namespace baricadr::bench;

namespace {

qint64 countFiles(const QString &root, qint64 *bytes)
{
    qint64 n = 0;
    *bytes = 0;
    QDirIterator it(root, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
        *bytes += it.fileInfo().size();
    }
    return n;
}

// CPU seconds used so far by this process (self) and by its waited-for children (rclone).
struct Cpu
{
    double self = 0;
    double children = 0;
};
Cpu cpuNow()
{
    auto secs = [](const rusage &u) {
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
               double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    };
    rusage self{}, children{};
    ::getrusage(RUSAGE_SELF, &self);
    ::getrusage(RUSAGE_CHILDREN, &children);
    return Cpu{secs(self), secs(children)};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Bench
{
    QString work;
    QString local; // the engine's repo
    QString bare;  // bare rclone's destination
    RepoConfig repo;
    Application *app = nullptr;
    int failures = 0;
    Cpu lastCpu; // CPU of the last run: engine process itself, rclone children

    // Seconds for the engine to pull `rel` into an empty place.
    double engineRun(const QString &rel, qint64 expectFiles)
    {
        QDir(local + u'/' + rel).removeRecursively();
        ::sync();
        const Cpu cpu0 = cpuNow();
        QElapsedTimer t;
        t.start();
        const auto id =
            app->localService()->submit(TaskType::Pull, local + u'/' + rel, QString(), false, false);
        if (!id) {
            say(QStringLiteral("engine pull refused: ") + id.error().message);
            ++failures;
            return 0;
        }
        QEventLoop loop;
        QObject::connect(app->engine(), &TaskEngine::taskFinished, &loop, [&](const TaskInfo &info) {
            if (info.id == *id)
                loop.quit();
        });
        QTimer::singleShot(30 * 60 * 1000, &loop, &QEventLoop::quit);
        if (app->engine()->liveTask(*id))
            loop.exec();
        const double s = double(t.nsecsElapsed()) / 1e9;
        const Cpu cpu1 = cpuNow();
        lastCpu = Cpu{cpu1.self - cpu0.self, cpu1.children - cpu0.children};
        const auto info = app->store()->task(*id);
        qint64 bytes = 0;
        const qint64 n = countFiles(local + u'/' + rel, &bytes);
        if (!info || info->status != TaskStatus::Finished || info->result.files != expectFiles ||
            n != expectFiles) {
            say(QStringLiteral("engine pull of %1 wrong: %2 %3, %4 files on disk")
                    .arg(rel, info ? toString(info->status) : QStringLiteral("?"),
                         info ? info->error : QString())
                    .arg(n));
            ++failures;
        }
        return s;
    }

    // Seconds for rclone with `args` (remote spec and destination included), from the same env.
    double rcloneRun(const QStringList &args, const QString &dest, qint64 expectFiles)
    {
        QDir(dest).removeRecursively();
        ::sync();
        QProcess p;
        p.setProcessEnvironment(RcloneRemote(repo).environment());
        p.setStandardOutputFile(QProcess::nullDevice());
        p.setStandardErrorFile(QProcess::nullDevice());
        const Cpu cpu0 = cpuNow();
        QElapsedTimer t;
        t.start();
        p.start(QStringLiteral("rclone"), args);
        p.waitForFinished(30 * 60 * 1000);
        const double s = double(t.nsecsElapsed()) / 1e9;
        const Cpu cpu1 = cpuNow();
        lastCpu = Cpu{cpu1.self - cpu0.self, cpu1.children - cpu0.children};
        qint64 bytes = 0;
        const qint64 n = countFiles(dest, &bytes);
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0 ||
            (expectFiles >= 0 && n != expectFiles)) {
            say(QStringLiteral("rclone %1 wrong: exit %2, %3 files")
                    .arg(args.join(u' '))
                    .arg(p.exitCode())
                    .arg(n));
            ++failures;
        }
        return s;
    }

    // The Puller alone (no task engine, store or task log) into an empty place; phases in s.
    struct Phases
    {
        double total = 0, copyStart = 0, firstFile = 0, lastFile = 0;
        Cpu cpu;
    };
    Phases pullerRun(const QString &rel, qint64 expectFiles, bool alwaysList)
    {
        QDir(local + u'/' + rel).removeRecursively();
        ::sync();
        Phases ph;
        bool done = false;
        Result<PullOutcome> result = Error(ErrorCode::Internal, QStringLiteral("not finished"));
        RcloneOptions ro;
        Puller puller(ro);
        QElapsedTimer t;
        const auto now = [&t] { return double(t.nsecsElapsed()) / 1e9; };
        QObject::connect(&puller, &Puller::logMessage, [&](const QString &m) {
            if (ph.copyStart == 0 && m.startsWith(ro.program + u' '))
                ph.copyStart = now(); // the copy's command line, logged as rclone starts
        });
        QObject::connect(&puller, &Puller::fileDone, [&](const QString &, qint64) {
            ph.lastFile = now();
            if (ph.firstFile == 0)
                ph.firstFile = ph.lastFile;
        });
        QEventLoop loop;
        QObject::connect(&puller, &Puller::finished, [&](const Result<PullOutcome> &r) {
            result = r;
            done = true;
            loop.quit();
        });
        PullOptions po;
        po.alwaysList = alwaysList;
        const Cpu cpu0 = cpuNow();
        t.start();
        puller.start(repo, rel, po);
        QTimer::singleShot(30 * 60 * 1000, &loop, &QEventLoop::quit);
        if (!done)
            loop.exec();
        ph.total = now();
        const Cpu cpu1 = cpuNow();
        ph.cpu = Cpu{cpu1.self - cpu0.self, cpu1.children - cpu0.children};
        if (!result || result->files != expectFiles) {
            say(QStringLiteral("puller (%1) of %2 wrong: %3")
                    .arg(alwaysList ? QStringLiteral("listing") : QStringLiteral("direct"), rel,
                         result ? QString::number(result->files) + QStringLiteral(" files")
                                : result.error().message));
            ++failures;
        }
        return ph;
    }

    void profilePhases(const QString &rel, qint64 files, int reps)
    {
        say(QStringLiteral("\n== profile: the Puller alone, %1 (medians of %2, interleaved with bare copies)")
                .arg(rel)
                .arg(reps));
        std::vector<double> bare;
        std::vector<Phases> runs[2];
        pullerRun(rel, files, false); // warm-up
        for (int i = 0; i < reps; ++i) {
            runs[0].push_back(pullerRun(rel, files, false));
            bare.push_back(bareRun(rel, files));
            runs[1].push_back(pullerRun(rel, files, true));
        }
        const auto med = [](const std::vector<Phases> &v, auto field) {
            std::vector<double> x;
            for (const Phases &p : v)
                x.push_back(field(p));
            return median(x);
        };
        say(QStringLiteral("bare rclone copy: %1 s").arg(median(bare), 0, 'f', 3));
        for (int k = 0; k < 2; ++k) {
            const auto &v = runs[k];
            say(QStringLiteral("%1: total %2 s (ratio to bare %3); rclone copy started at %4 s, first file "
                               "placed at %5 s, last at %6 s, finished %7 s after it; CPU s: puller %8, "
                               "its rclone %9")
                    .arg(k == 0 ? QStringLiteral("direct copy (absent locally)")
                                : QStringLiteral("listing first"))
                    .arg(med(v, [](const Phases &p) { return p.total; }), 0, 'f', 3)
                    .arg(med(v, [](const Phases &p) { return p.total; }) / median(bare), 0, 'f', 3)
                    .arg(med(v, [](const Phases &p) { return p.copyStart; }), 0, 'f', 3)
                    .arg(med(v, [](const Phases &p) { return p.firstFile; }), 0, 'f', 3)
                    .arg(med(v, [](const Phases &p) { return p.lastFile; }), 0, 'f', 3)
                    .arg(med(v, [](const Phases &p) { return p.total - p.lastFile; }), 0, 'f', 3)
                    .arg(med(v, [](const Phases &p) { return p.cpu.self; }), 0, 'f', 2)
                    .arg(med(v, [](const Phases &p) { return p.cpu.children; }), 0, 'f', 2));
        }
    }

    double bareRun(const QString &rel, qint64 expectFiles)
    {
        const QString dest = bare + u'/' + rel;
        return rcloneRun({QStringLiteral("copy"), RcloneRemote(repo).spec(rel), dest}, dest, expectFiles);
    }

    void compare(const QString &label, const QString &rel, qint64 files, int reps)
    {
        say(QStringLiteral("\n== %1 (%2 file(s))").arg(label).arg(files));
        engineRun(rel, files); // warm-up
        bareRun(rel, files);
        std::vector<double> e, b, eSelf, eRclone, bRclone;
        for (int i = 0; i < reps; ++i) {
            double te, tb;
            Cpu ce, cb;
            if (i % 2 == 0) {
                te = engineRun(rel, files);
                ce = lastCpu;
                tb = bareRun(rel, files);
                cb = lastCpu;
            } else {
                tb = bareRun(rel, files);
                cb = lastCpu;
                te = engineRun(rel, files);
                ce = lastCpu;
            }
            e.push_back(te);
            b.push_back(tb);
            eSelf.push_back(ce.self);
            eRclone.push_back(ce.children);
            bRclone.push_back(cb.children);
            say(QStringLiteral(
                    "run %1 (%2 first): engine %3 s, bare rclone copy %4 s, ratio %5; CPU s: engine "
                    "process %6 + its rclone %7, bare rclone %8")
                    .arg(i + 1)
                    .arg(i % 2 == 0 ? QStringLiteral("engine") : QStringLiteral("bare"))
                    .arg(te, 0, 'f', 3)
                    .arg(tb, 0, 'f', 3)
                    .arg(te / tb, 0, 'f', 3)
                    .arg(ce.self, 0, 'f', 2)
                    .arg(ce.children, 0, 'f', 2)
                    .arg(cb.children, 0, 'f', 2));
        }
        say(QStringLiteral("median: engine %1 s, bare %2 s, ratio %3 (target <= 1.05); CPU s: engine process "
                           "%4 + its rclone %5 vs bare rclone %6 (CPU ratio %7)")
                .arg(median(e), 0, 'f', 3)
                .arg(median(b), 0, 'f', 3)
                .arg(median(e) / median(b), 0, 'f', 3)
                .arg(median(eSelf), 0, 'f', 2)
                .arg(median(eRclone), 0, 'f', 2)
                .arg(median(bRclone), 0, 'f', 2)
                .arg((median(eSelf) + median(eRclone)) / median(bRclone), 0, 'f', 3));
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication qapp(argc, argv);
    // The engine's per-task info/debug lines would drown the figures (VERBOSE=1 keeps them).
    if (qEnvironmentVariableIntValue("VERBOSE") == 0)
        QLoggingCategory::setFilterRules(QStringLiteral("baricadr.*.debug=false\nbaricadr.*.info=false"));
    const int small = envInt("SMALL", 2000, 0);
    const int bigMib = envInt("BIG_MIB", 1024, 0);
    const int reps = std::max(1, envInt("REPS", 3, 0));
    const bool profile = envInt("PROFILE", 0, 0) > 0;

    std::unique_ptr<QTemporaryDir> tmp;
    const QString work = workDir(argc, argv, QStringLiteral("bench_pull"), tmp);

    const QString served = work + QStringLiteral("/served");
    QRandomGenerator rng(7);
    qint64 smallBytes = 0;
    const int smallDirs = std::max(1, small / 100);
    for (int i = 0; i < small; ++i) {
        QByteArray content(1024 + int(rng.bounded(63 * 1024)), Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(content.data()), content.size() / 4);
        smallBytes += content.size();
        test::writeFile(
            served, QStringLiteral("small/d%1/f%2.dat").arg(i % smallDirs, 3, 10, QLatin1Char('0')).arg(i),
            content);
    }
    if (bigMib > 0) {
        QDir().mkpath(served + QStringLiteral("/big"));
        QFile big(served + QStringLiteral("/big/blob.bin"));
        big.open(QIODevice::WriteOnly);
        big.resize(qint64(bigMib) * 1024 * 1024);
    }
    say(QStringLiteral("data: %1 small files (%2 MiB) in %3 dirs; one %4 MiB file")
            .arg(small)
            .arg(double(smallBytes) / 1048576.0, 0, 'f', 1)
            .arg(smallDirs)
            .arg(bigMib));

    const QString backend = qEnvironmentVariable("BACKEND", QStringLiteral("sftp"));
    if (backend != u"sftp" && backend != u"local") {
        say(QStringLiteral("BACKEND must be sftp or local, not ") + backend);
        return 2;
    }
    test::SftpServer server(served);
    if (backend == u"sftp" && !server.start()) {
        say(QStringLiteral("cannot start rclone serve sftp"));
        return 2;
    }
    say(QStringLiteral("remote: ") + (backend == u"sftp" ? QStringLiteral("rclone serve sftp on 127.0.0.1")
                                                         : QStringLiteral("local directory ") + served));
    Bench b;
    b.work = work;
    b.local = work + QStringLiteral("/local");
    b.bare = work + QStringLiteral("/bare");
    QDir().mkpath(b.local);
    QDir().mkpath(b.bare);
    QFile yml(work + QStringLiteral("/repos.yml"));
    yml.open(QIODevice::WriteOnly);
    if (backend == u"sftp") {
        b.repo = server.repoFor(b.local);
        yml.write((b.local + QStringLiteral(":\n    backend: sftp\n    url: ") +
                   yamlQuote(b.repo.host + u':') + QStringLiteral("\n    port: ") +
                   QString::number(b.repo.port) + QStringLiteral("\n    user: ") + yamlQuote(b.repo.user) +
                   QStringLiteral("\n    password: ") + yamlQuote(b.repo.password) + u'\n')
                      .toUtf8());
    } else {
        yml.write((b.local + QStringLiteral(":\n    backend: local\n    path: ") + yamlQuote(served) + u'\n')
                      .toUtf8());
    }
    yml.close();
    Settings s;
    s.reposConf = yml.fileName();
    s.taskLogDir = work + QStringLiteral("/logs");
    s.dataDir = work + QStringLiteral("/data");
    s.databaseUri = QStringLiteral("sqlite:///") + work + QStringLiteral("/data/baricadr.sqlite");
    auto created = Application::create(s);
    if (!created) {
        say(QStringLiteral("cannot start the engine: ") + created.error().message);
        return 2;
    }
    std::unique_ptr<Application> app = std::move(created).value();
    b.app = app.get();
    b.repo = app->engine()->repos().first(); // as loaded (canonical root, same remote)

    b.compare(QStringLiteral("small files"), QStringLiteral("small"), small, reps);
    if (bigMib > 0 && envInt("SKIP_BIG", 0, 0) == 0)
        b.compare(QStringLiteral("one big file"), QStringLiteral("big"), 1, reps);

    if (profile) {
        b.profilePhases(QStringLiteral("small"), small, reps);
        say(QStringLiteral("\n== profile: the engine's rclone runs alone, small files (median of %1)")
                .arg(reps));
        const RcloneRemote remote(b.repo);
        // The list of files, as the engine gives it to rclone.
        const QString list = work + QStringLiteral("/files-from.txt");
        {
            QFile f(list);
            f.open(QIODevice::WriteOnly);
            QDirIterator it(served + QStringLiteral("/small"), QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                f.write(QDir(served).relativeFilePath(it.next()).toUtf8() + '\n');
        }
        const QStringList common{QStringLiteral("--use-json-log"),
                                 QStringLiteral("-v"),
                                 QStringLiteral("--stats"),
                                 QStringLiteral("1s"),
                                 QStringLiteral("--stats-log-level"),
                                 QStringLiteral("NOTICE"),
                                 QStringLiteral("--retries"),
                                 QStringLiteral("1"),
                                 QStringLiteral("--low-level-retries"),
                                 QStringLiteral("1")};
        const QString dest = work + QStringLiteral("/profile");
        struct Probe
        {
            QString label;
            QStringList args;
            qint64 files;
        };
        const QList<Probe> probes{
            {QStringLiteral("lsjson -R (the engine's listing)"),
             QStringList{QStringLiteral("lsjson"), QStringLiteral("-R"), QStringLiteral("--no-mimetype"),
                         QStringLiteral("--links"), QStringLiteral("--files-only"),
                         remote.spec(QStringLiteral("small"))} +
                 common,
             -1},
            {QStringLiteral("copyto --no-check-dest (the engine's direct copy)"),
             QStringList{QStringLiteral("copyto"), QStringLiteral("--links"),
                         QStringLiteral("--no-check-dest"), remote.spec(QStringLiteral("small")), dest} +
                 common,
             small},
            {QStringLiteral(
                 "copy --files-from-raw --no-traverse --no-check-dest (the engine after a listing)"),
             QStringList{QStringLiteral("copy"), QStringLiteral("--links"),
                         QStringLiteral("--files-from-raw"), list, QStringLiteral("--no-traverse"),
                         QStringLiteral("--no-check-dest"), remote.spec(), dest} +
                 common,
             small},
            {QStringLiteral("copy --files-from-raw --no-check-dest (source listed by directory)"),
             QStringList{QStringLiteral("copy"), QStringLiteral("--links"),
                         QStringLiteral("--files-from-raw"), list, QStringLiteral("--no-check-dest"),
                         remote.spec(), dest} +
                 common,
             small},
            {QStringLiteral("bare copy with the engine's log flags"),
             QStringList{QStringLiteral("copy"), remote.spec(QStringLiteral("small")), dest} + common, small},
            {QStringLiteral("bare copy"),
             QStringList{QStringLiteral("copy"), remote.spec(QStringLiteral("small")), dest}, small},
        };
        // Interleaved (probe after probe, REPS rounds) so that load changes hit them all alike.
        std::vector<std::vector<double>> wall(size_t(probes.size())), cpu(size_t(probes.size()));
        for (int i = 0; i <= reps; ++i) // round 0 is the warm-up
            for (qsizetype k = 0; k < probes.size(); ++k) {
                const double t = b.rcloneRun(probes[k].args, dest, probes[k].files);
                if (i > 0) {
                    wall[size_t(k)].push_back(t);
                    cpu[size_t(k)].push_back(b.lastCpu.children);
                }
            }
        for (qsizetype k = 0; k < probes.size(); ++k)
            say(QStringLiteral("%1: %2 s (rclone CPU %3 s)")
                    .arg(probes[k].label)
                    .arg(median(wall[size_t(k)]), 0, 'f', 3)
                    .arg(median(cpu[size_t(k)]), 0, 'f', 2));
    }

    app.reset();
    server.stop();
    if (b.failures > 0)
        say(QStringLiteral("\n%1 run(s) went wrong").arg(b.failures));
    return b.failures == 0 ? 0 : 1;
}
