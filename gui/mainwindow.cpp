#include "mainwindow.h"

#include "browse/browsetree.h"
#include "browser/browsemodel.h"
#include "browser/browseproxy.h"
#include "browser/repodelegate.h"
#include "browser/repolistmodel.h"
#include "browser/statedelegate.h"
#include "freeze/freezepreviewdialog.h"
#include "futurewatch.h"
#include "session.h"
#include "style.h"
#include "tasks/taskmodel.h"
#include "tasks/tasksdock.h"
#include "util/paths.h"
#include "version.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace baricadr::gui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Baricadr"));
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(themedIcon(QStringLiteral("repo")));
    m_repos = new RepoListModel(this);
    m_model = new BrowseModel(this);
    m_proxy = new BrowseProxy(this);
    m_proxy->setSourceModel(m_model);

    createActions();
    createCentral();
    createMenus();
    createToolBar();
    createStatusBar();

    m_tasks = new TasksDock(this);
    addDockWidget(Qt::BottomDockWidgetArea, m_tasks);
    resizeDocks({m_tasks}, {170}, Qt::Vertical);
    connect(m_tasks, &TasksDock::taskEnded, this, &MainWindow::onTaskEnded);
    connect(m_tasks, &TasksDock::errorOccurred, this, &MainWindow::showError);
    connect(m_tasks, &TasksDock::runningCountChanged, this, &MainWindow::updateStatus);
    connect(m_tasks, &TasksDock::freezeRequested, this, &MainWindow::freezeWithPreview);
    connect(m_tasks, &TasksDock::taskSubmitted, this, &MainWindow::taskSubmitted);
    connect(this, &MainWindow::taskSubmitted, m_tasks, &TasksDock::watchTask);
    menuBar()->actions().at(1)->menu()->addAction(m_tasks->toggleViewAction());

    connect(m_model, &BrowseModel::scanError, this,
            [this](const QString &what, const Error &e) { showError(tr("Scanning the %1").arg(what), e); });
    connect(m_model, &BrowseModel::scanProgress, this, [this](qint64 files, bool localDone, bool remoteDone) {
        if (localDone && remoteDone) {
            m_scanLabel->setText(tr("%n file(s)", nullptr, int(files)));
            m_scanBusy->hide();
        } else {
            m_scanLabel->setText(tr("Scanning… %n file(s) so far (%1)", nullptr, int(files))
                                     .arg(!localDone && !remoteDone ? tr("local and remote")
                                          : localDone               ? tr("remote")
                                                                    : tr("local")));
            m_scanBusy->show();
        }
    });
    connect(m_model, &BrowseModel::scanFinished, this, [this] {
        const BrowseTree *t = m_model->tree();
        if (t) {
            const auto &b = t->root()->dir->bytes;
            m_repos->setUsage(t->policy().repoRoot, QList<qint64>(b.begin(), b.end()));
        }
        // Rows that arrived during the scan were appended: sort what is shown once, then re-open
        // what was open before a refresh (those folders are sorted as they are mapped; sorting
        // after would sort a big folder twice).
        m_proxy->sort(m_tree->header()->sortIndicatorSection(), m_tree->header()->sortIndicatorOrder());
        for (const QString &rel : std::as_const(m_expandedBeforeRefresh)) {
            const QModelIndex src = m_model->indexForPath(rel);
            if (!src.isValid())
                continue;
            // Load its rows now: a view that is about to lay out only records the expansion.
            if (m_model->canFetchMore(src))
                m_model->fetchMore(src);
            m_tree->expand(m_proxy->mapFromSource(src));
        }
        m_expandedBeforeRefresh.clear();
        Q_EMIT scanFinished();
    });

    QSettings s;
    resize(1180, 760);
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_split->restoreState(s.value(QStringLiteral("window/split")).toByteArray());
    setSession(nullptr);
}

MainWindow::~MainWindow()
{
    m_model->clear();
}

