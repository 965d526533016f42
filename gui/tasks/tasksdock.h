#pragma once

#include "service/baricadrservice.h"

#include <QDockWidget>
#include <QPointer>
#include <QSet>

class QAction;
class QTreeView;
class QTimer;

namespace baricadr::gui {

class TaskModel;

// Live list of tasks with cancel, log, re-run, thaw (undo a finished freeze) and remove.
class TasksDock : public QDockWidget
{
    Q_OBJECT
public:
    explicit TasksDock(QWidget *parent = nullptr);

    void setService(BaricadrService *service); // nullptr: no session
    // For services that do not push taskChanged (a remote server): poll the task list while
    // tasks are unfinished or were just submitted.
    void setPolling(bool on);
    void pollSoon();
    // A task this window submitted: its end is notified even when the first news of it is
    // already final (a quick task seen by polling).
    void watchTask(const QString &id);
    void reload();
    TaskModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    QString selectedId() const;
    void selectTask(const QString &id);

    QAction *cancelAction() const { return m_cancel; }
    QAction *logAction() const { return m_log; }
    QAction *rerunAction() const { return m_rerun; }
    QAction *thawAction() const { return m_thaw; }
    QAction *removeAction() const { return m_remove; }

Q_SIGNALS:
    void taskEnded(const baricadr::TaskInfo &task);
    void taskSubmitted(const QString &id);
    // Running a freeze again goes through the preview like any freeze: the window handles it.
    void freezeRequested(const QString &path);
    void errorOccurred(const QString &what, const baricadr::Error &error);
    void runningCountChanged(int running);

private:
    void updateActions();
    void onTaskChanged(const TaskInfo &task);
    void cancelSelected();
    void showLog();
    void rerun();
    void thaw();
    void removeSelected();

    void poll();

    QPointer<BaricadrService> m_service;
    QTimer *m_pollTimer = nullptr;
    bool m_polling = false;
    bool m_pollInFlight = false;
    int m_idlePolls = 0;
    QSet<QString> m_watched;
    TaskModel *m_model;
    QTreeView *m_view;
    QAction *m_cancel, *m_log, *m_rerun, *m_thaw, *m_remove;
};

} // namespace baricadr::gui
