// The task store against real SQLite and a real throwaway PostgreSQL cluster: every test runs
// once per backend (global data rows "sqlite" and "postgresql").
#include "pgcluster.h"
#include "store/taskstore.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <thread>

using namespace baricadr;

// QCOMPARE cannot print TaskType/TaskStatus (ADL finds baricadr::toString returning QString).
#define QCOMPARE_WIRE(actual, expected) QCOMPARE(baricadr::toString(actual), baricadr::toString(expected))

namespace {

TaskInfo makeTask(const QString &path, qint64 createdOffsetMs = 0, TaskType type = TaskType::Pull)
{
    TaskInfo t;
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    t.type = type;
    t.path = path;
    t.repoRoot = QStringLiteral("/data/repo");
    t.created = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + createdOffsetMs, Qt::UTC);
    return t;
}

JournalEntry makeEntry(const QString &taskId, const QString &rel,
                       const QString &root = QStringLiteral("/data/repo"))
{
    JournalEntry e;
    e.taskId = taskId;
    e.repoRoot = root;
    e.relPath = rel;
    e.size = 1234;
    e.mtimeNs = 1'600'000'000'123'456'789;
    e.atimeNs = 1'500'000'000'987'654'321;
    e.remoteLocation = QStringLiteral("sftp://127.0.0.1/backup/") + rel;
    e.remoteSize = 1234;
    e.remoteMtimeNs = 1'600'000'000'000'000'000;
    e.hash = QStringLiteral("md5:d41d8cd98f00b204e9800998ecf8427e");
    e.frozenAt = QDateTime::fromMSecsSinceEpoch(1'700'000'123'456, Qt::UTC);
    return e;
}

} // namespace

class tst_TaskStore : public QObject
{
    Q_OBJECT

    test::PgCluster m_pg;
    QTemporaryDir m_tmp;
    int m_counter = 0;
    std::unique_ptr<TaskStore> m_store;

    // A new, empty database of the current backend.
    DatabaseUri freshUri()
    {
        QFETCH_GLOBAL(QString, backend);
        const QString name = QStringLiteral("db_%1").arg(++m_counter);
        if (backend == u"sqlite")
            return DatabaseUri::sqlite(m_tmp.filePath(name + QStringLiteral("/baricadr.sqlite")));
        if (!m_pg.createDatabase(name))
            qFatal("createdb failed: %s", qPrintable(m_pg.errorString()));
        return *DatabaseUri::parse(m_pg.uri(name));
    }

    bool isSqlite() const { return m_store && m_store->uri().isSqlite(); }