void MainWindow::createActions()
{
    m_openConfig = new QAction(themedIcon(QStringLiteral("config")), tr("&Open configuration…"), this);
    m_openConfig->setShortcut(QKeySequence::Open);
    m_openConfig->setToolTip(
        tr("Run the engine in this window from a baricadr.conf or repos.yml (local mode)"));
    connect(m_openConfig, &QAction::triggered, this, &MainWindow::openConfigurationDialog);
    m_connect = new QAction(themedIcon(QStringLiteral("server")), tr("&Connect to server…"), this);
    m_connect->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_connect->setToolTip(tr("Drive a running Baricadr service over its REST API (remote mode)"));
    connect(m_connect, &QAction::triggered, this, &MainWindow::connectDialog);
    m_close = new QAction(tr("C&lose"), this);
    m_close->setShortcut(QKeySequence::Close);
    connect(m_close, &QAction::triggered, this, [this] { setSession(nullptr); });
    m_quit = new QAction(tr("&Quit"), this);
    m_quit->setShortcut(QKeySequence::Quit);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);

    m_pull = new QAction(themedIcon(QStringLiteral("pull")), tr("&Pull"), this);
    m_pull->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    m_pull->setToolTip(tr("Bring the selection back from the remote (local changes are never overwritten)"));
    connect(m_pull, &QAction::triggered, this, &MainWindow::pullSelected);
    m_freeze = new QAction(themedIcon(QStringLiteral("freeze")), tr("&Freeze…"), this);
    m_freeze->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    m_freeze->setToolTip(
        tr("Preview, then delete locally the cold files of the selection that are safe on the remote"));
    connect(m_freeze, &QAction::triggered, this, &MainWindow::freezeSelected);
    m_pin = new QAction(themedIcon(QStringLiteral("pin")), tr("P&in"), this);
    m_pin->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_pin->setToolTip(tr("Never freeze this file or folder"));
    connect(m_pin, &QAction::triggered, this, [this] { pinSelected(true); });
    m_unpin = new QAction(themedIcon(QStringLiteral("unpin")), tr("&Unpin"), this);
    m_unpin->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    connect(m_unpin, &QAction::triggered, this, [this] { pinSelected(false); });
    m_refresh = new QAction(themedIcon(QStringLiteral("refresh")), tr("&Refresh"), this);
    m_refresh->setShortcut(QKeySequence::Refresh);
    connect(m_refresh, &QAction::triggered, this, &MainWindow::refresh);
    m_openFolder =
        new QAction(themedIcon(QStringLiteral("folder-open")), tr("Open containing &folder"), this);
    m_openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_openFolder, &QAction::triggered, this, &MainWindow::openContainingFolder);
    m_copyPath = new QAction(themedIcon(QStringLiteral("copy")), tr("&Copy path"), this);
    m_copyPath->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(m_copyPath, &QAction::triggered, this, &MainWindow::copyPath);
    for (QAction *a : {m_pull, m_freeze, m_pin, m_unpin, m_openFolder, m_copyPath})
        a->setShortcutContext(Qt::WindowShortcut);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openConfig);
    file->addAction(m_connect);
    file->addAction(m_close);
    file->addSeparator();
    file->addAction(m_quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_refresh);
    view->addSeparator();
    QMenu *actions = menuBar()->addMenu(tr("&Actions"));
    actions->addActions({m_pull, m_freeze});
    actions->addSeparator();
    actions->addActions({m_pin, m_unpin});
    actions->addSeparator();
    actions->addActions({m_openFolder, m_copyPath});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Baricadr"), this, [this] {
        QMessageBox::about(this, tr("About Baricadr"),
                           tr("<h3>Baricadr %1</h3><p>Keeps a local data repository hot: pulls files from a "
                              "remote backup on demand and freezes files nobody reads, only once the remote "
                              "holds the same file.</p>")
                               .arg(QStringLiteral(BARICADR_VERSION)));
    });
}

