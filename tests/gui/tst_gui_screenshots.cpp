// Screenshots of the main window, the freeze preview and the tasks dock (English and French),
// from a demo repository that looks like real research data (sparse files: no disk used).
// Written to $BARICADR_SCREENSHOT_DIR (the `screenshots` target points it at docs/screenshots),
// else to a temporary directory: the test still checks that every grab is a real picture.
#include "demoservice.h"
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
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QUuid>

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

void sparse(const QString &root, const QString &rel, qint64 size)
{
    QVERIFY(writeFile(root, rel, QByteArray()));
    QFile f(root + u'/' + rel);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(size));
}
} // namespace

class TestScreenshots : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp{QDir::tempPath() + QStringLiteral("/data-XXXXXX")};
    QString m_out;
    QString m_genomics, m_imaging, m_backup;

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

    DemoService *makeService()
    {
        auto *s = new DemoService({
            DemoService::Repo{m_genomics, m_backup + QStringLiteral("/genomics"), 180,
                              QStringLiteral("*.tmp , */scratch/*"), true},
            DemoService::Repo{m_imaging, m_backup + QStringLiteral("/imaging"), 90, QString(), true},
        });
        s->stepMs = 3600 * 1000; // tasks stay where injected
        return s;
    }

    void injectTasks(DemoService *s)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        TaskInfo done;
        done.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        done.type = TaskType::Freeze;
        done.path = m_genomics + QStringLiteral("/runs/2022");
        done.repoRoot = m_genomics;
        done.status = TaskStatus::Finished;
        done.created = now.addSecs(-7300);
        done.started = now.addSecs(-7290);
        done.finished = now.addSecs(-7100);
        done.result.files = 312;
        done.result.bytes = 1843 * 1024 * kMiB;
        done.result.affected = {QStringLiteral("runs/2022/a.fastq.gz")};
        s->injectTask(done);
        TaskInfo failed = done;
        failed.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        failed.type = TaskType::Pull;
        failed.path = m_imaging + QStringLiteral("/microscopy/plate-07");
        failed.repoRoot = m_imaging;
        failed.status = TaskStatus::Failed;
        failed.created = now.addSecs(-3600);
        failed.started = now.addSecs(-3590);
        failed.finished = now.addSecs(-3570);
        failed.error =
            QStringLiteral("Cannot reach the remote backup.example.org:22: connection timed out after 10 s");
        failed.result = {};
        s->injectTask(failed);
        TaskInfo running = done;
        running.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        running.type = TaskType::Pull;
        running.path = m_genomics + QStringLiteral("/runs/2024/run-0412");
        running.status = TaskStatus::Pulling;
        running.created = now.addSecs(-95);
        running.started = now.addSecs(-94);
        running.finished = QDateTime();
        running.result = {};
        running.progress.bytes = 2600 * kMiB;
        running.progress.totalBytes = 6100 * kMiB;
        running.progress.files = 3;
        running.progress.totalFiles = 8;
        running.progress.speed = 28 * kMiB;
        running.progress.etaSeconds = 125;
        s->injectTask(running);
        TaskInfo waiting = running;
        waiting.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        waiting.type = TaskType::Freeze;
        waiting.path = m_imaging;
        waiting.repoRoot = m_imaging;
        waiting.status = TaskStatus::Waiting;
        waiting.created = now.addSecs(-20);
        waiting.started = QDateTime();
        waiting.progress = {};
        s->injectTask(waiting);
    }

    void shoot(const QString &suffix)
    {
        DemoService *svc = makeService();
        gui::MainWindow w;
        w.resize(1280, 820);
        w.show();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        w.setSession(new gui::Session(
            gui::Session::Mode::Local, QStringLiteral("/etc/baricadr/repos.yml"), svc,
            std::shared_ptr<void>(svc, [](void *p) { delete static_cast<DemoService *>(p); })));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 30000);
        // Usage figures for the other repo too.
        w.selectRepo(m_imaging);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 2, 30000);
        w.selectRepo(m_genomics);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 3, 30000);
        injectTasks(svc);
        QVERIFY(selectPath(w, QStringLiteral("runs/2024/run-0412/sample_03_R1.fastq.gz")));
        w.treeView()->expand(
            w.browseProxy()->mapFromSource(w.browseModel()->indexForPath(QStringLiteral("results"))));
        w.treeView()->scrollToTop();
        save(&w, QStringLiteral("main-window%1.png").arg(suffix));
        save(w.tasksDock(), QStringLiteral("tasks-dock%1.png").arg(suffix));

        QPointer<gui::FreezePreviewDialog> dlg;
        connect(&w, &gui::MainWindow::freezePreviewShown, this,
                [&](QDialog *d) { dlg = qobject_cast<gui::FreezePreviewDialog *>(d); });
        w.freezeWithPreview(m_genomics);
        QTRY_VERIFY(dlg);
        dlg->resize(960, 720);
        QTest::qWait(50);
        save(dlg, QStringLiteral("freeze-preview%1.png").arg(suffix));
        dlg->reject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("baricadr-shots"));
        QApplication::setFont(QFont(QStringLiteral("DejaVu Sans"), 9));
        m_out = QString::fromLocal8Bit(qgetenv("BARICADR_SCREENSHOT_DIR"));
        static QTemporaryDir fallback;
        if (m_out.isEmpty())
            m_out = fallback.path();
        QDir().mkpath(m_out);

        m_genomics = m_tmp.filePath(QStringLiteral("genomics"));
        m_imaging = m_tmp.filePath(QStringLiteral("imaging"));
        m_backup = m_tmp.filePath(QStringLiteral("backup"));
        const QString gb = m_backup + QStringLiteral("/genomics");
        const QString ib = m_backup + QStringLiteral("/imaging");
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
        sparse(m_genomics, QStringLiteral("results/variants/cohort.vcf.gz"), 3300 * kMiB);
        sparse(m_genomics, QStringLiteral("results/qc/multiqc_report.html"), 4 * kMiB);
        sparse(m_genomics, QStringLiteral("results/scratch/tmp_align.bam"), 900 * kMiB);
        both(m_genomics, gb, QStringLiteral("reference/GRCh38.fa.gz"), 980 * kMiB, 40);
        both(m_genomics, gb, QStringLiteral("reference/GRCh38.fa.gz.fai"), 1 * kMiB, 40);
        both(m_genomics, gb, QStringLiteral("README.md"), 6 * 1024, 1);
        QVERIFY(writeFile(m_genomics, QStringLiteral("runs/2021/run-0410/SampleSheet.csv"),
                          QByteArray(20000, 'x')));
        QVERIFY(setAtimeDaysAgo(m_genomics + QStringLiteral("/runs/2021/run-0410/SampleSheet.csv"), 300));
        sparse(m_genomics, QStringLiteral("pipeline.tmp"), 2 * kMiB);
        // imaging: mostly frozen already.
        for (int p = 1; p <= 8; ++p)
            sparse(ib, QStringLiteral("microscopy/plate-%1/stack.ome.tif").arg(p, 2, 10, QLatin1Char('0')),
                   5200 * kMiB);
        for (int p = 9; p <= 10; ++p)
            both(m_imaging, ib,
                 QStringLiteral("microscopy/plate-%1/stack.ome.tif").arg(p, 2, 10, QLatin1Char('0')),
                 5200 * kMiB, p == 9 ? 200 : 5);
    }

    void english()
    {
        gui::installTranslations(QLocale(QLocale::English));
        shoot(QString());
    }

    void french()
    {
        gui::installTranslations(QLocale(QLocale::French));
        QLocale::setDefault(QLocale(QLocale::French));
        shoot(QStringLiteral("-fr"));
        QLocale::setDefault(QLocale(QLocale::English));
        gui::installTranslations(QLocale(QLocale::English));
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_gui_screenshots.moc"
