#include "tasks/tasksdock.h"

#include "futurewatch.h"
#include "style.h"
#include "tasks/taskmodel.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLocale>
#include <QPainter>
#include <QPlainTextEdit>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace baricadr::gui {

namespace {
// A short progress bar (with the percentage) followed by the bytes/files/ETA text, so that the
// text is never cut by the bar's frame.
class ProgressDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const double frac = index.data(TaskModel::ProgressFractionRole).toDouble();
        const auto status = TaskStatus(index.data(TaskModel::StatusRole).toInt());
        if (frac < 0 || status == TaskStatus::Finished || status == TaskStatus::Waiting) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        QStyle *style = option.widget ? option.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, option.widget);

        const int barWidth = std::min(90, option.rect.width() / 3);
        QStyleOptionProgressBar bar;
        bar.rect = QRect(option.rect.left() + 2, option.rect.top() + 2, barWidth, option.rect.height() - 4);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(frac * 1000);
        // Whole percents, but a decimal below 10 % so that a long transfer shows it moves.
        const double percent = frac * 100;
        bar.text = TasksDock::tr("%1 %").arg(QLocale().toString(percent, 'f', percent < 10 ? 1 : 0));
        bar.textVisible = true;
        bar.textAlignment = Qt::AlignCenter;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        bar.fontMetrics = option.fontMetrics;
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);

        const QRect textRect = option.rect.adjusted(barWidth + 8, 0, -2, 0);
        painter->save();
        painter->setPen(option.palette.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                                   : QPalette::Text));
        painter->drawText(
            textRect, Qt::AlignVCenter | Qt::AlignLeft,
            option.fontMetrics.elidedText(index.data().toString(), Qt::ElideRight, textRect.width()));
        painter->restore();
    }
};
} // namespace

TasksDock::TasksDock(QWidget *parent)
    : QDockWidget(tr("Tasks"), parent)
    , m_model(new TaskModel(this))
{
    setObjectName(QStringLiteral("tasksDock"));
    auto *w = new QWidget(this);
    auto *layout = new QVBoxLayout(w);
    layout->setContentsMargins(4, 0, 4, 4);
    layout->setSpacing(2);
    auto *bar = new QToolBar(w);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel =
        bar->addAction(themedIcon(QStringLiteral("cancel")), tr("Cancel"), this, &TasksDock::cancelSelected);
    m_log = bar->addAction(themedIcon(QStringLiteral("log")), tr("Show log"), this, &TasksDock::showLog);
    m_rerun = bar->addAction(themedIcon(QStringLiteral("rerun")), tr("Run again"), this, &TasksDock::rerun);
    m_thaw = bar->addAction(themedIcon(QStringLiteral("thaw")), tr("Thaw"), this, &TasksDock::thaw);
    m_thaw->setToolTip(tr("Pull back exactly the files this freeze removed"));
    m_remove =
        bar->addAction(themedIcon(QStringLiteral("remove")), tr("Remove"), this, &TasksDock::removeSelected);
    layout->addWidget(bar);

    m_view = new QTreeView(w);
    m_view->setObjectName(QStringLiteral("tasksView"));
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    // Long paths and errors keep both ends: the repo and the file, the action and its cause.
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->setItemDelegateForColumn(TaskModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->header()->setSectionResizeMode(TaskModel::PathColumn, QHeaderView::Stretch);
    m_view->header()->setStretchLastSection(false);
    m_view->setColumnWidth(TaskModel::TypeColumn, 110);
    m_view->setColumnWidth(TaskModel::StatusColumn, 100);
    m_view->setColumnWidth(TaskModel::ProgressColumn, 420);
    m_view->setColumnWidth(TaskModel::StartedColumn, 150);
    m_view->setColumnWidth(TaskModel::DurationColumn, 90);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->addActions({m_cancel, m_log, m_rerun, m_thaw, m_remove});
    m_cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_cancel->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_view, &QTreeView::doubleClicked, this, &TasksDock::showLog);
    layout->addWidget(m_view);
    setWidget(w);

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, &TasksDock::poll);
    connect(this, &TasksDock::taskSubmitted, this, &TasksDock::watchTask);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TasksDock::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TasksDock::updateActions);
    updateActions();
}

void TasksDock::setService(BaricadrService *service)
{
    if (m_service)
        m_service->disconnect(this);
    m_service = service;
    m_model->setTasks({});
    m_pollTimer->stop();
    if (service) {
        connect(service, &BaricadrService::taskChanged, this, &TasksDock::onTaskChanged);
        connect(service, &BaricadrService::taskRemoved, this,
                [this](const QString &id) { m_model->remove(id); });
        reload();
    }
    updateActions();
}

void TasksDock::setPolling(bool on)
{
    m_polling = on;
    if (!on)
        m_pollTimer->stop();
    else
        pollSoon();
}

void TasksDock::pollSoon()
{
    if (m_polling && m_service) {
        m_idlePolls = 0;
        m_pollTimer->start();
    }
}

void TasksDock::watchTask(const QString &id)
{
    m_watched.insert(id);
    pollSoon();
}

