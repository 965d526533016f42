// The real window on the real engine, local mode: File → Open configuration of a repos.yml whose
// repo is backed up on a loopback `rclone serve sftp`, the original test layout with aged files.
// Models checked with QAbstractItemModelTester; states of the layout; the freeze preview shows
// what a FreezeJob dry run plans; confirm, the task finishes, the files are gone and the tree
// says so; thaw; pull of a remote-only file; cancel of a long pull while bytes are moving (no
// partial file left); French; errors in plain words.
#include "browser/browseproxy.h"
#include "browser/repolistmodel.h"
#include "enginefixture.h"
#include "freeze/freezepreviewdialog.h"
#include "guitestutil.h"
#include "i18n.h"
#include "pull/puller.h"
#include "session.h"
#include "style.h"
#include "tasks/taskmodel.h"
#include "tasks/tasksdock.h"
#include "testenv.h"
#include "testtree.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace baricadr;
using namespace baricadr::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

    EngineFixture m_fx;
    RepoSpec m_spec;
    QString m_local, m_remote, m_yml;
    int m_round = 0;

    // Opens the configuration in `w` and waits for the first scan to end.
    bool open(gui::MainWindow &w, const QString &yml)
    {
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        if (!w.openConfiguration(yml)) {
            qWarning().noquote() << "openConfiguration:" << w.lastError();
            return false;
        }
        return scanned.count() >= 1 || scanned.wait(60000);
    }

    const TaskInfo *taskOf(gui::MainWindow &w, const QString &id) { return w.tasksDock()->model()->task(id); }

    // Files (not directories) under `dir`, recursively, relative to it.
    static QStringList filesUnder(const QString &dir)
    {
        QStringList out;
        QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            out << QDir(dir).relativeFilePath(it.next());
        out.sort();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("baricadr-test"));
        QVERIFY(gui::installTranslations(QLocale(QLocale::English)).startsWith(u"en"));
        QVERIFY(m_fx.start());
    }

    void init()
    {
        // A fresh engine, repo and backup for each test (a new backup directory: the server's
        // 1 s listing cache never shows a previous test's files).
        m_fx.resetEngineState();
        ++m_round;
        m_local = m_fx.path(QStringLiteral("repo%1").arg(m_round));
        const QString sub = QStringLiteral("backup%1").arg(m_round);
        m_remote = m_fx.remoteDir(sub);
        QVERIFY(makeAgedOriginalLayout(m_local, m_remote));
        m_spec = RepoSpec{m_local, sub, QStringLiteral("*.xml , *.tsv"), 180};
        m_yml = m_fx.writeRepos({m_spec});
        // The server caches directory listings for 1 s (--dir-cache-time 1s): let the listing of
        // its root that a previous test read expire, so that the new backup directory is served.
        QTest::qWait(1200);
    }

    void statesOfTheOriginalLayout()
    {
        gui::MainWindow w;
        new QAbstractItemModelTester(w.browseModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     &w);
        new QAbstractItemModelTester(w.browseProxy(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     &w);
        new QAbstractItemModelTester(w.repoModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     &w);
        new QAbstractItemModelTester(w.tasksDock()->model(),
                                     QAbstractItemModelTester::FailureReportingMode::QtTest, &w);
        w.show();
        QVERIFY2(open(w, m_yml), qPrintable(w.lastError()));
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QCOMPARE(w.currentRepo(), m_local);

        QCOMPARE(stateName(stateOf(w, QStringLiteral("file.txt"))), QStringLiteral("cold"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subfile.txt"))), QStringLiteral("hot"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("file2.txt"))), QStringLiteral("modified"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("results/new.txt"))), QStringLiteral("local_only"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir2/subsubfile.txt"))),
                 QStringLiteral("remote_only"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir/poutrelle.tsv"))),
                 QStringLiteral("excluded"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir2/poutrelle.xml"))),
                 QStringLiteral("excluded"));
        for (const QString &rel : agedLayoutColdFiles())
            QCOMPARE(stateName(stateOf(w, rel)), QStringLiteral("cold"));

        // The first level is shown, files never have children, folders aggregate their files.
        QAbstractItemModel *m = w.treeView()->model();
        QVERIFY(m->rowCount() >= 4);
        QStringList names;
        for (int r = 0; r < m->rowCount(); ++r)
            names << m->index(r, 0).data().toString();
        QCOMPARE(names.first(), QStringLiteral("results")); // folders first, then by name
        QVERIFY(names.contains(QStringLiteral("file.txt")));
        const QModelIndex file = m->index(int(names.indexOf(QStringLiteral("file.txt"))), 0);
        QVERIFY(file.flags() & Qt::ItemNeverHasChildren);
        QCOMPARE(file.siblingAtColumn(gui::BrowseModel::AccessColumn).data().toString(),
                 QStringLiteral("400 days"));
        QCOMPARE(file.siblingAtColumn(gui::BrowseModel::StateColumn).data().toString(),
                 QStringLiteral("cold"));
        QCOMPARE(file.siblingAtColumn(gui::BrowseModel::RemoteColumn).data().toString(),
                 QStringLiteral("yes"));
        const BrowseNode *subdir = w.browseModel()->tree()->find(QStringLiteral("subdir"));
        QCOMPARE(subdir->dir->files[int(FileState::Excluded)], 3);
        QCOMPARE(subdir->dir->files[int(FileState::RemoteOnly)], 1);
        QCOMPARE(subdir->dir->files[int(FileState::Hot)], 1);
        QCOMPARE(subdir->dir->files[int(FileState::Cold)], 2);

        // The repo list got the scan's figures: usage bar buckets in bytes.
        const QList<qint64> usage =
            w.repoModel()->index(0).data(gui::RepoListModel::UsageRole).value<QList<qint64>>();
        QCOMPARE(usage.value(int(FileState::LocalOnly)), qint64(QByteArray("not backed up\n").size()));
        qint64 coldBytes = 0;
        for (const QString &rel : agedLayoutColdFiles())
            coldBytes += QFileInfo(m_local + u'/' + rel).size();
        QCOMPARE(usage.value(int(FileState::Cold)), coldBytes);
        QCOMPARE(usage.value(int(FileState::RemoteOnly)),
                 QFileInfo(m_remote + QStringLiteral("/subdir/subsubdir2/subsubfile.txt")).size());

        // Filters: only cold files; a name glob.
        w.stateFilter()->setCurrentIndex(w.stateFilter()->findData(int(FileState::Cold)));
        for (int r = 0; r < m->rowCount(); ++r) {
            const QModelIndex i = m->index(r, 0);
            if (!i.data(gui::BrowseModel::IsDirRole).toBool())
                QCOMPARE(i.data(gui::BrowseModel::StateRole).toInt(), int(FileState::Cold));
            else
                QVERIFY(i.data().toString() != u"results"); // holds no cold file
        }
        w.stateFilter()->setCurrentIndex(0);
        w.filterEdit()->setText(QStringLiteral("file2*"));
        int files = 0;
        for (int r = 0; r < m->rowCount(); ++r)
            files += m->index(r, 0).data(gui::BrowseModel::IsDirRole).toBool() ? 0 : 1;
        QCOMPARE(files, 1);
        w.filterEdit()->clear();

        // Sorting by size puts the biggest file last in ascending order (folders stay first).
        w.treeView()->sortByColumn(gui::BrowseModel::SizeColumn, Qt::AscendingOrder);
        QString lastFile;
        for (int r = 0; r < m->rowCount(); ++r) {
            if (!m->index(r, 0).data(gui::BrowseModel::IsDirRole).toBool())
                lastFile = m->index(r, 0).data().toString();
        }
        QCOMPARE(lastFile, QStringLiteral("file2.txt"));

        // Copy path.
        QVERIFY(selectPath(w, QStringLiteral("subdir/subfile.txt")));
        w.copyPathAction()->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), m_local + QStringLiteral("/subdir/subfile.txt"));

        // Pin through the engine: the pin mark shows, the engine lists the pin, unpin removes it.
        QVERIFY(selectPath(w, QStringLiteral("file.txt")));
        QVERIFY(w.pinAction()->isEnabled());
        w.pinAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.browseModel()
                                     ->indexForPath(QStringLiteral("file.txt"))
                                     .data(gui::BrowseModel::PinnedRole)
                                     .toBool(),
                                 10000);
        {
            auto pins = w.session()->service()->pins();
            pins.waitForFinished();
            QVERIFY(pins.result().ok());
            QCOMPARE(pins.result()->size(), 1);
            QCOMPARE(pins.result()->first().path, m_local + QStringLiteral("/file.txt"));
        }
        QVERIFY(selectPath(w, QStringLiteral("file.txt")));
        QTRY_VERIFY(w.unpinAction()->isEnabled());
        w.unpinAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!w.browseModel()
                                      ->indexForPath(QStringLiteral("file.txt"))
                                      .data(gui::BrowseModel::PinnedRole)
                                      .toBool(),
                                 10000);
    }

    void freezePreviewMatchesPlanThenTreeUpdates()
    {
        // What the engine's own freeze job would do, computed apart from the window.
        const Result<FreezeOutcome> dry = dryRunFreeze(m_fx.repoConfig(m_spec));
        QVERIFY2(dry.ok(), qPrintable(dry.ok() ? QString() : dry.error().message));
        const FreezePlan &expected = dry->plan;
        QStringList expectedFiles;
        for (const FreezeCandidate &c : expected.toFreeze)
            expectedFiles << c.local.relPath;
        expectedFiles.sort();
        QStringList cold = agedLayoutColdFiles();
        cold.sort();
        QCOMPARE(expectedFiles, cold);

        gui::MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        QVERIFY2(open(w, m_yml), qPrintable(w.lastError()));

        QPointer<gui::FreezePreviewDialog> dlg;
        connect(&w, &gui::MainWindow::freezePreviewShown, this,
                [&](QDialog *d) { dlg = qobject_cast<gui::FreezePreviewDialog *>(d); });
        w.treeView()->clearSelection();
        w.freezeAction()->trigger(); // nothing selected: the whole repo
        QTRY_VERIFY_WITH_TIMEOUT(dlg || !w.lastError().isEmpty(), 60000);
        QVERIFY2(dlg, qPrintable(w.lastError()));
        QCOMPARE(dlg->shownReclaimableBytes(), expected.bytesToFreeze);
        QCOMPARE(dlg->shownFrozenFiles(), qint64(expected.toFreeze.size()));
        auto *frozenList = dlg->findChild<QTreeWidget *>(QStringLiteral("frozenList"));
        QStringList shownFiles;
        for (int i = 0; i < frozenList->topLevelItemCount(); ++i)
            shownFiles << frozenList->topLevelItem(i)->text(0);
        shownFiles.sort();
        QCOMPARE(shownFiles, expectedFiles);
        QVERIFY(dlg->findChild<QLabel *>(QStringLiteral("summary"))
                    ->text()
                    .contains(QString::number(expected.toFreeze.size())));
        // Kept files, grouped by reason, as many per reason as the plan keeps.
        auto *keptList = dlg->findChild<QTreeWidget *>(QStringLiteral("keptList"));
        QMap<int, int> shownKept;
        for (int i = 0; i < keptList->topLevelItemCount(); ++i)
            shownKept[keptList->topLevelItem(i)->data(0, Qt::UserRole).toInt()] =
                keptList->topLevelItem(i)->childCount();
        QMap<int, int> expectedKept;
        for (const auto &[reason, count] : expected.keptCounts) {
            if (count > 0)
                expectedKept[int(reason)] = int(count);
        }
        QCOMPARE(shownKept, expectedKept);
        QCOMPARE(shownKept.value(int(KeepReason::Excluded)), 3);
        QCOMPARE(shownKept.value(int(KeepReason::RecentlyAccessed)), 1);
        QCOMPARE(shownKept.value(int(KeepReason::NotOnRemote)), 1);
        QVERIFY(!dlg->freezeButton()->isDefault()); // Enter cancels

        // Nothing deleted before confirmation.
        for (const QString &rel : agedLayoutColdFiles())
            QVERIFY(QFile::exists(m_local + u'/' + rel));
        QSignalSpy submitted(&w, &gui::MainWindow::taskSubmitted);
        dlg->freezeButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(submitted.count(), 1, 10000);
        const QString id = submitted.at(0).at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, id) && isFinal(taskOf(w, id)->status), 120000);
        QVERIFY2(taskOf(w, id)->status == TaskStatus::Finished, qPrintable(taskOf(w, id)->error));
        QCOMPARE(gui::TaskModel::statusText(taskOf(w, id)->status), QStringLiteral("finished"));
        for (const QString &rel : agedLayoutColdFiles())
            QVERIFY2(!QFile::exists(m_local + u'/' + rel), qPrintable(rel));
        QVERIFY(QFile::exists(m_local + QStringLiteral("/subdir/subfile.txt"))); // hot: kept
        QVERIFY(QFile::exists(m_local + QStringLiteral("/file2.txt")));          // modified: kept
        QVERIFY(QFile::exists(m_local + QStringLiteral("/results/new.txt")));    // not backed up: kept
        QVERIFY(QFile::exists(m_remote + QStringLiteral("/file.txt")));          // the remote untouched
        // The window rescans after the task: the frozen files are now remote-only.
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 2, 60000);
        for (const QString &rel : agedLayoutColdFiles())
            QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, rel)), QStringLiteral("remote_only"), 30000);
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subfile.txt"))), QStringLiteral("hot"));
        QTRY_COMPARE_WITH_TIMEOUT(w.repoModel()
                                      ->index(0)
                                      .data(gui::RepoListModel::UsageRole)
                                      .value<QList<qint64>>()
                                      .value(int(FileState::Cold)),
                                  qint64(0), 30000);

        // Thaw is offered on the finished freeze, and pulls exactly those files back.
        w.tasksDock()->selectTask(id);
        QVERIFY(w.tasksDock()->thawAction()->isEnabled());
        QSignalSpy thawSubmitted(w.tasksDock(), &gui::TasksDock::taskSubmitted);
        w.tasksDock()->thawAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(thawSubmitted.count(), 1, 10000);
        const QString thawId = thawSubmitted.at(0).at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, thawId) && isFinal(taskOf(w, thawId)->status), 120000);
        QVERIFY2(taskOf(w, thawId)->status == TaskStatus::Finished, qPrintable(taskOf(w, thawId)->error));
        for (const QString &rel : agedLayoutColdFiles())
            QVERIFY2(QFile::exists(m_local + u'/' + rel), qPrintable(rel));
        QVERIFY(!QFile::exists(m_local + QStringLiteral("/subdir/subsubdir2/subsubfile.txt"))); // not its
        for (const QString &rel : agedLayoutColdFiles())
            QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, rel)), QStringLiteral("hot"), 30000);
    }

    void pullRemoteOnlyFile()
    {
        gui::MainWindow w;
        w.show();
        QVERIFY2(open(w, m_yml), qPrintable(w.lastError()));
        const QString rel = QStringLiteral("subdir/subsubdir2/subsubfile.txt");
        QCOMPARE(stateName(stateOf(w, rel)), QStringLiteral("remote_only"));
        QVERIFY(selectPath(w, rel));
        QVERIFY(w.pullAction()->isEnabled());
        QSignalSpy submitted(&w, &gui::MainWindow::taskSubmitted);
        w.pullAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!submitted.isEmpty() || !w.lastError().isEmpty(), 10000);
        QVERIFY2(!submitted.isEmpty(), qPrintable(w.lastError()));
        const QString id = submitted.at(0).at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, id) && isFinal(taskOf(w, id)->status), 120000);
        QVERIFY2(taskOf(w, id)->status == TaskStatus::Finished, qPrintable(taskOf(w, id)->error));
        QCOMPARE(readFileNoAtime(m_local + u'/' + rel), readFileNoAtime(m_remote + u'/' + rel));
        QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, rel)), QStringLiteral("hot"), 30000);
        // Only that file came back.
        QCOMPARE(stateName(stateOf(w, QStringLiteral("file.txt"))), QStringLiteral("cold"));
    }

    void cancelLongPullDuringTransfer()
    {
        // A 1 GiB remote-only file (sparse on the server's disk) served at 8 MB/s by a second
        // server over the same backup: the pull runs long enough to be cancelled mid-transfer.
        constexpr qint64 kBig = 1024LL * 1024 * 1024;
        QVERIFY(writeFile(m_remote, QStringLiteral("big/blob.bin"), QByteArray()));
        {
            QFile f(m_remote + QStringLiteral("/big/blob.bin"));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(kBig));
        }
        SftpServer::Options slowOptions;
        slowOptions.bwlimit = QStringLiteral("8M");
        SftpServer slow(m_fx.server().root(), slowOptions);
        QVERIFY(slow.start());
        const QString yml = m_fx.writeRepos({m_spec}, QStringLiteral("repos-slow.yml"), slow.port());

        gui::MainWindow w;
        w.show();
        QVERIFY2(open(w, yml), qPrintable(w.lastError()));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("big/blob.bin"))), QStringLiteral("remote_only"));
        QVERIFY(selectPath(w, QStringLiteral("big")));
        QSignalSpy submitted(&w, &gui::MainWindow::taskSubmitted);
        w.pullAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(submitted.count() == 1 || !w.lastError().isEmpty(), 10000);
        QVERIFY2(!submitted.isEmpty(), qPrintable(w.lastError()));
        const QString id = submitted.at(0).at(0).toString();
        w.tasksDock()->selectTask(id);

        // Cancel once the dock shows bytes moving (the transfer, not the listing, is running).
        QTRY_VERIFY_WITH_TIMEOUT(
            taskOf(w, id) && (isFinal(taskOf(w, id)->status) || taskOf(w, id)->progress.bytes > 0), 60000);
        QVERIFY2(!isFinal(taskOf(w, id)->status), qPrintable(taskOf(w, id)->error));
        const qint64 movedBeforeCancel = taskOf(w, id)->progress.bytes;
        QVERIFY(movedBeforeCancel > 0 && movedBeforeCancel < kBig);
        QVERIFY(gui::TaskModel::progressText(*taskOf(w, id)).contains(u" of ")); // "x MiB of 1 GiB"
        QVERIFY(w.tasksDock()->cancelAction()->isEnabled());
        w.tasksDock()->cancelAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(isFinal(taskOf(w, id)->status), 30000);
        QCOMPARE(gui::TaskModel::statusText(taskOf(w, id)->status), QStringLiteral("cancelled"));
        QVERIFY(!w.tasksDock()->cancelAction()->isEnabled());

        // No partial file: not under its name, not in the staging area.
        QVERIFY(!QFileInfo::exists(m_local + QStringLiteral("/big/blob.bin")));
        const QString staging = m_local + u'/' + Puller::kStagingDirName.toString();
        QTRY_COMPARE_WITH_TIMEOUT(filesUnder(staging), QStringList(), 10000);
        // The tree still shows it remote-only, and the rest of the repo is untouched.
        QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, QStringLiteral("big/blob.bin"))),
                                  QStringLiteral("remote_only"), 30000);
        QCOMPARE(stateName(stateOf(w, QStringLiteral("file.txt"))), QStringLiteral("cold"));
    }

    void frenchIsCompleteAndUsed()
    {
        QFile ts(sourceDir() + QStringLiteral("/translations/baricadr_fr.ts"));
        QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
        const QByteArray text = ts.readAll();
        QVERIFY(text.count("<message") > 150);
        QCOMPARE(text.count("type=\"unfinished\""), 0);
        QCOMPARE(text.count("type=\"vanished\""), 0);

        QCOMPARE(gui::installTranslations(QLocale(QLocale::French)), QStringLiteral("fr_FR"));
        {
            gui::MainWindow w;
            QCOMPARE(w.pullAction()->text(), QStringLiteral("&Rapatrier"));
            QCOMPARE(w.browseModel()->headerData(gui::BrowseModel::AccessColumn, Qt::Horizontal).toString(),
                     QStringLiteral("Dernier accès"));
            QCOMPARE(gui::Format::days(412), QStringLiteral("412 jours"));
            // And on real data: states read in French.
            w.show();
            QVERIFY2(open(w, m_yml), qPrintable(w.lastError()));
            const QModelIndex file = w.browseModel()->indexForPath(QStringLiteral("file.txt"));
            QCOMPARE(file.siblingAtColumn(gui::BrowseModel::StateColumn).data().toString(),
                     gui::StateStyle::text(int(FileState::Cold)));
            QVERIFY(gui::StateStyle::text(int(FileState::Cold)) != u"cold");
        }
        gui::installTranslations(QLocale(QLocale::English));
        QCOMPARE(gui::Format::days(1), QStringLiteral("1 day"));
    }

    void nameOrderIsNatural()
    {
        QVERIFY(gui::BrowseProxy::compareNames(u"run-2", u"run-10") < 0);
        QVERIFY(gui::BrowseProxy::compareNames(u"sample_09", u"sample_10") < 0);
        QVERIFY(gui::BrowseProxy::compareNames(u"Beta", u"alpha") > 0);
        QVERIFY(gui::BrowseProxy::compareNames(u"a.txt", u"A.txt") != 0); // a fixed order, never "equal"
        QCOMPARE(gui::BrowseProxy::compareNames(u"a.txt", u"A.txt"),
                 -gui::BrowseProxy::compareNames(u"A.txt", u"a.txt"));
        QCOMPARE(gui::BrowseProxy::compareNames(u"x", u"x"), 0);
    }

    void errorsAreShownNotFatal()
    {
        gui::MainWindow w;
        w.show();
        QVERIFY(!w.openConfiguration(QStringLiteral("/nonexistent/baricadr.conf")));
        QVERIFY(w.lastError().contains(QStringLiteral("/nonexistent/baricadr.conf")));
        QVERIFY(!w.connectToServer(QUrl(QStringLiteral("ftp://nowhere")), QString(), QString()));
        QVERIFY(w.lastError().contains(QStringLiteral("ftp://nowhere")));

        // A repos.yml that is not valid: refused in plain words, naming the file.
        const QString bad = m_fx.path(QStringLiteral("bad-repos.yml"));
        QVERIFY(writeFile(m_fx.path(QString()), QStringLiteral("bad-repos.yml"), "/data:\n  backend: [\n"));
        QVERIFY(!w.openConfiguration(bad));
        QVERIFY2(w.lastError().contains(QStringLiteral("bad-repos.yml")), qPrintable(w.lastError()));

        // The remote is down (nothing listens on the port): the scan reports it, the files are
        // shown as not backed up rather than hidden, the window stays usable.
        const QString yml = m_fx.writeRepos({m_spec}, QStringLiteral("repos-down.yml"), freeLoopbackPort());
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        QVERIFY2(w.openConfiguration(yml), qPrintable(w.lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastError().isEmpty(), 60000);
        QVERIFY2(w.lastError().contains(QStringLiteral("remote"), Qt::CaseInsensitive),
                 qPrintable(w.lastError()));
        QVERIFY(w.errorLabel()->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, QStringLiteral("file.txt"))),
                                  QStringLiteral("local_only"), 60000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