void MainWindow::createToolBar()
{
    QToolBar *tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setMovable(false);
    tb->setIconSize(QSize(20, 20));
    tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tb->addAction(m_openConfig);
    tb->addAction(m_connect);
    tb->addSeparator();
    tb->addActions({m_pull, m_freeze, m_pin, m_unpin});
    tb->addSeparator();
    tb->addAction(m_refresh);
    auto *spacer = new QWidget(tb);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    tb->addWidget(spacer);

    m_filter = new QLineEdit(tb);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("Filter names (*.fastq)…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(220);
    m_filter->setAccessibleName(tr("Name filter"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &BrowseProxy::setNameGlob);
    tb->addWidget(m_filter);
    m_stateFilter = new QComboBox(tb);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->setAccessibleName(tr("State filter"));
    m_stateFilter->addItem(tr("All states"), -1);
    for (FileState s : kAllFileStates)
        m_stateFilter->addItem(StateStyle::icon(int(s)), tr("Only %1").arg(StateStyle::text(int(s))), int(s));
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_proxy->setStateFilter(m_stateFilter->itemData(i).toInt()); });
    tb->addWidget(m_stateFilter);
    auto *filterShortcut = new QAction(this);
    filterShortcut->setShortcut(QKeySequence::Find);
    connect(filterShortcut, &QAction::triggered, m_filter, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    addAction(filterShortcut);
}

void MainWindow::createCentral()
{
    m_stack = new QStackedWidget(this);

    // Welcome page: nothing open yet.
    auto *welcome = new QWidget(m_stack);
    auto *wl = new QVBoxLayout(welcome);
    wl->addStretch();
    auto *wt = new QLabel(tr("<h2>Baricadr</h2><p>Open a repository configuration to run the engine in this "
                             "window,<br>or connect to a running Baricadr service.</p>"),
                          welcome);
    wt->setAlignment(Qt::AlignCenter);
    wl->addWidget(wt);
    auto *wb = new QHBoxLayout;
    wb->addStretch();
    for (QAction *a : {m_openConfig, m_connect}) {
        auto *b = new QToolButton(welcome);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        b->setIconSize(QSize(40, 40));
        b->setMinimumWidth(170);
        wb->addWidget(b);
    }
    wb->addStretch();
    wl->addLayout(wb);
    wl->addStretch();
    m_stack->addWidget(welcome);

    m_split = new QSplitter(Qt::Horizontal, m_stack);
    auto *left = new QWidget(m_split);
    auto *ll = new QVBoxLayout(left);
    ll->setContentsMargins(6, 6, 0, 6);
    auto *reposTitle = new QLabel(tr("<b>Repositories</b>"), left);
    ll->addWidget(reposTitle);
    m_repoView = new QListView(left);
    m_repoView->setObjectName(QStringLiteral("repoView"));
    m_repoView->setModel(m_repos);
    m_repoView->setItemDelegate(new RepoDelegate(m_repoView));
    m_repoView->setAccessibleName(tr("Repositories"));
    m_repoView->setMinimumWidth(240);
    reposTitle->setBuddy(m_repoView);
    ll->addWidget(m_repoView);
    auto *legend = new QLabel(left);
    QStringList rows;
    for (FileState st : kAllFileStates) {
        rows << QStringLiteral("<tr><td><span style='color:%1'>■</span></td><td>%2</td></tr>")
                    .arg(StateStyle::color(int(st)).name(), StateStyle::text(int(st)).toHtmlEscaped());
    }
    legend->setText(QStringLiteral("<table cellspacing=2>") + rows.join(QString()) +
                    QStringLiteral("</table>"));
    legend->setToolTip(tr("Colours of the usage bars"));
    ll->addWidget(legend);
    connect(m_repoView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &cur) {
                if (cur.isValid() && cur.data(RepoListModel::RootRole).toString() != m_currentRepo)
                    startScan(cur.data(RepoListModel::RootRole).toString());
            });

    auto *right = new QWidget(m_split);
    auto *rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 6, 6, 6);
    auto *head = new QHBoxLayout;
    m_repoTitle = new QLabel(right);
    QFont tf = m_repoTitle->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.2);
    tf.setBold(true);
    m_repoTitle->setFont(tf);
    head->addWidget(m_repoTitle);
    m_repoSubtitle = new QLabel(right);
    m_repoSubtitle->setForegroundRole(QPalette::PlaceholderText);
    head->addWidget(m_repoSubtitle, 1);
    rl->addLayout(head);
    m_tree = new QTreeView(right);
    m_tree->setObjectName(QStringLiteral("browseView"));
    m_tree->setModel(m_proxy);
    m_tree->setItemDelegate(new StateDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(BrowseModel::NameColumn, Qt::AscendingOrder);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setAlternatingRowColors(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setAccessibleName(tr("Files of the repository"));
    m_tree->header()->setSectionResizeMode(BrowseModel::NameColumn, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setColumnWidth(BrowseModel::StateColumn, 190);
    m_tree->setColumnWidth(BrowseModel::SizeColumn, 90);
    m_tree->setColumnWidth(BrowseModel::AccessColumn, 100);
    m_tree->setColumnWidth(BrowseModel::ModifiedColumn, 125);
    m_tree->setColumnWidth(BrowseModel::RemoteColumn, 90);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addActions({m_pull, m_freeze});
        menu.addSeparator();
        menu.addActions({m_pin, m_unpin});
        menu.addSeparator();
        menu.addActions({m_openFolder, m_copyPath});
        menu.addSeparator();
        menu.addAction(m_refresh);
        menu.exec(m_tree->viewport()->mapToGlobal(pos));
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    rl->addWidget(m_tree);
    m_split->addWidget(left);
    m_split->addWidget(right);
    m_split->setStretchFactor(1, 1);
    m_split->setSizes({290, 890});
    m_stack->addWidget(m_split);
    setCentralWidget(m_stack);
}

void MainWindow::createStatusBar()
{
    m_connLabel = new QLabel(this);
    m_connLabel->setObjectName(QStringLiteral("connectionLabel"));
    statusBar()->addWidget(m_connLabel);
    m_scanBusy = new QProgressBar(this);
    m_scanBusy->setRange(0, 0);
    m_scanBusy->setMaximumSize(80, 12);
    m_scanBusy->hide();
    statusBar()->addWidget(m_scanBusy);
    m_scanLabel = new QLabel(this);
    statusBar()->addWidget(m_scanLabel);
    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c92a2a;"));
    statusBar()->addPermanentWidget(m_errorLabel);
    m_errorButton = new QToolButton(this);
    m_errorButton->setText(tr("Details…"));
    m_errorButton->setIcon(themedIcon(QStringLiteral("error")));
    m_errorButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_errorButton->setAutoRaise(true);
    m_errorButton->hide();
    connect(m_errorButton, &QToolButton::clicked, this, &MainWindow::showErrorDetails);
    statusBar()->addPermanentWidget(m_errorButton);
    m_tasksLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_tasksLabel);
}

void MainWindow::setSession(Session *session)
{
    m_model->clear();
    m_repos->setRepos({});
    m_currentRepo.clear();
    if (m_session && m_session != session)
        m_session->deleteLater();
    m_session = session;
    m_tasks->setService(session ? session->service() : nullptr);
    // A server does not push task changes: poll it while tasks run.
    m_tasks->setPolling(session && session->mode() == Session::Mode::Remote);
    m_stack->setCurrentIndex(session ? 1 : 0);
    m_repoTitle->clear();
    m_repoSubtitle->clear();
    m_scanLabel->clear();
    if (session) {
        session->setParent(this);
        QSettings s;
        if (session->mode() == Session::Mode::Local)
            setWindowTitle(tr("Baricadr — %1").arg(session->description()));
        else
            setWindowTitle(tr("Baricadr — %1").arg(session->description()));
        loadRepos();
        Q_UNUSED(s);
    } else {
        setWindowTitle(tr("Baricadr"));
    }
    updateStatus();
    updateActions();
    Q_EMIT sessionChanged();
}

void MainWindow::restoreLastSession()
{
    QSettings s;
    const QString mode = s.value(QStringLiteral("session/mode")).toString();
    if (mode == u"local") {
        const QString path = s.value(QStringLiteral("session/config")).toString();
        if (!path.isEmpty())
            openConfiguration(path);
    } else if (mode == u"remote") {
        const QUrl url(s.value(QStringLiteral("session/server")).toString());
        const QString user = s.value(QStringLiteral("session/user")).toString();
        // The password is never stored: without credentials, connect directly; otherwise ask.
        if (user.isEmpty())
            connectToServer(url, QString(), QString());
    }
}

bool MainWindow::openConfiguration(const QString &path)
{
    Result<Session *> r = Session::openLocal(path, this);
    if (!r.ok()) {
        showError(tr("Opening %1").arg(path), r.error());
        return false;
    }
    QSettings s;
    s.setValue(QStringLiteral("session/mode"), QStringLiteral("local"));
    s.setValue(QStringLiteral("session/config"), path);
    setSession(r.value());
    return true;
}

bool MainWindow::connectToServer(const QUrl &url, const QString &user, const QString &password)
{
    Result<Session *> r = Session::openRemote(url, user, password, this);
    if (!r.ok()) {
        showError(tr("Connecting to %1").arg(url.toDisplayString()), r.error());
        return false;
    }
    QSettings s;
    s.setValue(QStringLiteral("session/mode"), QStringLiteral("remote"));
    s.setValue(QStringLiteral("session/server"), url.toString());
    s.setValue(QStringLiteral("session/user"), user);
    setSession(r.value());
    return true;
}

void MainWindow::openConfigurationDialog()
{
    QSettings s;
    const QString last =
        s.value(QStringLiteral("session/config"), QStringLiteral("/etc/baricadr/baricadr.conf")).toString();
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open configuration"), QFileInfo(last).absolutePath(),
                                     tr("Baricadr configuration (*.conf *.ini *.yml *.yaml);;All files (*)"));
    if (!path.isEmpty())
        openConfiguration(path);
}