void TasksDock::poll()
{
    if (!m_service || m_pollInFlight)
        return;
    m_pollInFlight = true;
    onResult(m_service->tasks(TaskQuery{}), this, [this](const Result<QList<TaskInfo>> &r) {
        m_pollInFlight = false;
        if (!r.ok()) {
            m_pollTimer->stop();
            Q_EMIT errorOccurred(tr("Refreshing the task list"), r.error());
            return;
        }
        for (const TaskInfo &t : r.value())
            onTaskChanged(t);
        // Keep polling while something runs, and a few rounds after (a task just submitted may
        // not be listed yet); then stop until the next submission.
        if (m_model->runningCount() > 0)
            m_idlePolls = 0;
        else if (++m_idlePolls > 5)
            m_pollTimer->stop();
    });
}

void TasksDock::reload()
{
    if (!m_service)
        return;
    onResult(m_service->tasks(TaskQuery{}), this, [this](const Result<QList<TaskInfo>> &r) {
        if (!r.ok()) {
            Q_EMIT errorOccurred(tr("Loading the task list"), r.error());
            return;
        }
        m_model->setTasks(r.value());
        updateActions();
        Q_EMIT runningCountChanged(m_model->runningCount());
        if (m_model->runningCount() > 0)
            pollSoon();
    });
}

void TasksDock::onTaskChanged(const TaskInfo &task)
{
    bool ended = m_model->upsert(task);
    if (isFinal(task.status) && m_watched.remove(task.id))
        ended = true;
    if (ended)
        Q_EMIT taskEnded(task);
    Q_EMIT runningCountChanged(m_model->runningCount());
    updateActions();
}

QString TasksDock::selectedId() const
{
    const QModelIndex cur = m_view->currentIndex();
    return cur.isValid() ? cur.siblingAtColumn(0).data(TaskModel::IdRole).toString() : QString();
}

void TasksDock::selectTask(const QString &id)
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->taskAt(r)->id == id) {
            m_view->setCurrentIndex(m_model->index(r, 0));
            return;
        }
    }
}

void TasksDock::updateActions()
{
    const TaskInfo *t = m_model->task(selectedId());
    const bool have = t && m_service;
    m_cancel->setEnabled(have && !isFinal(t->status));
    m_log->setEnabled(have);
    m_rerun->setEnabled(have && isFinal(t->status));
    m_thaw->setEnabled(have && t->type == TaskType::Freeze && t->status == TaskStatus::Finished &&
                       !t->options.dryRun && t->result.files > 0);
    m_remove->setEnabled(have);
}

void TasksDock::cancelSelected()
{
    const QString id = selectedId();
    if (id.isEmpty() || !m_service)
        return;
    onResult(m_service->cancelTask(id, false), this, [this](const Status &st) {
        if (!st.ok())
            Q_EMIT errorOccurred(tr("Cancelling the task"), st.error());
    });
}

void TasksDock::showLog()
{
    const QString id = selectedId();
    if (id.isEmpty() || !m_service)
        return;
    onResult(m_service->taskLog(id), this, [this, id](const Result<QString> &r) {
        if (!r.ok()) {
            Q_EMIT errorOccurred(tr("Reading the task log"), r.error());
            return;
        }
        auto *dlg = new QDialog(this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        dlg->setWindowTitle(tr("Log of task %1").arg(id));
        dlg->resize(820, 520);
        auto *l = new QVBoxLayout(dlg);
        auto *text = new QPlainTextEdit(dlg);
        text->setObjectName(QStringLiteral("logText"));
        text->setReadOnly(true);
        text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        text->setPlainText(r.value());
        l->addWidget(text);
        auto *b = new QDialogButtonBox(QDialogButtonBox::Close, dlg);
        connect(b, &QDialogButtonBox::rejected, dlg, &QDialog::reject);
        l->addWidget(b);
        dlg->show();
    });
}

void TasksDock::rerun()
{
    const TaskInfo *t = m_model->task(selectedId());
    if (!t || !m_service)
        return;
    auto done = [this](const Result<QString> &r) {
        if (!r.ok())
            Q_EMIT errorOccurred(tr("Running the task again"), r.error());
        else
            Q_EMIT taskSubmitted(r.value());
    };
    if (t->type == TaskType::Pull) {
        onResult(m_service->submitPull(PullRequest{t->path, t->options.email, t->options.dryRun}), this,
                 done);
    } else if (t->type == TaskType::Freeze && !t->options.dryRun) {
        Q_EMIT freezeRequested(t->path);
    } else if (t->type == TaskType::Freeze) {
        onResult(m_service->submitFreeze(FreezeRequest{t->path, t->options.email, true, t->options.force}),
                 this, done);
    } else {
        onResult(m_service->submitVerify(t->path, t->options.email), this, done);
    }
}

void TasksDock::thaw()
{
    const QString id = selectedId();
    if (id.isEmpty() || !m_service)
        return;
    onResult(m_service->thaw(id), this, [this](const Result<QString> &r) {
        if (!r.ok())
            Q_EMIT errorOccurred(tr("Thawing the freeze"), r.error());
        else
            Q_EMIT taskSubmitted(r.value());
    });
}

void TasksDock::removeSelected()
{
    const QString id = selectedId();
    if (id.isEmpty() || !m_service)
        return;
    onResult(m_service->removeTask(id), this, [this, id](const Status &st) {
        if (!st.ok())
            Q_EMIT errorOccurred(tr("Removing the task"), st.error());
        else
            m_model->remove(id);
    });
}

} // namespace baricadr::gui
