// Benchmark (not a test): the browser on a repo of N files (default 1,000,000).
//   ninja bench_gui_browse && QT_QPA_PLATFORM=offscreen build/tests/gui/bench_gui_browse [--files N] [--dir
//   D]
// Local side: N real (empty) files walked from disk (100 top-level dirs × 100 subdirs × N/10000
// files; created once and reused). Remote side: the same paths streamed in batches of 2,000 as
// rclone's lsjson would, with 10% of the local files missing remotely and N/10 remote-only files.
// Two rounds: the first scan, then a refresh (the old tree is dropped and everything scanned
// again) that re-opens the 100,000-file remote-only folder at the end, as the window does.
// Prints per round: time to first level, time to complete, longest event-loop stall (wall clock,
// and how much of it the GUI thread spent on the CPU: a stall with little CPU is the machine
// being busy elsewhere, not the window's work), the longest model slice, memory.
#include "browse/reposcan.h"
#include "browser/browsemodel.h"
#include "browser/browseproxy.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QTimer>
#include <QTreeView>

#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

using namespace baricadr;

namespace {
qint64 procStatusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(qstrlen(key)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

QString relPathOf(qint64 i, qint64 perLeaf)
{
    const qint64 leaf = i / perLeaf;
    return QStringLiteral("d%1/s%2/f%3.dat")
        .arg(leaf / 100, 3, 10, QLatin1Char('0'))
        .arg(leaf % 100, 3, 10, QLatin1Char('0'))
        .arg(i % perLeaf);
}

bool createTree(const QString &dir, qint64 files, qint64 perLeaf)
{
    const QString marker = dir + QStringLiteral("/.complete");
    if (QFile::exists(marker))
        return true;
    std::fprintf(stderr, "creating %lld files under %s (once)…\n", files, qPrintable(dir));
    for (qint64 i = 0; i < files; ++i) {
        const QString rel = relPathOf(i, perLeaf);
        if (i % perLeaf == 0)
            QDir().mkpath(dir + u'/' + rel.section(u'/', 0, 1));
        const int fd =
            ::open(QFile::encodeName(dir + u'/' + rel).constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0)
            return false;
        ::close(fd);
    }
    QFile m(marker);
    return m.open(QIODevice::WriteOnly);
}
} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.addOption({QStringLiteral("files"), QStringLiteral("number of local files"), QStringLiteral("n"),
                 QStringLiteral("1000000")});
    p.addOption(
        {QStringLiteral("dir"), QStringLiteral("where the tree is (created once)"), QStringLiteral("dir")});
    p.addHelpOption();
    p.process(app);
    const qint64 n = p.value(QStringLiteral("files")).toLongLong();
    const qint64 perLeaf = std::max<qint64>(1, n / 10000);
    const QString dir = p.isSet(QStringLiteral("dir"))
                            ? p.value(QStringLiteral("dir"))
                            : QDir::tempPath() + QStringLiteral("/baricadr-bench-%1").arg(n);
    if (!createTree(dir, n, perLeaf)) {
        std::fprintf(stderr, "cannot create the tree under %s\n", qPrintable(dir));
        return 1;
    }

    const qint64 rssBefore = procStatusKb("VmRSS:");
    gui::BrowseModel model;
    gui::BrowseProxy proxy;
    proxy.setSourceModel(&model);
    QTreeView view;
    view.setModel(&proxy);
    view.setUniformRowHeights(true);
    view.setSortingEnabled(true); // as MainWindow: by name, folders first
    view.sortByColumn(gui::BrowseModel::NameColumn, Qt::AscendingOrder);
    view.resize(1000, 700);
    view.show();

    // The remote: the same paths, minus every 10th, plus n/10 remote-only, 2,000 per batch, each
    // batch produced on the event loop like RemoteLister's parsed lines.
    auto stream = [n, perLeaf](RepoScan *scan) {
        auto *timer = new QTimer(scan);
        auto next = std::make_shared<qint64>(0);
        const qint64 total = n + n / 10;
        QObject::connect(timer, &QTimer::timeout, scan, [=] {
            QList<RemoteEntry> batch;
            batch.reserve(2000);
            for (int k = 0; k < 2000 && *next < total; ++k, ++*next) {
                const qint64 i = *next;
                if (i < n && i % 10 == 3)
                    continue;
                RemoteEntry e;
                e.relPath = i < n ? relPathOf(i, perLeaf) : QStringLiteral("frozen/f%1.dat").arg(i);
                e.size = 0;
                e.mtimeNs = 1;
                batch.append(e);
            }
            scan->addRemoteBatch(batch);
            if (*next >= total) {
                timer->stop();
                scan->finishRemote(Status());
            }
        });
        timer->start(0);
    };