void MainWindow::connectDialog()
{
    QSettings s;
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Connect to server"));
    auto *form = new QFormLayout(&dlg);
    auto *url = new QLineEdit(
        s.value(QStringLiteral("session/server"), QStringLiteral("http://127.0.0.1:9100")).toString(), &dlg);
    auto *user = new QLineEdit(s.value(QStringLiteral("session/user")).toString(), &dlg);
    auto *pass = new QLineEdit(&dlg);
    pass->setEchoMode(QLineEdit::Password);
    user->setPlaceholderText(tr("optional"));
    pass->setPlaceholderText(tr("optional, never stored"));
    form->addRow(tr("Server &URL:"), url);
    form->addRow(tr("&User:"), user);
    form->addRow(tr("&Password:"), pass);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    connect(buttons, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    form->addRow(buttons);
    if (dlg.exec() == QDialog::Accepted)
        connectToServer(QUrl::fromUserInput(url->text().trimmed()), user->text().trimmed(), pass->text());
}

void MainWindow::loadRepos()
{
    if (!m_session)
        return;
    m_connLabel->setText(tr("Loading repositories…"));
    onResult(m_session->service()->repos(), this, [this](const Result<QList<RepoInfo>> &r) {
        if (!r.ok()) {
            showError(tr("Loading the repositories"), r.error());
            updateStatus();
            return;
        }
        m_repos->setRepos(r.value());
        updateStatus();
        Q_EMIT reposLoaded();
        QSettings s;
        const QString last = s.value(QStringLiteral("session/repo")).toString();
        const int row = std::max(0, m_repos->rowOf(last));
        if (m_repos->rowCount() > 0)
            m_repoView->setCurrentIndex(m_repos->index(row));
    });
}

void MainWindow::selectRepo(const QString &root)
{
    const int row = m_repos->rowOf(root);
    if (row >= 0)
        m_repoView->setCurrentIndex(m_repos->index(row));
}

void MainWindow::startScan(const QString &root)
{
    if (!m_session)
        return;
    const int row = m_repos->rowOf(root);
    const RepoInfo *info = m_repos->repo(row);
    if (!info)
        return;
    m_currentRepo = root;
    QSettings().setValue(QStringLiteral("session/repo"), root);
    m_repoTitle->setText(root);
    m_repoSubtitle->setText(m_repos->index(row).data(RepoListModel::SubtitleRole).toString());
    RepoScan *scan = m_session->createScan(root);
    m_model->setRepo(RepoListModel::policyFor(*info), scan);
    loadPins();
    updateActions();
}

void MainWindow::loadPins()
{
    if (!m_session)
        return;
    const QString root = m_currentRepo;
    onResult(m_session->service()->pins(), this, [this, root](const Result<QList<Pin>> &r) {
        if (!r.ok()) {
            showError(tr("Loading the pins"), r.error());
            return;
        }
        if (root != m_currentRepo)
            return;
        QStringList rel;
        for (const Pin &p : r.value()) {
            if (paths::contains(root, p.path))
                rel << paths::relative(root, p.path);
        }
        m_model->setPins(rel);
        updateActions();
    });
}

void MainWindow::refresh()
{
    if (!m_session)
        return;
    if (m_currentRepo.isEmpty()) {
        loadRepos();
        return;
    }
    // Remember the open folders, so the refreshed tree opens the same ones.
    m_expandedBeforeRefresh.clear();
    std::function<void(const QModelIndex &)> collect = [&](const QModelIndex &parent) {
        for (int r = 0; r < m_proxy->rowCount(parent); ++r) {
            const QModelIndex i = m_proxy->index(r, 0, parent);
            if (m_tree->isExpanded(i)) {
                m_expandedBeforeRefresh << i.data(BrowseModel::RelPathRole).toString();
                collect(i);
            }
        }
    };
    collect(QModelIndex());
    startScan(m_currentRepo);
}

QStringList MainWindow::selectedPaths() const
{
    QStringList out;
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows(0);
    for (const QModelIndex &i : rows)
        out << m_model->absolutePath(m_proxy->mapToSource(i));
    return out;
}

QString MainWindow::selectedPathOrRepo() const
{
    const QStringList sel = selectedPaths();
    return sel.isEmpty() ? m_currentRepo : sel.first();
}

void MainWindow::updateActions()
{
    const bool have = m_session && !m_currentRepo.isEmpty();
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows(0);
    bool anyPinnedHere = false, anyUnpinned = false;
    for (const QModelIndex &i : rows) {
        const BrowseNode *n = m_model->nodeAt(m_proxy->mapToSource(i));
        if (n && n->isPinnedHere())
            anyPinnedHere = true;
        else
            anyUnpinned = true;
    }
    m_pull->setEnabled(have);
    m_freeze->setEnabled(have && rows.size() <= 1);
    m_pin->setEnabled(have && anyUnpinned);
    m_unpin->setEnabled(have && anyPinnedHere);
    m_refresh->setEnabled(m_session);
    m_copyPath->setEnabled(have && !rows.isEmpty());
    m_openFolder->setEnabled(have && !rows.isEmpty() && !m_session->localRootFor(m_currentRepo).isEmpty());
    m_close->setEnabled(m_session);
}

void MainWindow::updateStatus()
{
    if (!m_session) {
        m_connLabel->setPixmap(QPixmap());
        m_connLabel->setText(tr("Not connected — open a configuration or connect to a server."));
    } else {
        const QString mode = m_session->mode() == Session::Mode::Local ? tr("Local engine") : tr("Server");
        m_connLabel->setText(tr("%1: %2 · %n repositor(y|ies)", nullptr, m_repos->rowCount())
                                 .arg(mode, m_session->description()));
    }
    const int running = m_tasks ? m_tasks->model()->runningCount() : 0;
    m_tasksLabel->setText(running ? tr("%n task(s) running", nullptr, running) : tr("No task running"));
}

void MainWindow::pullSelected()
{
    if (!m_session)
        return;
    QStringList paths = selectedPaths();
    if (paths.isEmpty())
        paths << m_currentRepo;
    for (const QString &p : std::as_const(paths)) {
        onResult(m_session->service()->submitPull(PullRequest{p, QString(), false}), this,
                 [this, p](const Result<QString> &r) {
                     if (!r.ok()) {
                         showError(tr("Pulling %1").arg(p), r.error());
                         return;
                     }
                     statusBar()->showMessage(tr("Pull of %1 queued.").arg(p), 5000);
                     Q_EMIT taskSubmitted(r.value());
                 });
    }
}

void MainWindow::freezeSelected()
{
    freezeWithPreview(selectedPathOrRepo());
}

void MainWindow::freezeWithPreview(const QString &path)
{
    if (!m_session || path.isEmpty())
        return;
    statusBar()->showMessage(tr("Planning the freeze of %1…").arg(path));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    FreezeRequest req;
    req.path = path;
    req.dryRun = true;
    int freezeAge = 180;
    for (int i = 0; i < m_repos->rowCount(); ++i) {
        const RepoInfo *r = m_repos->repo(i);
        if (paths::contains(r->root, path))
            freezeAge = RepoListModel::policyFor(*r).freezeAgeDays;
    }
    onResult(
        m_session->service()->previewFreeze(req), this, [this, path, freezeAge](const Result<FreezePlan> &r) {
            QApplication::restoreOverrideCursor();
            statusBar()->clearMessage();
            if (!r.ok()) {
                showError(tr("Planning the freeze of %1").arg(path), r.error());
                return;
            }
            auto *dlg = new FreezePreviewDialog(path, r.value(), freezeAge, this);
            dlg->setAttribute(Qt::WA_DeleteOnClose);
            connect(dlg, &QDialog::accepted, this, [this, path] {
                if (!m_session)
                    return;
                onResult(m_session->service()->submitFreeze(FreezeRequest{path, QString(), false, false}),
                         this, [this, path](const Result<QString> &sr) {
                             if (!sr.ok()) {
                                 showError(tr("Freezing %1").arg(path), sr.error());
                                 return;
                             }
                             statusBar()->showMessage(tr("Freeze of %1 queued.").arg(path), 5000);
                             Q_EMIT taskSubmitted(sr.value());
                         });
            });
            Q_EMIT freezePreviewShown(dlg);
            dlg->open();
        });
}

void MainWindow::pinSelected(bool pin)
{
    if (!m_session)
        return;
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows(0);
    for (const QModelIndex &i : rows) {
        const BrowseNode *n = m_model->nodeAt(m_proxy->mapToSource(i));
        if (!n || n->isPinnedHere() == pin)
            continue;
        const QString p = m_model->absolutePath(m_proxy->mapToSource(i));
        auto fut = pin ? m_session->service()->addPin(p, tr("pinned from the desktop app"))
                       : m_session->service()->removePin(p);
        onResult(fut, this, [this, p, pin](const Status &st) {
            if (!st.ok()) {
                showError(pin ? tr("Pinning %1").arg(p) : tr("Unpinning %1").arg(p), st.error());
                return;
            }
            loadPins();
        });
    }
}

void MainWindow::openContainingFolder()
{
    const QStringList sel = selectedPaths();
    if (sel.isEmpty())
        return;
    const QFileInfo fi(sel.first());
    const QString dir = fi.isDir() ? fi.absoluteFilePath() : fi.absolutePath();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(dir)))
        showError(tr("Opening %1").arg(dir),
                  Error(ErrorCode::Io, tr("No file manager could open this folder.")));
}

