#include "tasks/taskmodel.h"

#include "style.h"

#include <QDateTime>
#include <QLocale>

namespace baricadr::gui {

TaskModel::TaskModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (runningCount() == 0 || m_tasks.isEmpty())
            return;
        Q_EMIT dataChanged(index(0, DurationColumn), index(int(m_tasks.size()) - 1, DurationColumn));
    });
    m_tick.start();
}

void TaskModel::setTasks(const QList<TaskInfo> &tasks)
{
    beginResetModel();
    m_tasks = tasks;
    std::sort(m_tasks.begin(), m_tasks.end(),
              [](const TaskInfo &a, const TaskInfo &b) { return a.created > b.created; });
    endResetModel();
}

int TaskModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_tasks.size(); ++i) {
        if (m_tasks[i].id == id)
            return i;
    }
    return -1;
}

bool TaskModel::upsert(const TaskInfo &task)
{
    const int row = rowOf(task.id);
    if (row < 0) {
        beginInsertRows(QModelIndex(), 0, 0);
        m_tasks.prepend(task);
        endInsertRows();
        return false;
    }
    const bool wasFinal = isFinal(m_tasks[row].status);
    m_tasks[row] = task;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return !wasFinal && isFinal(task.status);
}

void TaskModel::remove(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_tasks.removeAt(row);
    endRemoveRows();
}

const TaskInfo *TaskModel::taskAt(int row) const
{
    return row >= 0 && row < m_tasks.size() ? &m_tasks[row] : nullptr;
}

const TaskInfo *TaskModel::task(const QString &id) const
{
    return taskAt(rowOf(id));
}

int TaskModel::runningCount() const
{
    return int(std::count_if(m_tasks.cbegin(), m_tasks.cend(),
                             [](const TaskInfo &t) { return !isFinal(t.status); }));
}

QString TaskModel::typeText(TaskType type)
{
    switch (type) {
    case TaskType::Pull:
        return tr("Pull");
    case TaskType::Freeze:
        return tr("Freeze");
    case TaskType::Verify:
        return tr("Verify");
    }
    return QString();
}

QString TaskModel::statusText(TaskStatus status)
{
    switch (status) {
    case TaskStatus::Waiting:
        return tr("waiting");
    case TaskStatus::Started:
        return tr("started");
    case TaskStatus::Pulling:
        return tr("pulling");
    case TaskStatus::Freezing:
        return tr("freezing");
    case TaskStatus::Verifying:
        return tr("verifying");
    case TaskStatus::Finished:
        return tr("finished");
    case TaskStatus::Failed:
        return tr("failed");
    case TaskStatus::Cancelled:
        return tr("cancelled");
    }
    return QString();
}

QString TaskModel::progressText(const TaskInfo &t)
{
    if (isFinal(t.status)) {
        if (t.status == TaskStatus::Failed)
            return t.error;
        if (t.status == TaskStatus::Cancelled)
            return t.error.isEmpty() ? tr("cancelled") : t.error;
        QString s;
        switch (t.type) {
        case TaskType::Pull:
            s = tr("%n file(s) pulled, %1", nullptr, int(t.result.files));
            break;
        case TaskType::Freeze:
            s = tr("%n file(s) frozen, %1 freed", nullptr, int(t.result.files));
            break;
        case TaskType::Verify:
            s = tr("%n file(s) verified, %1", nullptr, int(t.result.files));
            break;
        }
        s = s.arg(Format::bytes(t.result.bytes));
        if (t.options.dryRun)
            s += u' ' + tr("(dry run)");
        return s;
    }
    const TaskProgress &p = t.progress;
    if (p.totalBytes <= 0 && p.totalFiles <= 0)
        return statusText(t.status);
    QString s = tr("%1 of %2").arg(Format::bytes(p.bytes), Format::bytes(p.totalBytes));
    if (p.totalFiles > 0)
        s += QStringLiteral(" · ") + tr("%1/%2 files").arg(p.files).arg(p.totalFiles);
    if (p.etaSeconds)
        s += QStringLiteral(" · ") + tr("ETA %1").arg(Format::duration(*p.etaSeconds));
    return s;
}

int TaskModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

int TaskModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskModel::data(const QModelIndex &index, int role) const
{
    const TaskInfo *t = taskAt(index.row());
    if (!t)
        return QVariant();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TypeColumn:
            return QString(typeText(t->type) + (t->options.dryRun ? u" " + tr("(dry run)") : QString()));
        case PathColumn:
            return t->path;
        case StatusColumn:
            return statusText(t->status);
        case ProgressColumn:
            return progressText(*t);
        case StartedColumn:
            return t->started.isValid()
                       ? t->started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       : QStringLiteral("—");
        case DurationColumn: {
            if (!t->started.isValid())
                return QStringLiteral("—");
            const QDateTime end = t->finished.isValid() ? t->finished : QDateTime::currentDateTimeUtc();
            return Format::duration(t->started.secsTo(end));
        }
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == TypeColumn) {
            return themedIcon(t->type == TaskType::Pull     ? QStringLiteral("pull")
                              : t->type == TaskType::Freeze ? QStringLiteral("freeze")
                                                            : QStringLiteral("ok"));
        }
        if (index.column() == StatusColumn) {
            if (t->status == TaskStatus::Failed)
                return themedIcon(QStringLiteral("error"));
            if (t->status == TaskStatus::Finished)
                return themedIcon(QStringLiteral("ok"));
            if (t->status == TaskStatus::Cancelled)
                return themedIcon(QStringLiteral("cancel"));
        }
        break;
    case Qt::ToolTipRole:
        if (!t->error.isEmpty())
            return t->error;
        return tr("Task %1").arg(t->id);
    case ProgressFractionRole: {
        if (t->status == TaskStatus::Finished)
            return 1.0;
        if (isFinal(t->status))
            return -1.0;
        if (t->progress.totalBytes > 0)
            return double(t->progress.bytes) / double(t->progress.totalBytes);
        if (t->progress.totalFiles > 0)
            return double(t->progress.files) / double(t->progress.totalFiles);
        return 0.0;
    }
    case IdRole:
        return t->id;
    case StatusRole:
        return int(t->status);
    }
    return QVariant();
}

QVariant TaskModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case TypeColumn:
        return tr("Type");
    case PathColumn:
        return tr("Path");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Progress");
    case StartedColumn:
        return tr("Started");
    case DurationColumn:
        return tr("Duration");
    }
    return QVariant();
}

} // namespace baricadr::gui