    struct Round
    {
        qint64 firstLevelMs = -1, doneMs = -1, maxStallMs = 0, stallCpuMs = 0, maxCpuStallMs = 0;
    };
    Round round;
    QElapsedTimer clock;
    QElapsedTimer tick;
    qint64 lastCpu = 0;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 wall = tick.restart() - 5;
        const qint64 cpu = threadCpuMs();
        const qint64 cpuGap = cpu - lastCpu;
        lastCpu = cpu;
        if (wall > round.maxStallMs) {
            round.maxStallMs = wall;
            round.stallCpuMs = cpuGap;
        }
        round.maxCpuStallMs = std::max(round.maxCpuStallMs, std::min(cpuGap, wall));
        if (round.firstLevelMs < 0 && proxy.rowCount() >= 100)
            round.firstLevelMs = clock.elapsed();
    });
    QObject::connect(&proxy, &QAbstractItemModel::rowsInserted, [&](const QModelIndex &parent) {
        if (!parent.isValid() && round.firstLevelMs < 0 && proxy.rowCount() >= 100)
            round.firstLevelMs = clock.elapsed();
    });
    bool reopenFrozen = false;
    QObject::connect(&model, &gui::BrowseModel::scanFinished, [&] {
        round.doneMs = clock.elapsed();
        // As MainWindow: sort what is shown, then re-open the folders open before a refresh.
        proxy.sort(view.header()->sortIndicatorSection(), view.header()->sortIndicatorOrder());
        if (reopenFrozen) {
            const QModelIndex frozen = model.indexForPath(QStringLiteral("frozen"));
            if (model.canFetchMore(frozen))
                model.fetchMore(frozen);
            view.expand(proxy.mapFromSource(frozen));
        }
        // The loop runs on a little so that the probe sees any stall this causes.
        QTimer::singleShot(300, &app, &QCoreApplication::quit);
    });

    BrowsePolicy policy;
    policy.repoRoot = dir;
    const BrowseTree *t = nullptr;
    auto report = [&](const char *title, qint64 rssBeforeKb) {
        const qint64 rssAfter = procStatusKb("VmRSS:");
        const qint64 hwm = procStatusKb("VmHWM:");
        t = model.tree();
        std::printf("%s\n", title);
        std::printf("  tree nodes               %lld files, %lld dirs\n", t->fileCount(), t->dirCount());
        std::printf("  first level shown        %lld ms  (target < 1000)\n", round.firstLevelMs);
        std::printf("  scan complete            %lld ms\n", round.doneMs);
        std::printf(
            "  longest event-loop stall %lld ms wall, GUI thread on CPU %lld ms of it  (target < 100)\n",
            round.maxStallMs, round.stallCpuMs);
        std::printf("  longest on-CPU stall     %lld ms  (model slices at most %lld ms)\n",
                    round.maxCpuStallMs, model.longestSliceMs());
        std::printf(
            "  memory                   RSS %lld MiB -> %lld MiB, peak %lld MiB (%.0f bytes per node)\n",
            rssBeforeKb / 1024, rssAfter / 1024, hwm / 1024,
            double(rssAfter - rssBeforeKb) * 1024.0 / double(t->fileCount() + t->dirCount()));
        std::fflush(stdout);
    };

    std::printf("files (local)              %lld\n", n);
    auto runRound = [&] {
        round = Round();
        clock.start();
        tick.start();
        lastCpu = threadCpuMs();
        probe.start();
        model.setRepo(policy, new RepoScan(dir, RepoScan::RemoteStreamFn(stream)));
        QTimer::singleShot(600000, &app, &QCoreApplication::quit);
        app.exec();
        probe.stop();
    };
    runRound();
    report("first scan", rssBefore);
    if (round.doneMs < 0)
        return 2;

    // A refresh with the big remote-only folder open: the old tree goes, the new one streams in.
    const QModelIndex frozen = proxy.mapFromSource(model.indexForPath(QStringLiteral("frozen")));
    view.expand(frozen);
    QCoreApplication::processEvents();
    std::printf("  expanded frozen/          %d rows\n", proxy.rowCount(frozen));
    reopenFrozen = true;
    const qint64 rssBeforeRefresh = procStatusKb("VmRSS:");
    runRound();
    report("refresh (sorted, then frozen/ re-opened at the end, as MainWindow does)", rssBeforeRefresh);
    std::printf("  frozen/ rows shown        %d\n",
                proxy.rowCount(proxy.mapFromSource(model.indexForPath(QStringLiteral("frozen")))));
    return round.doneMs >= 0 ? 0 : 2;
}
