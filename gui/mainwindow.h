#pragma once

#include "service/baricadrservice.h"
#include "session.h"
#include "util/result.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QSplitter;
class QStackedWidget;
class QToolButton;
class QTreeView;

namespace baricadr::gui {

class BrowseModel;
class BrowseProxy;
class RepoListModel;
class TasksDock;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Takes ownership; nullptr closes the current session.
    void setSession(Session *session);
    Session *session() const { return m_session; }
    // Opens what QSettings remembers (last configuration or server), if anything.
    void restoreLastSession();
    bool openConfiguration(const QString &path);
    bool connectToServer(const QUrl &url, const QString &user, const QString &password);

    void selectRepo(const QString &root);
    QString currentRepo() const { return m_currentRepo; }
    void refresh();

    // For tests and screenshots.
    BrowseModel *browseModel() const { return m_model; }
    BrowseProxy *browseProxy() const { return m_proxy; }
    QTreeView *treeView() const { return m_tree; }
    QListView *repoView() const { return m_repoView; }
    RepoListModel *repoModel() const { return m_repos; }
    TasksDock *tasksDock() const { return m_tasks; }
    QLabel *errorLabel() const { return m_errorLabel; }
    QString lastError() const { return m_lastError; }
    QAction *pullAction() const { return m_pull; }
    QAction *freezeAction() const { return m_freeze; }
    QAction *pinAction() const { return m_pin; }
    QAction *unpinAction() const { return m_unpin; }
    QAction *refreshAction() const { return m_refresh; }
    QAction *copyPathAction() const { return m_copyPath; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *stateFilter() const { return m_stateFilter; }

    // Freeze flow: plan (service), preview dialog, confirmation, submit. Returns at once.
    void freezeWithPreview(const QString &path);

Q_SIGNALS:
    void sessionChanged();
    void reposLoaded();
    void scanFinished();
    // A freeze preview dialog is open (tests drive it); emitted before it is shown.
    void freezePreviewShown(QDialog *dialog);
    void taskSubmitted(const QString &id);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentral();
    void createStatusBar();
    void loadRepos();
    void loadPins();
    void startScan(const QString &root);
    void updateActions();
    void updateStatus();
    QStringList selectedPaths() const; // absolute
    QString selectedPathOrRepo() const;

    void openConfigurationDialog();
    void connectDialog();
    void pullSelected();
    void freezeSelected();
    void pinSelected(bool pin);
    void openContainingFolder();
    void copyPath();
    void showError(const QString &what, const Error &error);
    void showErrorDetails();
    void onTaskEnded(const TaskInfo &task);
    void notify(const QString &title, const QString &text, bool failure);

    QPointer<Session> m_session;
    QString m_currentRepo;
    QStringList m_expandedBeforeRefresh;

    QStackedWidget *m_stack = nullptr;
    QListView *m_repoView = nullptr;
    RepoListModel *m_repos = nullptr;
    QTreeView *m_tree = nullptr;
    BrowseModel *m_model = nullptr;
    BrowseProxy *m_proxy = nullptr;
    QSplitter *m_split = nullptr;
    TasksDock *m_tasks = nullptr;
    QLabel *m_repoTitle = nullptr;
    QLabel *m_repoSubtitle = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_stateFilter = nullptr;

    QLabel *m_connLabel = nullptr;
    QLabel *m_scanLabel = nullptr;
    QProgressBar *m_scanBusy = nullptr;
    QLabel *m_tasksLabel = nullptr;
    QLabel *m_errorLabel = nullptr;
    QToolButton *m_errorButton = nullptr;
    QString m_lastError, m_lastErrorDetail;

    QAction *m_openConfig = nullptr, *m_connect = nullptr, *m_close = nullptr, *m_quit = nullptr;
    QAction *m_pull = nullptr, *m_freeze = nullptr, *m_pin = nullptr, *m_unpin = nullptr;
    QAction *m_refresh = nullptr, *m_openFolder = nullptr, *m_copyPath = nullptr;
};

} // namespace baricadr::gui
