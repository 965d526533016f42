#pragma once

#include "tasks/task.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace baricadr {

// The path-lock rules of the task queue, as pure bookkeeping (no I/O, no timers, no threads):
//
// - A request whose path is covered (same path, or the task's path is an ancestor, compared by
//   whole components: "/data/a" never covers "/data/ab") by an unfinished task of the same type
//   and the same dedup key (the options that change what the task does) is answered with that
//   task's id: findCovering().
// - Any other overlap (the request is an ancestor of unfinished tasks, another type on an
//   overlapping path, other options) makes a new task that waits until every overlapping earlier
//   task has finished: add() counts them, finish() releases the tasks that no longer wait.
// - Tasks on paths that do not overlap anything earlier are ready at once; the engine runs ready
//   tasks oldest first up to its worker limit (takeNextReady), so a waiting task is never
//   overtaken by a later task that overlaps it (the later one waits for it) and gets the first
//   free worker once it is released.
//
// Cost: findCovering walks the ancestors of the path (one lookup per component); add() also visits
// the unfinished tasks below the path (an ordered range), so work is proportional to the tasks a
// request really overlaps, never to all unfinished tasks.
class PathLocks
{
public:
    struct Request
    {
        QString id;
        TaskType type = TaskType::Pull;
        QString path;          // absolute, normalised
        QString dedupKey;      // tasks dedup only when type and key are equal
        bool dedupable = true; // false: never merged with another request (e.g. a thaw's file list)
    };

    // The unfinished task that covers this request, if any (oldest first).
    std::optional<QString> findCovering(TaskType type, const QString &path, const QString &dedupKey) const;

    // Registers a new unfinished task (its id must be new). Returns how many earlier unfinished
    // tasks it waits for; 0 means it is ready now.
    int add(const Request &request);

    // The oldest ready task, which is then considered running. Empty when none is ready.
    QString takeNextReady();
    bool hasReady() const { return !m_ready.empty(); }
    int readyCount() const { return int(m_ready.size()); }

    // The task finished, failed, was cancelled or removed: it no longer blocks anything.
    // Returns the ids that became ready because of it, oldest first. Unknown ids are ignored.
    QStringList finish(const QString &id);

    // A task being cancelled gracefully still holds its paths but must not absorb new requests.
    void stopDeduplicating(const QString &id);

    bool contains(const QString &id) const { return m_seqById.contains(id); }
    bool isRunning(const QString &id) const;
    int blockerCount(const QString &id) const;       // -1 when unknown
    QStringList blockersOf(const QString &id) const; // the unfinished earlier tasks it waits for
    int size() const { return int(m_seqById.size()); }

private:
    struct Node
    {
        Request request;
        int blockers = 0;
        bool running = false;
        std::vector<quint64> dependents; // later tasks waiting for this one
    };

    // Calls f(seq) for every unfinished task on `path` or one of its ancestors.
    template<typename F> void forEachAtOrAbove(const QString &path, F &&f) const;
    template<typename F> void forEachBelow(const QString &path, F &&f) const;

    quint64 m_nextSeq = 1;
    std::map<quint64, Node> m_nodes; // by creation order
    QHash<QString, quint64> m_seqById;
    std::map<QString, std::vector<quint64>> m_byPath; // ordered: descendants are a key range
    std::set<quint64> m_ready;                        // ready and not running, oldest first
};

} // namespace baricadr