void MainWindow::copyPath()
{
    const QStringList sel = selectedPaths();
    if (sel.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(sel.join(u'\n'));
    statusBar()->showMessage(tr("Copied %n path(s).", nullptr, int(sel.size())), 3000);
}

void MainWindow::showError(const QString &what, const Error &error)
{
    m_lastError = tr("%1 failed: %2").arg(what, error.message.section(u'\n', 0, 0));
    m_lastErrorDetail = tr("%1 failed.\n\n%2").arg(what, error.message);
    m_errorLabel->setText(QFontMetrics(m_errorLabel->font()).elidedText(m_lastError, Qt::ElideRight, 520));
    m_errorLabel->setToolTip(m_lastError);
    m_errorButton->show();
}

void MainWindow::showErrorDetails()
{
    QMessageBox box(QMessageBox::Warning, tr("Baricadr"), m_lastError, QMessageBox::Close, this);
    box.setDetailedText(m_lastErrorDetail);
    QPushButton *clear = box.addButton(tr("Dismiss"), QMessageBox::AcceptRole);
    box.exec();
    if (box.clickedButton() == clear) {
        m_errorLabel->clear();
        m_errorButton->hide();
        m_lastError.clear();
    }
}

void MainWindow::onTaskEnded(const TaskInfo &task)
{
    const QString what = TaskModel::typeText(task.type);
    if (task.status == TaskStatus::Failed)
        notify(tr("%1 failed").arg(what), tr("%1\n%2").arg(task.path, task.error), true);
    else if (task.status == TaskStatus::Finished)
        notify(tr("%1 finished").arg(what), tr("%1\n%2").arg(task.path, TaskModel::progressText(task)),
               false);
    else
        notify(tr("%1 cancelled").arg(what), task.path, false);
    // The tree is stale under the task's path: rescan the repo it touched.
    if (!m_currentRepo.isEmpty() && paths::contains(m_currentRepo, task.path) && !task.options.dryRun)
        refresh();
}

void MainWindow::notify(const QString &title, const QString &text, bool failure)
{
    statusBar()->showMessage(title + QStringLiteral(": ") + text.section(u'\n', 0, 0), 8000);
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        static QSystemTrayIcon *tray = nullptr;
        if (!tray) {
            tray = new QSystemTrayIcon(themedIcon(QStringLiteral("repo")), qApp);
            tray->show();
        }
        tray->showMessage(title, text, failure ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information,
                          8000);
    }
    if (failure)
        QApplication::alert(this);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/split"), m_split->saveState());
    QMainWindow::closeEvent(event);
}

} // namespace baricadr::gui
