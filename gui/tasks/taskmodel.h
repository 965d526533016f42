#pragma once

#include "tasks/task.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace baricadr::gui {

// Tasks of the session, newest first, kept live from BaricadrService::taskChanged.
class TaskModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TypeColumn,
        PathColumn,
        StatusColumn,
        ProgressColumn,
        StartedColumn,
        DurationColumn,
        ColumnCount
    };
    enum Role
    {
        ProgressFractionRole = Qt::UserRole + 1,
        IdRole,
        StatusRole
    };

    explicit TaskModel(QObject *parent = nullptr);

    void setTasks(const QList<TaskInfo> &tasks);
    // Inserts or updates; returns true when the task just reached a final status.
    bool upsert(const TaskInfo &task);
    void remove(const QString &id);
    const TaskInfo *taskAt(int row) const;
    const TaskInfo *task(const QString &id) const;
    int runningCount() const;

    static QString typeText(TaskType type);
    static QString statusText(TaskStatus status);
    static QString progressText(const TaskInfo &task);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int rowOf(const QString &id) const;
    QList<TaskInfo> m_tasks;
    QTimer m_tick; // running durations
};

} // namespace baricadr::gui
