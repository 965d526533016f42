// The real window in remote mode: File → Connect to server… against a real `baricadr serve`
// process whose repo is backed up on a loopback `rclone serve sftp`. The same checks as the local
// mode (tst_mainwindow): states of the aged original layout, a freeze preview equal to the
// engine's dry run, the freeze confirmed and finished, the tree updated, a remote-only file
// pulled; then the server goes away and the window says so.
#include "enginefixture.h"
#include "freeze/freezepreviewdialog.h"
#include "guitestutil.h"
#include "i18n.h"
#include "tasks/taskmodel.h"
#include "tasks/tasksdock.h"
#include "testenv.h"
#include "testtree.h"

#include <QAction>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace baricadr;
using namespace baricadr::test;

class TestGuiE2e : public QObject
{
    Q_OBJECT

    EngineFixture m_fx;
    RepoSpec m_spec;
    QString m_local, m_remote, m_yml;

    void checkStates(gui::MainWindow &w)
    {
        for (const QString &rel : agedLayoutColdFiles())
            QCOMPARE(stateName(stateOf(w, rel)), QStringLiteral("cold"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subfile.txt"))), QStringLiteral("hot"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("file2.txt"))), QStringLiteral("modified"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("results/new.txt"))), QStringLiteral("local_only"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir2/subsubfile.txt"))),
                 QStringLiteral("remote_only"));
        QCOMPARE(stateName(stateOf(w, QStringLiteral("subdir/subsubdir/poutrelle.xml"))),
                 QStringLiteral("excluded"));
    }

    const TaskInfo *taskOf(gui::MainWindow &w, const QString &id) { return w.tasksDock()->model()->task(id); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("baricadr-e2e"));
        gui::installTranslations(QLocale(QLocale::English));
        QVERIFY(m_fx.start());
        m_fx.resetEngineState();
        m_local = m_fx.path(QStringLiteral("repo"));
        m_remote = m_fx.remoteDir(QStringLiteral("backup"));
        QVERIFY(makeAgedOriginalLayout(m_local, m_remote));
        m_spec = RepoSpec{m_local, QStringLiteral("backup"), QStringLiteral("*.xml , *.tsv"), 180};
        m_yml = m_fx.writeRepos({m_spec});
    }

    void remoteModeAgainstBaricadrServe()
    {
        const QString serve = baricadrExecutable();
        QVERIFY2(QFileInfo::exists(serve), qPrintable(serve + QStringLiteral(" is not built")));
        const Result<FreezeOutcome> dry = dryRunFreeze(m_fx.repoConfig(m_spec));
        QVERIFY2(dry.ok(), qPrintable(dry.ok() ? QString() : dry.error().message));
        const FreezePlan &expected = dry->plan;
        QCOMPARE(qint64(expected.toFreeze.size()), qint64(agedLayoutColdFiles().size()));

        const quint16 port = freeLoopbackPort();
        QTemporaryDir serverData;
        QProcess server;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BARICADR_REPOS_CONF"), m_yml);
        env.insert(QStringLiteral("BARICADR_DATA_DIR"), serverData.path());
        env.insert(QStringLiteral("TASK_LOG_DIR"), serverData.path());
        env.remove(QStringLiteral("DATABASE_URI"));
        server.setProcessEnvironment(env);
        server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        server.start(serve, {QStringLiteral("serve"), QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:%1").arg(port)});
        QVERIFY(server.waitForStarted());
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(port));
        QNetworkAccessManager nam;
        bool up = false;
        for (int i = 0; i < 100 && !up && server.state() == QProcess::Running; ++i) {
            QNetworkReply *r = nam.get(QNetworkRequest(url.resolved(QUrl(QStringLiteral("/version")))));
            QSignalSpy done(r, &QNetworkReply::finished);
            done.wait(2000);
            up = r->error() == QNetworkReply::NoError;
            r->deleteLater();
            if (!up)
                QTest::qWait(100);
        }
        QVERIFY2(up, "baricadr serve did not answer");

        gui::MainWindow w;
        w.show();
        QSignalSpy scanned(&w, &gui::MainWindow::scanFinished);
        QVERIFY2(w.connectToServer(url, QString(), QString()), qPrintable(w.lastError()));
        QVERIFY(w.session()->mode() == gui::Session::Mode::Remote);
        QTRY_VERIFY_WITH_TIMEOUT(scanned.count() >= 1, 60000);
        QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
        QCOMPARE(w.currentRepo(), m_local);
        checkStates(w);

        // Freeze preview through the server: the numbers of the engine's plan.
        QPointer<gui::FreezePreviewDialog> dlg;
        connect(&w, &gui::MainWindow::freezePreviewShown, this,
                [&](QDialog *d) { dlg = qobject_cast<gui::FreezePreviewDialog *>(d); });
        w.treeView()->clearSelection();
        w.freezeAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(dlg || !w.lastError().isEmpty(), 60000);
        QVERIFY2(dlg, qPrintable(w.lastError()));
        QCOMPARE(dlg->shownFrozenFiles(), qint64(expected.toFreeze.size()));
        QCOMPARE(dlg->shownReclaimableBytes(), expected.bytesToFreeze);
        QCOMPARE(dlg->findChild<QTreeWidget *>(QStringLiteral("frozenList"))->topLevelItemCount(),
                 int(expected.toFreeze.size()));
        for (const QString &rel : agedLayoutColdFiles())
            QVERIFY(QFile::exists(m_local + u'/' + rel));

        // Confirmed: the server's task finishes (seen by polling), the tree follows.
        QSignalSpy submitted(&w, &gui::MainWindow::taskSubmitted);
        dlg->freezeButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(submitted.count(), 1, 10000);
        const QString id = submitted.at(0).at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, id) && isFinal(taskOf(w, id)->status), 120000);
        QVERIFY2(taskOf(w, id)->status == TaskStatus::Finished, qPrintable(taskOf(w, id)->error));
        for (const QString &rel : agedLayoutColdFiles())
            QVERIFY2(!QFile::exists(m_local + u'/' + rel), qPrintable(rel));
        QVERIFY(QFile::exists(m_local + QStringLiteral("/subdir/subfile.txt")));
        for (const QString &rel : agedLayoutColdFiles())
            QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, rel)), QStringLiteral("remote_only"), 60000);

        // Pull a remote-only file back through the server.
        const QString rel = QStringLiteral("subdir/subsubdir2/subsubfile.txt");
        QTRY_VERIFY_WITH_TIMEOUT(selectPath(w, rel), 30000);
        QSignalSpy pulled(&w, &gui::MainWindow::taskSubmitted);
        w.pullAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!pulled.isEmpty() || !w.lastError().isEmpty(), 10000);
        QVERIFY2(!pulled.isEmpty(), qPrintable(w.lastError()));
        const QString pullId = pulled.at(0).at(0).toString();
        QTRY_VERIFY_WITH_TIMEOUT(taskOf(w, pullId) && isFinal(taskOf(w, pullId)->status), 120000);
        QVERIFY2(taskOf(w, pullId)->status == TaskStatus::Finished, qPrintable(taskOf(w, pullId)->error));
        QCOMPARE(readFileNoAtime(m_local + u'/' + rel), readFileNoAtime(m_remote + u'/' + rel));
        QTRY_COMPARE_WITH_TIMEOUT(stateName(stateOf(w, rel)), QStringLiteral("hot"), 60000);

        // The server going away is an error in the status bar, not a crash.
        server.terminate();
        QVERIFY(server.waitForFinished(15000));
        w.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastError().isEmpty(), 30000);
        QVERIFY(w.errorLabel()->isVisible());
    }
};

QTEST_MAIN(TestGuiE2e)
#include "tst_gui_e2e.moc"