    // Plain SQL on a separate connection, to look behind the store's back.
    QVariant scalar(const DatabaseUri &uri, const QString &sql)
    {
        const QString name = QStringLiteral("probe-%1").arg(++m_counter);
        QVariant out;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(
                uri.isSqlite() ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
            if (uri.isSqlite()) {
                db.setDatabaseName(uri.sqlitePath);
            } else {
                db.setHostName(uri.host);
                db.setPort(uri.port);
                db.setUserName(uri.user);
                db.setDatabaseName(uri.database);
            }
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(sql) && q.next())
                    out = q.value(0);
                else
                    qWarning() << "probe failed:" << sql << q.lastError().text();
            }
        }
        QSqlDatabase::removeDatabase(name);
        return out;
    }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
    }

    void init()
    {
        auto store = TaskStore::open(freshUri());
        QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
        m_store = std::move(store).value();
    }

    void cleanup() { m_store.reset(); }

    void interimStatesAreCommitted()
    {
        // Commit::Relaxed (PostgreSQL: no wait for the WAL flush) still commits: another
        // connection sees it at once, and a later durable write goes through as usual.
        TaskInfo t = makeTask(QStringLiteral("/data/repo/interim"));
        QVERIFY(m_store->insertTask(t).ok());
        t.status = TaskStatus::Pulling;
        t.started = t.created.addSecs(1);
        QVERIFY(m_store->updateTask(t, TaskStore::Commit::Relaxed).ok());
        QCOMPARE(scalar(m_store->uri(), QStringLiteral("SELECT status FROM tasks WHERE id = '%1'").arg(t.id))
                     .toString(),
                 QStringLiteral("pulling"));
        TaskProgress p;
        p.bytes = 42;
        QVERIFY(m_store->updateProgress(t.id, p).ok());
        QCOMPARE(scalar(m_store->uri(),
                        QStringLiteral("SELECT progress_bytes FROM tasks WHERE id = '%1'").arg(t.id))
                     .toLongLong(),
                 42);
        TaskInfo unknown = makeTask(QStringLiteral("/data/repo/unknown"));
        QCOMPARE(m_store->updateTask(unknown, TaskStore::Commit::Relaxed).error().code, ErrorCode::NotFound);
        t.status = TaskStatus::Finished;
        QVERIFY(m_store->updateTask(t).ok());
        QCOMPARE_WIRE(m_store->task(t.id)->status, TaskStatus::Finished);
    }

    void sqliteWalIsCheckpointedInTheBackground()
    {
        // The store's commits leave checkpoints (1-14 ms each, one commit in ~200 paid for it) to
        // the store's own checkpointer thread: the rows still reach the database file, with no
        // event loop running on the writing thread and nobody else checkpointing.
        if (!isSqlite())
            QSKIP("SQLite only");
        const QString db = m_store->uri().sqlitePath;
        const qint64 before = QFileInfo(db).size();
        for (int i = 0; i < 3000; ++i)
            QVERIFY(m_store->insertTask(makeTask(QStringLiteral("/data/repo/w/%1").arg(i), i)).ok());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(db).size() > before + 512 * 1024, 10000);
        QCOMPARE(scalar(m_store->uri(), QStringLiteral("SELECT COUNT(*) FROM tasks")).toInt(), 3000);
    }

    void migrationsFromEmpty()
    {
        auto version = m_store->schemaVersion();
        QVERIFY(version.ok());
        QCOMPARE(*version, TaskStore::kSchemaVersion);
        // Every table is there and empty.
        for (const char *table : {"tasks", "freeze_journal", "pins", "schedule_state"})
            QCOMPARE(scalar(m_store->uri(), QStringLiteral("SELECT COUNT(*) FROM ") + QLatin1String(table))
                         .toInt(),
                     0);
        // Opening again applies nothing and keeps the version.
        auto again = TaskStore::open(m_store->uri());
        QVERIFY(again.ok());
        QCOMPARE(*(*again)->schemaVersion(), TaskStore::kSchemaVersion);
        QCOMPARE(scalar(m_store->uri(), QStringLiteral("SELECT COUNT(*) FROM schema_version")).toInt(),
                 TaskStore::kSchemaVersion);
    }

    void migrationFromPreviousVersion()
    {
        m_store.reset();
        const DatabaseUri uri = freshUri();
        const int previous = TaskStore::kSchemaVersion - 1;
        TaskInfo t = makeTask(QStringLiteral("/data/repo/a"));
        {
            auto old = TaskStore::open(uri, previous);
            QVERIFY2(old.ok(), old ? "" : qPrintable(old.error().message));
            QCOMPARE(*(*old)->schemaVersion(), previous);
            QVERIFY((*old)->insertTask(t).ok());
            QVERIFY((*old)->recordFrozen(makeEntry(t.id, QStringLiteral("a/x"))).ok());
            QVERIFY((*old)->setLastRun(t.repoRoot, QStringLiteral("auto_freeze"), t.created).ok());
        }
        auto store = TaskStore::open(uri);
        QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
        QCOMPARE(*(*store)->schemaVersion(), TaskStore::kSchemaVersion);
        // Data written at the previous version survives, and migration 2's indexes exist.
        QCOMPARE((*store)->task(t.id)->path, t.path);
        QCOMPARE((*store)->journalForTask(t.id)->size(), 1);
        QCOMPARE(*(*store)->lastRun(t.repoRoot, QStringLiteral("auto_freeze")), t.created);
        const QString indexCount =
            uri.isSqlite()
                ? QStringLiteral(
                      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'tasks_created'")
                : QStringLiteral("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'tasks_created'");
        QCOMPARE(scalar(uri, indexCount).toInt(), 1);
    }

    void newerSchemaIsRefused()
    {
        const DatabaseUri uri = m_store->uri();
        m_store.reset();
        QVERIFY(
            scalar(uri, QStringLiteral("INSERT INTO schema_version (version, applied, description) VALUES "
                                       "(999, 0, 'future') RETURNING version"))
                .isValid());
        auto store = TaskStore::open(uri);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, ErrorCode::Database);
        QVERIFY2(store.error().message.contains(QStringLiteral("schema version 999")),
                 qPrintable(store.error().message));
    }

    void insertAndReadEveryField()
    {
        TaskInfo t = makeTask(QStringLiteral("/data/repo/dir"), 0, TaskType::Freeze);
        t.options = {QStringLiteral("user@example.org"), true, true};
        t.status = TaskStatus::Finished;
        t.started = t.created.addMSecs(1500);
        t.finished = t.created.addSecs(60).addMSecs(7);
        t.error = QString();
        t.progress = {100, 200, 3, 4, 12.5, 42};
        t.result.files = 3;
        t.result.bytes = 5'000'000'000;
        t.result.keptFiles = 2;
        t.result.problems = 1;
        t.result.affected = {QStringLiteral("dir/a"), QStringLiteral("dir/é ü"),
                             QStringLiteral("dir/\"quoted\"")};
        t.result.affectedCount = 3;
        t.logFile = QStringLiteral("/var/log/baricadr/tasks/x.log");
        t.thawOf = QStringLiteral("some-freeze");
        t.files = {QStringLiteral("dir/a"), QStringLiteral("dir/b")};
        t.scheduled = true;
        QVERIFY(m_store->insertTask(t).ok());

        auto r = m_store->task(t.id);
        QVERIFY2(r.ok(), r ? "" : qPrintable(r.error().message));
        const TaskInfo &g = *r;
        QCOMPARE(g.id, t.id);
        QCOMPARE_WIRE(g.type, TaskType::Freeze);
        QCOMPARE(g.path, t.path);
        QCOMPARE(g.repoRoot, t.repoRoot);
        QVERIFY(g.options == t.options);
        QCOMPARE_WIRE(g.status, TaskStatus::Finished);
        QCOMPARE(g.created, t.created);
        QCOMPARE(g.created.timeSpec(), Qt::UTC);
        QCOMPARE(g.started, t.started); // milliseconds kept
        QCOMPARE(g.finished, t.finished);
        QVERIFY(g.error.isEmpty());
        QCOMPARE(g.progress.bytes, 100);
        QCOMPARE(g.progress.totalBytes, 200);
        QCOMPARE(g.progress.files, 3);
        QCOMPARE(g.progress.totalFiles, 4);
        QCOMPARE(g.progress.speed, 12.5);
        QCOMPARE(g.progress.etaSeconds, std::optional<qint64>(42));
        QCOMPARE(g.result.files, 3);
        QCOMPARE(g.result.bytes, 5'000'000'000);
        QCOMPARE(g.result.keptFiles, 2);
        QCOMPARE(g.result.problems, 1);
        QCOMPARE(g.result.affected, t.result.affected);
        QCOMPARE(g.result.affectedCount, 3);
        QCOMPARE(g.logFile, t.logFile);
        QCOMPARE(g.thawOf, t.thawOf);
        QCOMPARE(g.files, t.files);
        QCOMPARE(g.scheduled, true);

        // Unset times and ETA stay unset.
        TaskInfo fresh = makeTask(QStringLiteral("/data/repo/new"));
        QVERIFY(m_store->insertTask(fresh).ok());
        auto f = m_store->task(fresh.id);
        QVERIFY(!f->started.isValid());
        QVERIFY(!f->finished.isValid());
        QVERIFY(!f->progress.etaSeconds.has_value());
        QCOMPARE_WIRE(f->status, TaskStatus::Waiting);
        QVERIFY(f->result.affected.isEmpty());
    }

    void affectedListIsCapped()
    {
        TaskInfo t = makeTask(QStringLiteral("/data/repo"));
        for (int i = 0; i < TaskResult::kAffectedCap + 500; ++i)
            t.result.affected.append(QStringLiteral("f%1").arg(i));
        t.result.affectedCount = 0; // the store still reports the true count
        QVERIFY(m_store->insertTask(t).ok());
        auto g = m_store->task(t.id);
        QCOMPARE(g->result.affected.size(), TaskResult::kAffectedCap);
        QCOMPARE(g->result.affectedCount, TaskResult::kAffectedCap + 500);
    }

    void duplicateAndUnknownIds()
    {
        TaskInfo t = makeTask(QStringLiteral("/data/repo/a"));
        QVERIFY(m_store->insertTask(t).ok());
        auto dup = m_store->insertTask(t);
        QVERIFY(!dup.ok());
        QCOMPARE(dup.error().code, ErrorCode::Database);

        auto missing = m_store->task(QStringLiteral("no-such-task"));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        TaskInfo ghost = makeTask(QStringLiteral("/x"));
        QCOMPARE(m_store->updateTask(ghost).error().code, ErrorCode::NotFound);
        QCOMPARE(m_store->updateProgress(ghost.id, {}).error().code, ErrorCode::NotFound);
        QCOMPARE(m_store->removeTask(ghost.id).error().code, ErrorCode::NotFound);
        QVERIFY(!m_store->insertTask(TaskInfo{}).ok());
    }

    void updateAndProgress()
    {
        TaskInfo t = makeTask(QStringLiteral("/data/repo/a"));
        QVERIFY(m_store->insertTask(t).ok());
        t.status = TaskStatus::Pulling;
        t.started = t.created.addSecs(1);
        QVERIFY(m_store->updateTask(t).ok());
        QVERIFY(m_store->updateProgress(t.id, {10, 100, 1, 10, 5.0, std::nullopt}).ok());
        auto g = m_store->task(t.id);
        QCOMPARE_WIRE(g->status, TaskStatus::Pulling);
        QCOMPARE(g->started, t.started);
        QCOMPARE(g->progress.bytes, 10);
        QCOMPARE(g->progress.totalFiles, 10);
        QVERIFY(!g->progress.etaSeconds);

        t.status = TaskStatus::Failed;
        t.error = QStringLiteral("remote unreachable");
        QVERIFY(m_store->updateTask(t).ok());
        QCOMPARE(m_store->task(t.id)->error, t.error);
        QCOMPARE(m_store->task(t.id)->progress.bytes, 0); // full row written
    }

    void pagingNewestFirst()
    {
        QStringList ids; // oldest first
        for (int i = 0; i < 25; ++i) {
            TaskInfo t = makeTask(QStringLiteral("/data/repo/p%1").arg(i), i * 1000,
                                  i % 2 ? TaskType::Freeze : TaskType::Pull);
            t.status = i % 3 == 0 ? TaskStatus::Finished : TaskStatus::Waiting;
            QVERIFY(m_store->insertTask(t).ok());
            ids.append(t.id);
        }
        auto all = m_store->tasks({});
        QCOMPARE(all->size(), 25);
        QCOMPARE(all->first().id, ids.last());
        QCOMPARE(all->last().id, ids.first());

        QStringList paged;
        for (int offset = 0; offset < 30; offset += 10) {
            TaskQuery q;
            q.limit = 10;
            q.offset = offset;
            auto page = m_store->tasks(q, TaskFields::Summary);
            QVERIFY(page.ok());
            QCOMPARE(page->size(), offset < 20 ? 10 : 5);
            for (const TaskInfo &t : *page)
                paged.append(t.id);
        }
        QStringList expected = ids;
        std::reverse(expected.begin(), expected.end());
        QCOMPARE(paged, expected);

        TaskQuery finished;
        finished.status = TaskStatus::Finished;
        QCOMPARE(*m_store->countTasks(finished), 9);
        const auto finishedTasks = m_store->tasks(finished);
        QCOMPARE(finishedTasks->size(), 9);
        for (const TaskInfo &t : *finishedTasks)
            QCOMPARE_WIRE(t.status, TaskStatus::Finished);
        TaskQuery freezes;
        freezes.type = TaskType::Freeze;
        QCOMPARE(*m_store->countTasks(freezes), 12);
        freezes.status = TaskStatus::Finished;
        QCOMPARE(*m_store->countTasks(freezes), 4); // i = 3, 9, 15, 21
        QCOMPARE(*m_store->countTasks({}), 25);

        auto counts = m_store->taskCountsByStatus();
        QCOMPARE(counts->value(TaskStatus::Finished), 9);
        QCOMPARE(counts->value(TaskStatus::Waiting), 16);
        QVERIFY(!counts->contains(TaskStatus::Failed));
    }

    void cacheNeverServesStaleTasks()
    {
        TaskInfo t = makeTask(QStringLiteral("/data/repo/c"));
        t.status = TaskStatus::Pulling;
        QVERIFY(m_store->insertTask(t).ok());
        for (int i = 0; i < 3; ++i) // cached now
            QCOMPARE_WIRE(m_store->task(t.id)->status, TaskStatus::Pulling);
        QVERIFY(m_store->updateProgress(t.id, {7, 9, 1, 2, 1.0, 3}).ok());
        QCOMPARE(m_store->task(t.id)->progress.bytes, 7);
        t.status = TaskStatus::Finished;
        QVERIFY(m_store->updateTask(t).ok());
        QCOMPARE_WIRE(m_store->task(t.id)->status, TaskStatus::Finished);
        t.status = TaskStatus::Waiting;
        QVERIFY(m_store->updateTask(t).ok());
        QCOMPARE_WIRE(m_store->task(t.id)->status, TaskStatus::Waiting);
        QVERIFY(m_store->markInterrupted(QStringLiteral("interrupted")).ok());
        QCOMPARE(m_store->task(t.id)->error, QStringLiteral("interrupted"));
        QVERIFY(m_store->removeTask(t.id).ok());
        QCOMPARE(m_store->task(t.id).error().code, ErrorCode::NotFound);

        // Readers racing a writer on other threads end up seeing the last write.
        TaskInfo raced = makeTask(QStringLiteral("/data/repo/raced"));
        QVERIFY(m_store->insertTask(raced).ok());
        std::atomic<bool> stop{false};
        QThread *reader = QThread::create([&] {
            while (!stop)
                (void)m_store->task(raced.id);
        });
        reader->start();
        for (int i = 1; i <= 200; ++i)
            QVERIFY(m_store->updateProgress(raced.id, {i, 200, 0, 0, 0, std::nullopt}).ok());
        stop = true;
        QVERIFY(reader->wait(60000));
        delete reader;
        QCOMPARE(m_store->task(raced.id)->progress.bytes, 200);
    }

    void markInterruptedFailsOnlyUnfinished()
    {
        QMap<TaskStatus, QString> idByStatus;
        for (TaskStatus s :
             {TaskStatus::Waiting, TaskStatus::Started, TaskStatus::Pulling, TaskStatus::Freezing,
              TaskStatus::Verifying, TaskStatus::Finished, TaskStatus::Failed, TaskStatus::Cancelled}) {
            TaskInfo t = makeTask(QStringLiteral("/data/repo/") + toString(s));
            t.status = s;
            if (isFinal(s))
                t.finished = t.created.addSecs(5);
            QVERIFY(m_store->insertTask(t).ok());
            idByStatus[s] = t.id;
        }
        QCOMPARE(m_store->unfinishedTasks()->size(), 5);

        auto ids = m_store->markInterrupted(QStringLiteral("interrupted"));
        QVERIFY2(ids.ok(), ids ? "" : qPrintable(ids.error().message));
        QCOMPARE(QSet<QString>(ids->begin(), ids->end()),
                 (QSet<QString>{idByStatus[TaskStatus::Waiting], idByStatus[TaskStatus::Started],
                                idByStatus[TaskStatus::Pulling], idByStatus[TaskStatus::Freezing],
                                idByStatus[TaskStatus::Verifying]}));
        for (const QString &id : *ids) {
            auto t = m_store->task(id);
            QCOMPARE_WIRE(t->status, TaskStatus::Failed);
            QCOMPARE(t->error, QStringLiteral("interrupted"));
            QVERIFY(t->finished.isValid());
        }
        QCOMPARE_WIRE(m_store->task(idByStatus[TaskStatus::Finished])->status, TaskStatus::Finished);
        QCOMPARE_WIRE(m_store->task(idByStatus[TaskStatus::Cancelled])->status, TaskStatus::Cancelled);
        QVERIFY(m_store->task(idByStatus[TaskStatus::Finished])->error.isEmpty());
        QVERIFY(m_store->unfinishedTasks()->isEmpty());
        QVERIFY(m_store->markInterrupted(QStringLiteral("again"))->isEmpty());
    }

    void cleanupCandidatesAndRemove()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        TaskInfo old = makeTask(QStringLiteral("/data/repo/old"));
        old.status = TaskStatus::Finished;
        old.finished = now.addDays(-400);
        TaskInfo oldFailed = makeTask(QStringLiteral("/data/repo/oldfailed"));
        oldFailed.status = TaskStatus::Failed;
        oldFailed.finished = now.addDays(-366);
        TaskInfo recent = makeTask(QStringLiteral("/data/repo/recent"));
        recent.status = TaskStatus::Finished;
        recent.finished = now.addDays(-1);
        TaskInfo running = makeTask(QStringLiteral("/data/repo/running"), -1'000'000'000);
        running.status = TaskStatus::Pulling;
        for (const TaskInfo &t : {old, oldFailed, recent, running})
            QVERIFY(m_store->insertTask(t).ok());
        QVERIFY(m_store->recordFrozen(makeEntry(old.id, QStringLiteral("kept/in/journal"))).ok());

        auto due = m_store->tasksFinishedBefore(now.addDays(-365));
        QVERIFY(due.ok());
        QStringList dueIds;
        for (const TaskInfo &t : *due)
            dueIds.append(t.id);
        QCOMPARE(dueIds, (QStringList{old.id, oldFailed.id})); // oldest finished first
        for (const QString &id : dueIds)
            QVERIFY(m_store->removeTask(id).ok());
        QCOMPARE(*m_store->countTasks({}), 2);
        QCOMPARE(m_store->task(old.id).error().code, ErrorCode::NotFound);
        // The journal is the audit trail: removing the task keeps what it froze.
        QCOMPARE(m_store->journalForTask(old.id)->size(), 1);
    }

    void journalRoundTrip()
    {
        const JournalEntry e = makeEntry(QStringLiteral("t1"), QStringLiteral("dir/ünï côdé.txt"));
        QVERIFY(m_store->recordFrozen(e).ok());
        QVERIFY(
            m_store
                ->recordFrozen(QList<JournalEntry>{makeEntry(QStringLiteral("t1"), QStringLiteral("dir/b")),
                                                   makeEntry(QStringLiteral("t2"), QStringLiteral("dir/c"))})
                .ok());
        auto rows = m_store->journalForTask(QStringLiteral("t1"));
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 2);
        const JournalEntry &g = rows->first();
        QCOMPARE(g.taskId, e.taskId);
        QCOMPARE(g.repoRoot, e.repoRoot);
        QCOMPARE(g.relPath, e.relPath);
        QCOMPARE(g.size, e.size);
        QCOMPARE(g.mtimeNs, e.mtimeNs);
        QCOMPARE(g.atimeNs, e.atimeNs);
        QCOMPARE(g.remoteLocation, e.remoteLocation);
        QCOMPARE(g.remoteSize, e.remoteSize);
        QCOMPARE(g.remoteMtimeNs, e.remoteMtimeNs);
        QCOMPARE(g.hash, e.hash);
        QCOMPARE(g.frozenAt, e.frozenAt);
        QCOMPARE(rows->at(1).relPath, QStringLiteral("dir/b"));
        QVERIFY(m_store->journalForTask(QStringLiteral("none"))->isEmpty());
    }

    void journalStreamsInBatches()
    {
        const int n = 2503;
        QList<JournalEntry> entries;
        for (int i = 0; i < n; ++i)
            entries.append(makeEntry(QStringLiteral("t"), QStringLiteral("a/%1/f%2").arg(i % 7).arg(i)));
        // Paths that must not match prefix "a/1": a sibling sharing the text prefix, another repo,
        // and characters that are wildcards in LIKE.
        entries.append(makeEntry(QStringLiteral("t"), QStringLiteral("a/10/x")));
        entries.append(makeEntry(QStringLiteral("t"), QStringLiteral("a/1_/x")));
        entries.append(
            makeEntry(QStringLiteral("t"), QStringLiteral("a/1/f1"), QStringLiteral("/data/other")));
        entries.append(makeEntry(QStringLiteral("t"), QStringLiteral("a/1"))); // the prefix itself, a file
        QVERIFY(m_store->recordFrozen(entries).ok());

        int batches = 0;
        int maxBatch = 0;
        QSet<QString> seen;
        auto total = m_store->journalUnder(
            QStringLiteral("/data/repo"), QStringLiteral("a/1/"),
            [&](const QList<JournalEntry> &batch) {
                ++batches;
                maxBatch = std::max(maxBatch, int(batch.size()));
                for (const JournalEntry &e : batch)
                    seen.insert(e.relPath);
                return true;
            },
            100);
        QVERIFY2(total.ok(), total ? "" : qPrintable(total.error().message));
        int expected = 1; // "a/1" itself
        for (int i = 0; i < n; ++i)
            expected += i % 7 == 1;
        QCOMPARE(*total, expected);
        QCOMPARE(seen.size(), expected);
        QVERIFY(seen.contains(QStringLiteral("a/1")));
        QVERIFY(!seen.contains(QStringLiteral("a/10/x")));
        QVERIFY(!seen.contains(QStringLiteral("a/1_/x")));
        QCOMPARE(maxBatch, 100);
        QCOMPARE(batches, (expected + 99) / 100);

        // Whole repo; stop early.
        qint64 whole = 0;
        QVERIFY(m_store
                    ->journalUnder(QStringLiteral("/data/repo"), QString(),
                                   [&](const QList<JournalEntry> &b) {
                                       whole += b.size();
                                       return true;
                                   })
                    .ok());
        QCOMPARE(whole, n + 3);
        int calls = 0;
        auto stopped = m_store->journalUnder(
            QStringLiteral("/data/repo"), QString(), [&](const QList<JournalEntry> &) { return ++calls < 2; },
            500);
        QCOMPARE(calls, 2);
        QCOMPARE(*stopped, 1000);
    }

    void pins()
    {
        Pin p{QStringLiteral("/data/repo/keep"), QStringLiteral("/data/repo"), QDateTime(),
              QStringLiteral("thesis")};
        QVERIFY(m_store->addPin(p).ok());
        QVERIFY(
            m_store->addPin({QStringLiteral("/data/other/x"), QStringLiteral("/data/other"), {}, {}}).ok());
        p.comment = QStringLiteral("thesis, final");
        QVERIFY(m_store->addPin(p).ok()); // updates
        auto all = m_store->pins();
        QCOMPARE(all->size(), 2);
        auto mine = m_store->pins(QStringLiteral("/data/repo"));
        QCOMPARE(mine->size(), 1);
        QCOMPARE(mine->first().path, p.path);
        QCOMPARE(mine->first().comment, p.comment);
        QVERIFY(mine->first().created.isValid());
        Pin again = p; // pinned again without a comment: the one it had stays
        again.comment.clear();
        QVERIFY(m_store->addPin(again).ok());
        QCOMPARE(m_store->pins(QStringLiteral("/data/repo"))->first().comment, p.comment);
        QVERIFY(m_store->removePin(p.path).ok());
        QCOMPARE(m_store->removePin(p.path).error().code, ErrorCode::NotFound);
        QVERIFY(m_store->pins(QStringLiteral("/data/repo"))->isEmpty());
    }

    void scheduleState()
    {
        const QString root = QStringLiteral("/data/repo");
        auto never = m_store->lastRun(root, QStringLiteral("auto_freeze"));
        QVERIFY(never.ok());
        QVERIFY(!never->isValid());
        const QDateTime t1 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, Qt::UTC);
        QVERIFY(m_store->setLastRun(root, QStringLiteral("auto_freeze"), t1).ok());
        QVERIFY(m_store->setLastRun(root, QStringLiteral("verify"), t1.addDays(1)).ok());
        QCOMPARE(*m_store->lastRun(root, QStringLiteral("auto_freeze")), t1);
        QVERIFY(m_store->setLastRun(root, QStringLiteral("auto_freeze"), t1.addDays(7)).ok());
        QCOMPARE(*m_store->lastRun(root, QStringLiteral("auto_freeze")), t1.addDays(7));
        QCOMPARE(*m_store->lastRun(root, QStringLiteral("verify")), t1.addDays(1));
        // Survives reopening (a restart).
        const DatabaseUri uri = m_store->uri();
        m_store.reset();
        auto reopened = TaskStore::open(uri);
        QCOMPARE(*(*reopened)->lastRun(root, QStringLiteral("auto_freeze")), t1.addDays(7));
    }

    void connectionPerThread()
    {
        // Several threads write and read at once; each gets its own connection, nothing is lost.
        constexpr int kThreads = 4;
        constexpr int kPerThread = 50;
        std::atomic<int> failures{0};
        QList<QThread *> threads;
        for (int n = 0; n < kThreads; ++n) {
            threads.append(QThread::create([&, n] {
                for (int i = 0; i < kPerThread; ++i) {
                    TaskInfo t = makeTask(QStringLiteral("/data/repo/t%1/%2").arg(n).arg(i), n * 1000 + i);
                    if (!m_store->insertTask(t).ok() || !m_store->task(t.id).ok() ||
                        !m_store->recordFrozen(makeEntry(t.id, t.path)).ok())
                        ++failures;
                }
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(120000));
            delete t;
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(*m_store->countTasks({}), kThreads * kPerThread);
    }

    void threadConnectionsAreClosedWithTheirThread()
    {
        QCOMPARE(m_store->openConnections(), 1); // the test thread's
        for (int round = 0; round < 3; ++round) {
            std::atomic<bool> ok{false};
            std::unique_ptr<QThread> thread(QThread::create([this, &ok] {
                ok = m_store->insertTask(makeTask(QStringLiteral("/data/repo/thread"))).ok();
            }));
            thread->start();
            QVERIFY(thread->wait(60000));
            QVERIFY(ok);
            QCOMPARE(m_store->openConnections(), 1);
        }
        QCOMPARE(*m_store->countTasks({}), 3);
    }

    void reconnectsAfterServerRestart()
    {
        QFETCH_GLOBAL(QString, backend);
        if (backend != u"postgresql")
            QSKIP("SQLite has no server to restart");
        m_store->setTaskCacheCapacity(0); // every read goes to the server
        TaskInfo t = makeTask(QStringLiteral("/data/repo/r"));
        QVERIFY(m_store->insertTask(t).ok());
        QVERIFY2(m_pg.restart(), qPrintable(m_pg.errorString()));
        // The connection the server dropped is replaced transparently.
        auto second = m_store->task(t.id);
        QVERIFY2(second.ok(), second ? "" : qPrintable(second.error().message));
        QCOMPARE(second->path, t.path);
        QVERIFY(m_store->updateProgress(t.id, {1, 2, 3, 4, 5, 6}).ok());
    }

    void badDatabaseGivesClearError()
    {
        QFETCH_GLOBAL(QString, backend);
        DatabaseUri uri;
        if (backend == u"sqlite") {
            uri = DatabaseUri::sqlite(QStringLiteral("/proc/baricadr-nope/x.sqlite"));
        } else {
            uri = *DatabaseUri::parse(QStringLiteral("postgresql://postgres:s3cret@%1:%2/does_not_exist")
                                          .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_pg.socketDir())),
                                               QString::number(m_pg.port())));
        }
        auto store = TaskStore::open(uri);
        QVERIFY(!store.ok());
        qDebug() << store.error().message;
        QVERIFY(!store.error().message.contains(QStringLiteral("s3cret")));
        QVERIFY(store.error().message.contains(backend == u"sqlite" ? QStringLiteral("/proc/baricadr-nope")
                                                                    : QStringLiteral("does_not_exist")));
    }

    void crashDuringWrites()
    {
        // A writer committing tasks and journal rows is kill -9'ed at a random point, three times.
        // Afterwards the database opens, is intact, and holds every row the writer reported.
        const DatabaseUri uri = m_store->uri();
        const QString uriText =
            uri.isSqlite() ? QStringLiteral("sqlite://") + uri.sqlitePath : m_pg.uri(uri.database);
        m_store.reset();
        QSet<QString> reported;
        for (int round = 0; round < 3; ++round) {
            QProcess writer;
            writer.start(QCoreApplication::applicationDirPath() + QStringLiteral("/store_crash_writer"),
                         {uriText, QStringLiteral("round%1").arg(round)});
            QVERIFY2(writer.waitForStarted(10000), qPrintable(writer.errorString()));
            QByteArray out;
            const int target = 200 + round * 137;
            QElapsedTimer timer;
            timer.start();
            while (out.count("J ") < target && timer.elapsed() < 60000 &&
                   writer.state() == QProcess::Running) {
                writer.waitForReadyRead(1000);
                out += writer.readAllStandardOutput();
            }
            QVERIFY2(writer.state() == QProcess::Running,
                     qPrintable(QString::fromLocal8Bit(writer.readAllStandardError())));
            writer.kill(); // SIGKILL, in the middle of whatever it was writing
            QVERIFY(writer.waitForFinished(10000));
            out += writer.readAllStandardOutput();
            int lines = 0;
            for (const QByteArray &line : out.split('\n')) {
                if (line.startsWith("J ")) {
                    reported.insert(QString::fromUtf8(line.mid(2)));
                    ++lines;
                }
            }
            QVERIFY(lines >= target);
        }

        if (uri.isSqlite())
            QCOMPARE(scalar(uri, QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        auto store = TaskStore::open(uri);
        QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
        QSet<QString> stored;
        QVERIFY((*store)
                    ->journalUnder(QStringLiteral("/data/repo"), QString(),
                                   [&](const QList<JournalEntry> &b) {
                                       for (const JournalEntry &e : b)
                                           stored.insert(e.relPath);
                                       return true;
                                   })
                    .ok());
        QSet<QString> lost = reported - stored;
        QVERIFY2(lost.isEmpty(), qPrintable(QStringLiteral("%1 reported rows missing, e.g. %2")
                                                .arg(lost.size())
                                                .arg(lost.isEmpty() ? QString() : *lost.begin())));
        // Every batch (rows f2 and f3 of a round) is all-or-nothing.
        for (const QString &path : stored) {
            if (path.endsWith(QStringLiteral("/f2")))
                QVERIFY2(stored.contains(path.chopped(1) + QLatin1Char('3')), qPrintable(path));
        }
        // Interrupted tasks are found and failed, like at a restart.
        QVERIFY((*store)->markInterrupted(QStringLiteral("interrupted")).ok());
        QVERIFY((*store)->unfinishedTasks()->isEmpty());
        qDebug() << reported.size() << "reported journal rows," << stored.size() << "stored";
    }

    void lookupSpeed()
    {
        // Not a timed test: prints lookups per second with 10,000 tasks (target: >= 50k/s on SQLite).
        QStringList ids;
        QElapsedTimer insertTimer;
        insertTimer.start();
        for (int i = 0; i < 10000; ++i) {
            TaskInfo t = makeTask(QStringLiteral("/data/repo/f%1").arg(i), i);
            t.status = TaskStatus::Finished;
            t.finished = t.created.addSecs(3);
            t.result.affected = {QStringLiteral("f%1").arg(i)};
            QVERIFY(m_store->insertTask(t).ok());
            ids.append(t.id);
        }
        const qint64 insertMs = insertTimer.elapsed();
        auto rate = [&](int lookups) {
            QElapsedTimer timer;
            timer.start();
            for (int i = 0; i < lookups; ++i) {
                if (!m_store->task(ids[(i * 7919) % ids.size()]).ok())
                    return -1.0;
            }
            return lookups * 1e9 / std::max<qint64>(1, timer.nsecsElapsed());
        };
        m_store->setTaskCacheCapacity(0);
        const double uncached = rate(20000);
        m_store->setTaskCacheCapacity(20000);
        (void)rate(10000); // fill
        const double cached = rate(200000);
        QVERIFY(uncached > 0 && cached > 0);
        QElapsedTimer pageTimer;
        pageTimer.start();
        TaskQuery page;
        page.limit = 100;
        for (int i = 0; i < 100; ++i)
            QCOMPARE(m_store->tasks(page, TaskFields::Summary)->size(), 100);
        QFETCH_GLOBAL(QString, backend);
        qDebug().noquote() << QStringLiteral(
                                  "%1: 10000 inserts in %2 ms; task(id) from the database: %3/s (%4 us); "
                                  "from the cache: %5/s (%6 us); page of 100 newest: %7 ms")
                                  .arg(backend, QString::number(insertMs), QString::number(qRound(uncached)),
                                       QString::number(1e6 / uncached, 'f', 1),
                                       QString::number(qRound(cached)), QString::number(1e6 / cached, 'f', 2),
                                       QString::number(pageTimer.elapsed() / 100.0, 'f', 2));
    }
};

QTEST_GUILESS_MAIN(tst_TaskStore)
#include "tst_taskstore.moc"
