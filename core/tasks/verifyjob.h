#pragma once

#include "rclone/rcloneoptions.h"
#include "repo/repoconfig.h"
#include "scan/fileentry.h"
#include "tasks/taskrunner.h"

#include <QHash>
#include <QPointer>
#include <QStringList>

namespace baricadr {

class RemoteLister;
class TaskRecords;

// A verify task: every file the freeze journal says was frozen under the task's path must still
// be on the remote with the same size, and the same hash when the freeze recorded one — otherwise
// that data exists nowhere but in a backup that may be pruned. Reads the journal (latest entry per
// path), asks the remote about those files only (`lsjson --files-from-raw` in chunks), and
// reports every file that is missing or different, in the log and the result (problems).
// A verify never changes anything, local or remote.
class VerifyJob : public TaskRunner
{
    Q_OBJECT
public:
    VerifyJob(const TaskInfo &task, const RepoConfig &repo, TaskRecords &records, const RcloneOptions &rclone,
              QObject *parent = nullptr);
    ~VerifyJob() override;

    void start() override;
    void cancel(bool graceful) override;

    static constexpr int kChunk = 5000;

private:
    struct Expected
    {
        qint64 size = 0;
        QString hash; // "md5:…" or empty
    };
    void statNextChunk();
    void onStat(const Result<QHash<QString, RemoteEntry>> &result);
    void problem(const QString &relPath, const QString &what);
    void done(const Result<TaskResult> &result);

    TaskInfo m_task;
    RepoConfig m_repo;
    TaskRecords &m_records;
    RcloneOptions m_rclone;
    QHash<QString, Expected> m_expected;
    QStringList m_paths; // sorted, for a stable report
    qsizetype m_offset = 0;
    QStringList m_chunk;
    QPointer<RemoteLister> m_lister;
    TaskResult m_result;
    bool m_cancelled = false;
    bool m_done = false;
};

} // namespace baricadr
