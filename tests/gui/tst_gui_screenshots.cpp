// Screenshots of the main window, the freeze preview and the tasks dock, taken on the real
// engine (local mode, a repos.yml opened like File → Open configuration) with the repos backed up
// on a loopback `rclone serve sftp`, from demo data that looks like a lab's (sparse files: no
// disk used). The tasks shown are real: a finished freeze, a pull that failed because the server
// went away, a pull running (the server is throttled) and a freeze waiting for the worker.
// Written to $BARICADR_SCREENSHOT_DIR (the `screenshots` target points it at docs/screenshots),
// else to a temporary directory: the test still checks that every grab is a real picture.
#include "enginefixture.h"
#include "freeze/freezepreviewdialog.h"
#include "guitestutil.h"
#include "i18n.h"
#include "session.h"
#include "tasks/taskmodel.h"
#include "tasks/tasksdock.h"
#include "testtree.h"

#include <QApplication>
#include <QImage>
#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace baricadr;
using namespace baricadr::test;

namespace {
constexpr qint64 kMiB = 1024 * 1024;

// A file of `size` bytes on both sides (sparse), last read `atimeDays` ago.
void both(const QString &local, const QString &remote, const QString &rel, qint64 size, double atimeDays)
{
    for (const QString &root : {local, remote}) {
        QVERIFY(writeFile(root, rel, QByteArray()));
        QFile f(root + u'/' + rel);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(size));
        f.close();
        QVERIFY(setTimes(root + u'/' + rel, 1.65e9, 1.65e9));
    }
    QVERIFY(setAtimeDaysAgo(local + u'/' + rel, atimeDays));
}

void sparse(const QString &root, const QString &rel, qint64 size, double atimeDays = 0)
{
    QVERIFY(writeFile(root, rel, QByteArray()));
    QFile f(root + u'/' + rel);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(size));
    f.close();
    if (atimeDays > 0)
        QVERIFY(setAtimeDaysAgo(root + u'/' + rel, atimeDays));
}
} // namespace

class TestScreenshots : public QObject
{
    Q_OBJECT
    EngineFixture m_fx{QDir::tempPath() + QStringLiteral("/lab-XXXXXX")};
    QString m_out;
    QString m_genomics, m_imaging, m_yml;

