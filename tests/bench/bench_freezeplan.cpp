// Freeze-planning benchmark: one dry-run FreezeJob over a generated repo against a remote,
// printing wall time and peak RSS (this process, and the largest rclone child).
//
//   bench_freezeplan sftp LOCAL_ROOT REMOTE_PREFIX     (BENCH_SFTP_PORT, BENCH_SFTP_USER,
//                                                      BENCH_SFTP_PASS in the environment)
//   bench_freezeplan local LOCAL_ROOT REMOTE_DIR
//   bench_freezeplan scan LOCAL_ROOT -               (LocalScanner alone, to compare with find)
// BENCH_LOOKUP=perfile|dirs|listing forces how the candidates are checked on the remote
// (per-file lookups, listings of the directories holding them, one listing of the whole
// remote); unset: FreezeJob's own choice. BENCH_CHUNK=N: candidates per planning chunk
// (FreezeJobRequest::planChunkCandidates).
// Run by tests/bench/freeze_planning.sh, which also measures the floor and prints ratios.
#include "freeze/freezejob.h"
#include "scan/localscanner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <limits>

#include <sys/resource.h>

using namespace baricadr;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4 || (args[1] != u"sftp" && args[1] != u"local" && args[1] != u"scan")) {
        QTextStream(stderr) << "usage: bench_freezeplan sftp|local|scan LOCAL_ROOT REMOTE\n";
        return 2;
    }
    if (args[1] == u"scan") {
        QElapsedTimer t;
        t.start();
        qint64 n = 0;
        const ScanSummary s = LocalScanner::scan(
            {args[2], {}, false, 4096}, [&n](std::vector<LocalEntry> &&b) { n += qint64(b.size()); });
        rusage self{};
        getrusage(RUSAGE_SELF, &self);
        QTextStream(stdout) << "scanned " << n << " entries in " << s.directories << " dirs, "
                            << s.errors.size() << " errors\nRESULT wall_s="
                            << QString::number(double(t.nsecsElapsed()) / 1e9, 'f', 3)
                            << " rss_mib=" << self.ru_maxrss / 1024 << " child_rss_mib=0\n";
        return 0;
    }
    RepoConfig repo;
    repo.root = args[2];
    repo.freezable = true;
    repo.freezeAge = 180;
    if (args[1] == u"sftp") {
        repo.backend = Backend::Sftp;
        repo.host = QStringLiteral("127.0.0.1");
        repo.port = qEnvironmentVariableIntValue("BENCH_SFTP_PORT");
        repo.user = qEnvironmentVariable("BENCH_SFTP_USER");
        repo.password = qEnvironmentVariable("BENCH_SFTP_PASS");
        repo.remotePrefix = args[3];
    } else {
        repo.backend = Backend::Local;
        repo.localPath = args[3];
    }

    FreezeJobRequest req;
    req.repo = repo;
    req.dryRun = true;
    req.taskId = QStringLiteral("bench");
    const QString lookup = qEnvironmentVariable("BENCH_LOOKUP");
    if (lookup == u"perfile" || lookup == u"dirs") {
        req.listingMinCandidates = std::numeric_limits<int>::max();
        req.lookup =
            lookup == u"dirs" ? RemoteLister::Lookup::ListDirectories : RemoteLister::Lookup::PerFile;
    } else if (lookup == u"listing") {
        req.listingMinCandidates = 0;
        req.listingMinFraction = 0;
    } else if (!lookup.isEmpty()) {
        QTextStream(stderr) << "BENCH_LOOKUP must be perfile, dirs or listing\n";
        return 2;
    }
    // As the task runner asks (FreezeRunner): every file goes to the log as it is decided, the
    // plan keeps counts only.
    req.planListCap = 0;
    if (const int chunk = qEnvironmentVariableIntValue("BENCH_CHUNK"); chunk > 0)
        req.planChunkCandidates = chunk;
    FreezeJob job(req);
    QElapsedTimer timer;
    qint64 planned = 0;
    QObject::connect(&job, &FreezeJob::filePlanned, &app, [&planned](const FreezeCandidate &) { ++planned; });
    // Phases: when each of the job's log lines came.
    QObject::connect(&job, &FreezeJob::logMessage, &app, [&timer](const QString &level, const QString &m) {
        QTextStream(stdout) << "  [" << QString::number(double(timer.nsecsElapsed()) / 1e9, 'f', 3) << " s] "
                            << level << ": " << m << "\n";
    });
    int rc = 1;
    QObject::connect(&job, &FreezeJob::finished, &app, [&](const Result<FreezeOutcome> &r) {
        const double wall = double(timer.nsecsElapsed()) / 1e9;
        rusage self{}, children{};
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        QTextStream out(stdout);
        if (!r.ok()) {
            out << "FAILED: " << r.error().message << "\n";
        } else {
            const FreezeOutcome &o = r.value();
            out << "scanned " << o.scanned << " files, would freeze " << o.files << " (" << o.bytes << " B; "
                << planned << " announced), kept " << o.keptFiles << "\n";
            for (const auto &[reason, n] : o.keptByReason)
                out << "  kept " << toString(reason) << ": " << n << "\n";
            out << "RESULT wall_s=" << QString::number(wall, 'f', 3) << " rss_mib=" << self.ru_maxrss / 1024
                << " child_rss_mib=" << children.ru_maxrss / 1024 << "\n";
            rc = 0;
        }
        app.quit();
    });
    QTimer::singleShot(0, &app, [&] {
        timer.start();
        job.start();
    });
    app.exec();
    return rc;
}
