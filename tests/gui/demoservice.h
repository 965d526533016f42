#pragma once

#include "service/baricadrservice.h"

#include <QHash>
#include <QTimer>

namespace baricadr::test {

// A BaricadrService over plain directories, for GUI tests that are about the window (models,
// dialogs, screenshots) rather than the engine: the "remote" is a local directory, pulls copy
// from it, freezes plan with the real planFreeze and delete verified files. Tasks advance on a
// timer (stepMs per step) so that progress, cancel and notifications can be watched.
// The end-to-end tests drive the real engine (local mode) and a real `baricadr serve` instead.
class DemoService : public BaricadrService
{
    Q_OBJECT
public:
    struct Repo
    {
        QString root;
        QString remoteDir;
        int freezeAge = 180;
        QString exclude;
        bool freezable = true;
    };

    explicit DemoService(QList<Repo> repos, QObject *parent = nullptr);

    int stepMs = 40;
    int steps = 5;
    QString failListingOf; // list() of this repo root fails (remote unreachable)

    QFuture<Result<QString>> submitPull(const PullRequest &request) override;
    QFuture<Result<QString>> submitFreeze(const FreezeRequest &request) override;
    QFuture<Result<QString>> submitVerify(const QString &path, const QString &email) override;
    QFuture<Result<QString>> thaw(const QString &freezeTaskId) override;
    QFuture<Result<FreezePlan>> previewFreeze(const FreezeRequest &request) override;
    QFuture<Result<QList<ListEntry>>> list(const ListRequest &request) override;
    QFuture<Result<QList<TaskInfo>>> tasks(const TaskQuery &query) override;
    QFuture<Result<TaskInfo>> task(const QString &id) override;
    QFuture<Result<QString>> taskLog(const QString &id) override;
    QFuture<Result<void>> removeTask(const QString &id) override;
    QFuture<Result<void>> cancelTask(const QString &id, bool graceful) override;
    QFuture<Result<QString>> cleanupZombies() override;
    QFuture<Result<QList<RepoInfo>>> repos() override;
    QFuture<Result<QList<Pin>>> pins() override;
    QFuture<Result<void>> addPin(const QString &path, const QString &comment) override;
    QFuture<Result<void>> removePin(const QString &path) override;

    Result<FreezePlan> plan(const QString &path) const;
    // Adds a task as is (screenshots: a running pull, a failed one…).
    void injectTask(const TaskInfo &task);
    const Repo *repoFor(const QString &path) const;

private:
    QString start(TaskType type, const QString &path, const QStringList &files, const QString &thawOf);
    void advance(const QString &id);

    QList<Repo> m_repos;
    QHash<QString, TaskInfo> m_tasks;
    QHash<QString, QString> m_logs;
    QHash<QString, QStringList> m_frozenBy; // freeze task -> repo-relative files removed
    QList<Pin> m_pins;
};

} // namespace baricadr::test