    void save(QWidget *w, const QString &name)
    {
        QApplication::processEvents();
        const QImage img = w->grab().toImage();
        QVERIFY(!img.isNull());
        QVERIFY(img.width() > 300 && img.height() > 100);
        // Not a blank picture: some pixels differ from the first one.
        int differing = 0;
        const QRgb first = img.pixel(0, 0);
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7)
                differing += img.pixel(x, y) != first;
        QVERIFY(differing > 100);
        QVERIFY(img.save(m_out + u'/' + name));
    }

    QString submit(gui::MainWindow &w, QFuture<Result<QString>> future)
    {
        future.waitForFinished();
        const Result<QString> r = future.result();
        if (!r.ok()) {
            qWarning().noquote() << "submit:" << r.error().message;
            return QString();
        }
        w.tasksDock()->watchTask(r.value());
        return r.value();
    }

    const TaskInfo *taskOf(gui::MainWindow &w, const QString &id) { return w.tasksDock()->model()->task(id); }

    void shoot()
    {
        gui::MainWindow w;
        w.resize(1280, 820);
        w.show();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        QVERIFY2(w.openConfiguration(m_yml), qPrintable(w.lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 60000);
        // Usage figures for the other repo too.
        w.selectRepo(m_imaging);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 2, 60000);
        w.selectRepo(m_genomics);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 3, 60000);
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        BaricadrService *service = w.session()->service();

        // A finished freeze of one old sequencing run.
        FreezeRequest freeze;
        freeze.path = m_genomics + QStringLiteral("/runs/2021/run-0409");
        const QString frozen = submit(w, service->submitFreeze(freeze));
        QVERIFY(!frozen.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, frozen) && isFinal(taskOf(w, frozen)->status), 120000);
        QVERIFY2(taskOf(w, frozen)->status == TaskStatus::Finished, qPrintable(taskOf(w, frozen)->error));
        // The window rescans the repo after the freeze: let that end before the server goes down.
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 4, 60000);

        // A pull that fails: the backup server is down.
        m_fx.server().kill();
        PullRequest pull;
        pull.path = m_imaging + QStringLiteral("/microscopy/plate-07");
        const QString failed = submit(w, service->submitPull(pull));
        QVERIFY(!failed.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, failed) && isFinal(taskOf(w, failed)->status), 180000);
        QCOMPARE(int(taskOf(w, failed)->status), int(TaskStatus::Failed));
        QVERIFY(m_fx.server().restart());

        // A pull running (the server is throttled), and a freeze waiting for the only worker.
        pull.path = m_imaging + QStringLiteral("/microscopy/plate-01");
        const QString running = submit(w, service->submitPull(pull));
        QVERIFY(!running.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, running) && (isFinal(taskOf(w, running)->status) ||
                                                        taskOf(w, running)->progress.bytes > 40 * kMiB),
                                 120000);
        QVERIFY2(!isFinal(taskOf(w, running)->status), qPrintable(taskOf(w, running)->error));
        freeze.path = m_imaging + QStringLiteral("/microscopy");
        const QString waiting = submit(w, service->submitFreeze(freeze));
        QVERIFY(!waiting.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, waiting), 30000);
        QCOMPARE(int(taskOf(w, waiting)->status), int(TaskStatus::Waiting));
        QTRY_VERIFY_WITH_TIMEOUT(!w.browseModel()->isScanning(), 60000);
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));

        QVERIFY(selectPath(w, QStringLiteral("runs/2024/run-0412/sample_03_R1.fastq.gz")));
        w.treeView()->expand(
            w.browseProxy()->mapFromSource(w.browseModel()->indexForPath(QStringLiteral("results"))));
        w.treeView()->scrollToTop();
        w.tasksDock()->selectTask(QString());
        // The status bar shows the session, not the notification of the failed pull.
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().isEmpty(), 15000);
        QTest::qWait(300);
        save(&w, QStringLiteral("main-window.png"));
        save(w.tasksDock(), QStringLiteral("tasks-dock.png"));

        QPointer<gui::FreezePreviewDialog> dlg;
        connect(&w, &gui::MainWindow::freezePreviewShown, this,
                [&](QDialog *d) { dlg = qobject_cast<gui::FreezePreviewDialog *>(d); });
        w.freezeWithPreview(m_genomics);
        QTRY_VERIFY_WITH_TIMEOUT(dlg, 60000);
        QVERIFY(dlg->shownFrozenFiles() > 0);
        dlg->resize(1100, 760);
        QTest::qWait(100);
        save(dlg, QStringLiteral("freeze-preview.png"));
        dlg->reject();
        // Closing the window shuts the engine down: the running pull is cancelled.
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("baricadr-shots"));
        QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 9));
        gui::installTranslations(QLocale(QLocale::English));
        m_out = QString::fromLocal8Bit(qgetenv("BARICADR_SCREENSHOT_DIR"));
        static QTemporaryDir fallback;
        if (m_out.isEmpty())
            m_out = fallback.path();
        QDir().mkpath(m_out);

        // The server is throttled so that a pull is still running when the window is shot.
        SftpServer::Options options;
        options.bwlimit = QStringLiteral("10M");
        QVERIFY(m_fx.start(options));
        m_fx.resetEngineState();
        qputenv("WORKERS", "1");

        m_genomics = m_fx.path(QStringLiteral("genomics"));
        m_imaging = m_fx.path(QStringLiteral("imaging"));
        const QString gb = m_fx.remoteDir(QStringLiteral("genomics"));
        const QString ib = m_fx.remoteDir(QStringLiteral("imaging"));
        // genomics: old sequencing runs (cold), a recent one (hot), results not backed up yet,
        // runs frozen earlier (remote only), a modified sample sheet, scratch files (excluded).
        for (int run = 0; run < 4; ++run) {
            const QString year = run < 3 ? QStringLiteral("2021") : QStringLiteral("2024");
            const QString dir =
                QStringLiteral("runs/%1/run-%2").arg(year).arg(409 + run, 4, 10, QLatin1Char('0'));
            for (int s = 1; s <= 4; ++s) {
                for (const char *r : {"R1", "R2"}) {
                    const QString rel = QStringLiteral("%1/sample_%2_%3.fastq.gz")
                                            .arg(dir)
                                            .arg(s, 2, 10, QLatin1Char('0'))
                                            .arg(QLatin1String(r));
                    both(m_genomics, gb, rel, (700 + 97 * s + 31 * run) * kMiB,
                         run < 3 ? 420 + 30 * run : 12);
                }
            }
            both(m_genomics, gb, dir + QStringLiteral("/SampleSheet.csv"), 14 * 1024, run < 3 ? 400 : 2);
        }
        for (int s = 1; s <= 6; ++s)
            sparse(gb,
                   QStringLiteral("runs/2020/run-0377/sample_%1_R1.fastq.gz").arg(s, 2, 10, QLatin1Char('0')),
                   1200 * kMiB);
        sparse(m_genomics, QStringLiteral("results/variants/cohort.vcf.gz"), 3300 * kMiB, 6);
        sparse(m_genomics, QStringLiteral("results/qc/multiqc_report.html"), 4 * kMiB, 6);
        sparse(m_genomics, QStringLiteral("results/scratch/tmp_align.bam"), 900 * kMiB, 9);
        both(m_genomics, gb, QStringLiteral("reference/GRCh38.fa.gz"), 980 * kMiB, 40);
        both(m_genomics, gb, QStringLiteral("reference/GRCh38.fa.gz.fai"), 1 * kMiB, 40);
        both(m_genomics, gb, QStringLiteral("README.md"), 6 * 1024, 1);
        QVERIFY(writeFile(m_genomics, QStringLiteral("runs/2021/run-0410/SampleSheet.csv"),
                          QByteArray(20000, 'x')));
        QVERIFY(setAtimeDaysAgo(m_genomics + QStringLiteral("/runs/2021/run-0410/SampleSheet.csv"), 300));
        sparse(m_genomics, QStringLiteral("pipeline.tmp"), 2 * kMiB, 3);
        // imaging: mostly frozen already.
        for (int p = 1; p <= 8; ++p)
            sparse(ib, QStringLiteral("microscopy/plate-%1/stack.ome.tif").arg(p, 2, 10, QLatin1Char('0')),
                   5200 * kMiB);
        for (int p = 9; p <= 10; ++p)
            both(m_imaging, ib,
                 QStringLiteral("microscopy/plate-%1/stack.ome.tif").arg(p, 2, 10, QLatin1Char('0')),
                 5200 * kMiB, p == 9 ? 200 : 5);
        m_yml = m_fx.writeRepos(
            {RepoSpec{m_genomics, QStringLiteral("genomics"), QStringLiteral("*.tmp , */scratch/*"), 180},
             RepoSpec{m_imaging, QStringLiteral("imaging"), QString(), 90}});
    }

    void cleanupTestCase() { qunsetenv("WORKERS"); }

    void screenshots() { shoot(); }
};

QTEST_MAIN(TestScreenshots)
#include "tst_gui_screenshots.moc"
