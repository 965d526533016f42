// The window driven against DemoService (directories standing for the remote): models checked
// with QAbstractItemModelTester, states of the original layout, freeze preview numbers equal to
// planFreeze, confirm, task finished, tree updated; pull of a remote-only file; cancel; errors.
#include "browser/browseproxy.h"
#include "browser/repolistmodel.h"
#include "demoservice.h"
#include "freeze/freezepreviewdialog.h"
#include "guitestutil.h"
#include "i18n.h"
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
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace baricadr;
using namespace baricadr::test;

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_local, m_remote;

    void makeRepo()
    {
        m_local = m_dir.filePath(QStringLiteral("repo"));
        m_remote = m_dir.filePath(QStringLiteral("backup"));
        QDir(m_local).removeRecursively();
        QDir(m_remote).removeRecursively();
        QVERIFY(createOriginalLayout(m_remote));
        QVERIFY(createOriginalLayout(m_local));
        // Backups keep mtimes: make the remote copies as old as the local ones.
        for (const QString &rel : originalLayoutFiles()) {
            QVERIFY(setTimes(m_remote + u'/' + rel, 1.6e9, 1.6e9));
            QVERIFY(setTimes(m_local + u'/' + rel, 1.6e9, 1.6e9));
        }
        QVERIFY(ageTree(m_local, 400));                                               // all cold…
        QVERIFY(setAtimeDaysAgo(m_local + QStringLiteral("/subdir/subfile.txt"), 3)); // …but one hot
        QVERIFY(writeFile(m_local, QStringLiteral("file2.txt"), "changed locally, longer\n")); // modified
        QVERIFY(setAtimeDaysAgo(m_local + QStringLiteral("/file2.txt"), 400));
        QVERIFY(writeFile(m_local, QStringLiteral("results/new.txt"), "not backed up\n"));     // local only
        QVERIFY(QFile::remove(m_local + QStringLiteral("/subdir/subsubdir2/subsubfile.txt"))); // remote only
    }

    DemoService *service(int stepMs = 30)
    {
        auto *s = new DemoService(
            {DemoService::Repo{m_local, m_remote, 180, QStringLiteral("*.xml , *.tsv"), true}});
        s->stepMs = stepMs;
        return s;
    }

    static gui::Session *session(DemoService *s)
    {
        return new gui::Session(
            gui::Session::Mode::Local, QStringLiteral("demo"), s,
            std::shared_ptr<void>(s, [](void *p) { delete static_cast<DemoService *>(p); }));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("baricadr-test"));
        QVERIFY(gui::installTranslations(QLocale(QLocale::English)).startsWith(u"en"));
    }

    void init() { makeRepo(); }

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
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        w.setSession(session(service()));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 20000);
        QCOMPARE(w.currentRepo(), m_local);

        QCOMPARE(stateName(stateOf(w, QStringLiteral("file.txt"))), QStringLiteral("cold"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subfile.txt"))), QStringLiteral("hot"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("file2.txt"))), QStringLiteral("modified"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("results/new.txt"))), QStringLiteral("local_only"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir2/subsubfile.txt"))),
                 QStringLiteral("remote_only"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir/poutrelle.tsv"))),
                 QStringLiteral("excluded"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file"))),
                 QStringLiteral("cold"));

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
        const BrowseNode *subdir = w.browseModel()->tree()->find(QStringLiteral("subdir"));
        QCOMPARE(subdir->dir->files[int(FileState::Excluded)], 3);
        QCOMPARE(subdir->dir->files[int(FileState::RemoteOnly)], 1);
        QCOMPARE(subdir->dir->files[int(FileState::Hot)], 1);

        // The repo list got the scan's figures.
        const QList<qint64> usage =
            w.repoModel()->index(0).data(gui::RepoListModel::UsageRole).value<QList<qint64>>();
        QCOMPARE(usage.value(int(FileState::LocalOnly)), qint64(QByteArray("not backed up\n").size()));

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
    }

    void freezePreviewMatchesPlanThenTreeUpdates()
    {
        gui::MainWindow w;
        w.show();
        DemoService *svc = service();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        w.setSession(session(svc));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 20000);

        const Result<FreezePlan> expected = svc->plan(m_local);
        QVERIFY(expected.ok());
        QVERIFY(expected->toFreeze.size() >= 2);

        QPointer<gui::FreezePreviewDialog> dlg;
        connect(&w, &gui::MainWindow::freezePreviewShown, this,
                [&](QDialog *d) { dlg = qobject_cast<gui::FreezePreviewDialog *>(d); });
        w.treeView()->clearSelection();
        w.freezeAction()->trigger(); // nothing selected: the whole repo
        QTRY_VERIFY(dlg);
        QCOMPARE(dlg->shownReclaimableBytes(), expected->bytesToFreeze);
        QCOMPARE(dlg->shownFrozenFiles(), qint64(expected->toFreeze.size()));
        QCOMPARE(dlg->findChild<QTreeWidget *>(QStringLiteral("frozenList"))->topLevelItemCount(),
                 int(expected->toFreeze.size()));
        QVERIFY(dlg->findChild<QLabel *>(QStringLiteral("summary"))
                    ->text()
                    .contains(QString::number(expected->toFreeze.size())));
        QVERIFY(!dlg->freezeButton()->isDefault()); // Enter cancels

        // Nothing deleted before confirmation.
        QVERIFY(QFile::exists(m_local + QStringLiteral("/file.txt")));
        QSignalSpy submitted(&w, &gui::MainWindow::taskSubmitted);
        dlg->freezeButton()->click();
        QTRY_COMPARE(submitted.count(), 1);
        const QString id = submitted.at(0).at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(w.tasksDock()->model()->task(id) &&
                                     w.tasksDock()->model()->task(id)->status == TaskStatus::Finished,
                                 20000);
        QVERIFY(!QFile::exists(m_local + QStringLiteral("/file.txt")));
        QVERIFY(QFile::exists(m_local + QStringLiteral("/subdir/subfile.txt"))); // hot: kept
        QVERIFY(QFile::exists(m_local + QStringLiteral("/file2.txt")));          // modified: kept
        // The window rescans after the task: the frozen file is now remote-only.
        QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, QStringLiteral("file.txt"))),
                                  QStringLiteral("remote_only"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 2, 20000);

        // Thaw is offered on the finished freeze, and pulls the file back.
        w.tasksDock()->selectTask(id);
        QVERIFY(w.tasksDock()->thawAction()->isEnabled());
        w.tasksDock()->thawAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(m_local + QStringLiteral("/file.txt")), 20000);
    }

    void pullRemoteOnlyFile()
    {
        gui::MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        w.setSession(session(service()));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 20000);
        const QString rel = QStringLiteral("subdir/subsubdir2/subsubfile.txt");
        QCOMPARE(stateName(stateOf(w, rel)), QStringLiteral("remote_only"));
        QVERIFY(selectPath(w, rel));
        QVERIFY(w.pullAction()->isEnabled());
        w.pullAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, rel)), QStringLiteral("hot"), 20000);
        QVERIFY(QFile::exists(m_local + u'/' + rel));
    }

    void cancelLongPull()
    {
        gui::MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        DemoService *svc = service(5000);
        w.setSession(session(svc));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 20000);
        QSignalSpy submitted(&w, &gui::MainWindow::taskSubmitted);
        w.treeView()->clearSelection();
        w.pullAction()->trigger();
        QTRY_COMPARE(submitted.count(), 1);
        const QString id = submitted.at(0).at(0).toString();
        w.tasksDock()->selectTask(id);
        QTRY_VERIFY(w.tasksDock()->cancelAction()->isEnabled());
        w.tasksDock()->cancelAction()->trigger();
        QTRY_COMPARE(int(w.tasksDock()->model()->task(id)->status), int(TaskStatus::Cancelled));
        QVERIFY(!QFile::exists(m_local + QStringLiteral("/subdir/subsubdir2/subsubfile.txt")));
        QVERIFY(!w.tasksDock()->cancelAction()->isEnabled());
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
        }
        gui::installTranslations(QLocale(QLocale::English));
        QCOMPARE(gui::Format::days(1), QStringLiteral("1 day"));
    }

    void errorsAreShownNotFatal()
    {
        gui::MainWindow w;
        w.show();
        QVERIFY(!w.openConfiguration(QStringLiteral("/nonexistent/baricadr.conf")));
        QVERIFY(w.lastError().contains(QStringLiteral("/nonexistent/baricadr.conf")));
        QVERIFY(!w.connectToServer(QUrl(QStringLiteral("ftp://nowhere")), QString(), QString()));
        QVERIFY(w.lastError().contains(QStringLiteral("ftp://nowhere")));

        DemoService *svc = service();
        svc->failListingOf = m_local;
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        w.setSession(session(svc));
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 20000);
        QVERIFY2(w.lastError().contains(QStringLiteral("connection refused")), qPrintable(w.lastError()));
        QVERIFY(w.errorLabel()->isVisible());
        // Without the remote, files are shown as not backed up rather than hidden.
        QCOMPARE(stateName(stateOf(w, QStringLiteral("file.txt"))), QStringLiteral("local_only"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
