// kill -9 of a real `baricadr serve` in the middle of a freeze and in the middle of a burst of
// database writes, then a restart on the same database. What must hold afterwards:
//   - the service starts again; the killed task is failed "interrupted"; no task is left running;
//   - the SQLite database passes `PRAGMA integrity_check`;
//   - every file missing from the repo is in the freeze journal, and its backup copy holds the
//     same content (nothing deleted that was not verified); every file still in the repo is
//     whole (no truncated file);
//   - every write the service acknowledged (a task id, a pin) is still there.
//   - a pull killed mid-transfer leaves no partial file under a final name, and the restart
//     clears its staging; pulled again, every file arrives whole.
// (kill -9 mid-pull one layer down: tests/engine/tst_engine_crash.cpp, tests/pull/tst_puller.cpp.)
#include "faultsupport.h"
#include "freeze/freezer.h"
#include "scan/localscanner.h"
#include "servedaemon.h"
#include "store/databaseuri.h"
#include "store/taskstore.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>

using namespace baricadr;
using namespace baricadr::test;

namespace {

QString integrityCheck(const QString &path)
{
    const QString name = QStringLiteral("faults-integrity");
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open())
            return db.lastError().text();
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("PRAGMA integrity_check")) && q.next())
            result = q.value(0).toString();
        else
            result = q.lastError().text();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace

class TestFaultsKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killNineDuringFreeze();
    void killNineDuringPull();
    void killNineDuringDatabaseWrites();
    void journalRecordedBeforeUnlink();
    void changedWhileRecordingKeptAndRetracted();
};

void TestFaultsKill::killNineDuringFreeze()
{
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("repo"));
    const QString served = dir.filePath(QStringLiteral("served"));
    const QHash<QString, QByteArray> files = makeTree(local, 30, 100);
    QCOMPARE(files.size(), 3000);
    QVERIFY(QDir().mkpath(served));
    QVERIFY(copyTree(local, served + QStringLiteral("/backup")));
    QVERIFY(ageTree(local, 400));
    SftpServer sftp(served, plainCredentials());
    QVERIFY(sftp.start());

    ServeDaemon serve(dir.filePath(QStringLiteral("state")));
    serve.setReposYaml(
        sftpRepoYaml(local, sftp, QStringLiteral("backup"), "  freezable: true\n  freeze_age: 180\n"));
    QStringList dirs;
    for (int d = 0; d < 30; ++d)
        dirs << local + QStringLiteral("/d%1").arg(d, 3, 10, QLatin1Char('0'));

    QStringList killedTasks;
    QString lastTask;
    // Three rounds killed at different points after the first deletion, then one let finish.
    const QList<int> killDelaysMs = {0, 7, 25, -1};
    for (int round = 0; round < killDelaysMs.size(); ++round) {
        const int delay = killDelaysMs.at(round);
        QVERIFY2(serve.start(), qPrintable(serve.log()));
        HttpTester http(serve.base());
        if (round > 0) {
            // The restart recovered the killed task: failed "interrupted", nothing left running.
            const QJsonObject t = http.get(QStringLiteral("/tasks/status/") + lastTask).object();
            QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
            QVERIFY2(t.value(u"error").toString().contains(QStringLiteral("interrupted")),
                     qPrintable(t.value(u"error").toString()));
            for (const QJsonValue &v : http.get(QStringLiteral("/tasks")).array())
                QVERIFY2(!isUnfinished(v.toObject().value(u"status").toString()),
                         qPrintable(v.toObject().value(u"task_id").toString()));
        }

        QFileSystemWatcher watcher(dirs);
        bool armed = false;
        if (delay >= 0) {
            connect(&watcher, &QFileSystemWatcher::directoryChanged, this, [&] {
                if (armed)
                    return;
                armed = true; // the first file is gone: kill after `delay` ms
                QTimer::singleShot(delay, this, [&serve] { serve.kill9(); });
            });
        }
        const HttpAnswer a = http.post(QStringLiteral("/freeze"), {{u"path"_qs, local}});
        QCOMPARE(a.status, 200);
        lastTask = a.object().value(u"task").toString();
        QVERIFY(!lastTask.isEmpty());
        if (delay >= 0) {
            QTRY_VERIFY_WITH_TIMEOUT(!serve.isRunning(), 60000);
            killedTasks << lastTask;
        } else {
            const QJsonObject t = waitTaskDone(http, lastTask);
            QCOMPARE(t.value(u"status").toString(), QStringLiteral("finished"));
            QCOMPARE(serve.stop(), 0);
        }

        // The repo and the backup, as the kill left them.
        int missing = 0;
        for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
            const QString path = local + u'/' + it.key();
            if (lexists(path)) {
                QCOMPARE(readFileNoAtime(path), it.value()); // whole, never truncated
            } else {
                ++missing;
                // Deleted only with a verified copy on the remote.
                QCOMPARE(readFileNoAtime(served + QStringLiteral("/backup/") + it.key()), it.value());
            }
        }
        QVERIFY(filesUnder(local).size() == files.size() - missing); // nothing else appeared

        // The database: intact, and every deleted file journaled.
        QCOMPARE(integrityCheck(serve.databasePath()), QStringLiteral("ok"));
        {
            auto store = TaskStore::open(DatabaseUri::sqlite(serve.databasePath()));
            QVERIFY2(store.ok(), store ? "" : qPrintable(store.error().message));
            QSet<QString> journaled;
            QStringList ids = killedTasks;
            if (!ids.contains(lastTask))
                ids << lastTask;
            for (const QString &id : std::as_const(ids)) {
                const auto j = (*store)->journalForTask(id);
                QVERIFY(j.ok());
                QSet<QString> ofTask;
                int stillHere = 0;
                for (const JournalEntry &e : *j) {
                    QVERIFY2(!ofTask.contains(e.relPath), qPrintable(e.relPath)); // once per task
                    ofTask.insert(e.relPath);
                    journaled.insert(e.relPath);
                    QCOMPARE(e.size, qint64(files.value(e.relPath).size()));
                    if (lexists(local + u'/' + e.relPath))
                        ++stillHere;
                }
                // Recorded first, removed second: the kill may leave at most the one file it
                // interrupted journaled and still here; the restart takes that row back, so a
                // task killed in an earlier round has none.
                const int allowed = id == lastTask && delay >= 0 ? 1 : 0;
                QVERIFY2(stillHere <= allowed,
                         qPrintable(QStringLiteral("task %1: %2 journaled file(s) still in the repo")
                                        .arg(id)
                                        .arg(stillHere)));
            }
            QStringList unjournaled;
            for (auto it = files.constBegin(); it != files.constEnd(); ++it)
                if (!lexists(local + u'/' + it.key()) && !journaled.contains(it.key()))
                    unjournaled << it.key();
            QVERIFY2(unjournaled.isEmpty(),
                     qPrintable(QStringLiteral("round %1: %2 deleted file(s) not in the freeze journal: %3")
                                    .arg(round)
                                    .arg(unjournaled.size())
                                    .arg(unjournaled.join(u", "))));
            qInfo("round %d (kill %d ms after the first deletion): %d of %lld files frozen, %lld journaled",
                  round, delay, missing, qlonglong(files.size()), qlonglong(journaled.size()));
            if (delay < 0) {
                QCOMPARE(missing, int(files.size())); // the last, uninterrupted freeze did the rest
            }
        }
    }
}

void TestFaultsKill::killNineDuringPull()
{
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("repo"));
    const QString backup = dir.filePath(QStringLiteral("served/backup"));
    // Small files around a big one, served slowly (4 MiB/s) so the kill lands mid-transfer.
    QHash<QString, QByteArray> files = makeTree(backup, 4, 25);
    QByteArray big(24 * 1024 * 1024, '\0');
    for (int i = 0; i < big.size(); i += 4096)
        big[i] = char('A' + (i / 4096) % 26);
    QVERIFY(writeFile(backup, QStringLiteral("d001/big.bin"), big));
    files.insert(QStringLiteral("d001/big.bin"), big);
    QVERIFY(QDir().mkpath(local));
    SftpServer::Options o = plainCredentials();
    o.bwlimit = QStringLiteral("4M");
    SftpServer sftp(dir.filePath(QStringLiteral("served")), o);
    QVERIFY(sftp.start());
    ServeDaemon serve(dir.filePath(QStringLiteral("state")));
    serve.setReposYaml(sftpRepoYaml(local, sftp, QStringLiteral("backup")));
    QVERIFY2(serve.start(), qPrintable(serve.log()));

    QString killed;
    {
        HttpTester http(serve.base());
        const HttpAnswer a = http.post(QStringLiteral("/pull"), {{u"path"_qs, local}});
        QCOMPARE(a.status, 200);
        killed = a.object().value(u"task").toString();
        QVERIFY(!killed.isEmpty());
        // Kill once part of the big file has arrived (somewhere under the staging directory).
        auto bigPartArrived = [&] {
            for (QDirIterator it(local, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
                 it.hasNext();) {
                it.next();
                if (it.fileInfo().size() > 1024 * 1024)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(bigPartArrived(), 60000);
        serve.kill9();
        QTRY_VERIFY_WITH_TIMEOUT(!serve.isRunning(), 10000);
    }

    // As the kill left it: whatever sits under a final name is whole.
    int whole = 0;
    for (const QString &rel : filesUnder(local)) {
        if (rel.startsWith(u".baricadr-staging/"))
            continue;
        QVERIFY2(files.contains(rel), qPrintable(rel));
        QCOMPARE(readFileNoAtime(local + u'/' + rel), files.value(rel));
        ++whole;
    }
    QVERIFY2(!QFileInfo::exists(local + QStringLiteral("/d001/big.bin")), "the big file was mid-transfer");

    // Restarted: the task is failed "interrupted", staging is gone, and a new pull completes.
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    HttpTester http(serve.base());
    const QJsonObject t = http.get(QStringLiteral("/tasks/status/") + killed).object();
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
    QVERIFY2(t.value(u"error").toString().contains(u"interrupted"), qPrintable(t.value(u"error").toString()));
    for (const QString &rel : filesUnder(local))
        QVERIFY2(!rel.startsWith(u".baricadr-staging/"), qPrintable(rel + u" left after the restart"_qs));
    const HttpAnswer again = http.post(QStringLiteral("/pull"), {{u"path"_qs, local}});
    QCOMPARE(again.status, 200);
    const QJsonObject done = waitTaskDone(http, again.object().value(u"task").toString(), 180000);
    QCOMPARE(done.value(u"status").toString(), QStringLiteral("finished"));
    QCOMPARE(filesUnder(local), QSet<QString>(files.keyBegin(), files.keyEnd()));
    for (auto it = files.constBegin(); it != files.constEnd(); ++it)
        QCOMPARE(readFileNoAtime(local + u'/' + it.key()), it.value());
    qInfo("killed with %d of %lld files in place; pulled again: all whole", whole, qlonglong(files.size()));
    QCOMPARE(serve.stop(), 0);
}

void TestFaultsKill::killNineDuringDatabaseWrites()
{
    // Many clients write at once (new pull tasks, which the engine then runs and updates, and
    // pins); the service is killed in the middle. Every acknowledged write must survive.
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("repo"));
    const QString served = dir.filePath(QStringLiteral("served"));
    QVERIFY(createOriginalLayout(served + QStringLiteral("/backup")));
    QVERIFY(QDir().mkpath(local));
    SftpServer sftp(served, plainCredentials());
    QVERIFY(sftp.start());
    ServeDaemon serve(dir.filePath(QStringLiteral("state")));
    serve.setReposYaml(sftpRepoYaml(local, sftp, QStringLiteral("backup")));
    QVERIFY2(serve.start(), qPrintable(serve.log()));

    QNetworkAccessManager nam;
    QStringList ackedTasks, ackedPins;
    int sent = 0, inFlight = 0;
    std::function<void()> sendOne = [&] {
        const bool pin = sent % 2 == 1;
        QJsonObject body;
        if (pin)
            body.insert(u"path"_qs, QString(local + QStringLiteral("/pinned/p%1").arg(sent)));
        else {
            body.insert(u"path"_qs, QString(local + QStringLiteral("/subdir/n%1").arg(sent)));
            body.insert(u"dry_run"_qs, true);
        }
        QNetworkRequest req(QUrl(serve.base() + (pin ? QStringLiteral("/pins") : QStringLiteral("/pull"))));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply *reply = nam.post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
        ++sent;
        ++inFlight;
        connect(reply, &QNetworkReply::finished, this, [&, reply, pin] {
            --inFlight;
            reply->deleteLater();
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
                const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
                if (pin)
                    ackedPins << o.value(u"path").toString();
                else
                    ackedTasks << o.value(u"task").toString();
            }
            if (serve.isRunning() && sent < 100000)
                sendOne();
        });
    };
    for (int i = 0; i < 8; ++i)
        sendOne();
    // Kill at a random point once a few hundred writes were acknowledged.
    const int target = 200 + int(QRandomGenerator::global()->bounded(200));
    QTRY_VERIFY_WITH_TIMEOUT(ackedTasks.size() + ackedPins.size() >= target || !serve.isRunning(), 120000);
    QVERIFY2(serve.isRunning(), qPrintable(serve.log()));
    serve.kill9();
    QTRY_VERIFY_WITH_TIMEOUT(inFlight == 0, 30000);
    qInfo("killed after %lld tasks and %lld pins acknowledged (%d requests sent)",
          qlonglong(ackedTasks.size()), qlonglong(ackedPins.size()), sent);

    QCOMPARE(integrityCheck(serve.databasePath()), QStringLiteral("ok"));
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    HttpTester http(serve.base());
    QSet<QString> pins;
    for (const QJsonValue &v : http.get(QStringLiteral("/pins")).array())
        pins.insert(v.toObject().value(u"path").toString());
    for (const QString &p : std::as_const(ackedPins))
        QVERIFY2(pins.contains(p), qPrintable(QStringLiteral("acknowledged pin lost: ") + p));
    for (const QString &id : std::as_const(ackedTasks)) {
        const HttpAnswer a = http.get(QStringLiteral("/tasks/status/") + id);
        QVERIFY2(a.status == 200, qPrintable(QStringLiteral("acknowledged task lost: ") + id));
        QVERIFY2(!isUnfinished(a.object().value(u"status").toString()), qPrintable(id));
    }
    const HttpAnswer list = http.get(QStringLiteral("/tasks"));
    QCOMPARE(list.status, 200);
    for (const QJsonValue &v : list.array())
        QVERIFY2(!isUnfinished(v.toObject().value(u"status").toString()),
                 qPrintable(v.toObject().value(u"task_id").toString()));
    // And it still works: a new pull runs to the end.
    const HttpAnswer a =
        http.post(QStringLiteral("/pull"), QJsonObject{{u"path"_qs, QString(local + u"/subdir"_qs)}});
    QCOMPARE(a.status, 200);
    QCOMPARE(waitTaskDone(http, a.object().value(u"task").toString()).value(u"status").toString(),
             QStringLiteral("finished"));
    QCOMPARE(readFileNoAtime(local + QStringLiteral("/subdir/subfile.txt")),
             readFileNoAtime(served + QStringLiteral("/backup/subdir/subfile.txt")));
    QCOMPARE(serve.stop(), 0);
}

// The fix behind killNineDuringFreeze, one layer down with a real SQLite journal: the freezer
// records a file before it removes it (a kill in between leaves a row for a file still here,
// never a removed file missing from the journal), checks the file once more after the record,
// and takes the record back when it keeps the file after all.
namespace {
FreezeCandidate plannedNow(const QString &root, const QString &rel)
{
    std::vector<LocalEntry> v;
    LocalScanner::scanAll({root, rel, false, 10}, &v);
    FreezeCandidate c;
    if (v.size() != 1)
        return c;
    c.local = v[0];
    c.remote.relPath = rel;
    c.remote.size = c.local.size;
    c.remote.mtimeNs = c.local.mtimeNs;
    return c;
}
} // namespace

void TestFaultsKill::journalRecordedBeforeUnlink()
{
    QTemporaryDir dir;
    const QString root = QDir(dir.path()).canonicalPath() + QStringLiteral("/repo");
    QVERIFY(writeFile(root, QStringLiteral("a/cold.txt"), "cold\n"));
    QVERIFY(ageTree(root, 400));
    auto store = TaskStore::open(DatabaseUri::sqlite(dir.filePath(QStringLiteral("db.sqlite"))));
    QVERIFY(store.ok());
    bool existedWhenRecorded = false;
    FreezerOptions o;
    o.root = root;
    o.taskId = QStringLiteral("t1");
    o.coldBeforeNs = (QDateTime::currentSecsSinceEpoch() - 180 * 86400LL) * 1000000000LL;
    o.record = [&](const JournalEntry &j) {
        existedWhenRecorded = lexists(root + u'/' + j.relPath);
        return (*store)->recordFrozen(j);
    };
    o.retract = [&](const JournalEntry &j) { return (*store)->forgetFrozen(j); };
    Freezer f(o);
    QVERIFY(f.open().ok());
    const FreezeCandidate c = plannedNow(root, QStringLiteral("a/cold.txt"));
    QVERIFY(!c.local.relPath.isEmpty());
    const FreezeStep s = f.freezeOne(c);
    QCOMPARE(int(s.kind), int(FreezeStep::Frozen));
    QVERIFY(existedWhenRecorded);
    QVERIFY(!lexists(root + QStringLiteral("/a/cold.txt")));
    QCOMPARE((*store)->journalForTask(QStringLiteral("t1"))->size(), 1);
}

void TestFaultsKill::changedWhileRecordingKeptAndRetracted()
{
    // The file is rewritten while its journal row is being committed: kept, row taken back.
    QTemporaryDir dir;
    const QString root = QDir(dir.path()).canonicalPath() + QStringLiteral("/repo");
    QVERIFY(writeFile(root, QStringLiteral("a/cold.txt"), "cold\n"));
    QVERIFY(ageTree(root, 400));
    auto store = TaskStore::open(DatabaseUri::sqlite(dir.filePath(QStringLiteral("db.sqlite"))));
    QVERIFY(store.ok());
    FreezerOptions o;
    o.root = root;
    o.taskId = QStringLiteral("t1");
    o.coldBeforeNs = (QDateTime::currentSecsSinceEpoch() - 180 * 86400LL) * 1000000000LL;
    o.record = [&](const JournalEntry &j) {
        const Status st = (*store)->recordFrozen(j);
        writeFile(root, j.relPath, "changed while the row was committed\n");
        setAtimeDaysAgo(root + u'/' + j.relPath, 400); // cold again: only size/mtime tell
        return st;
    };
    o.retract = [&](const JournalEntry &j) { return (*store)->forgetFrozen(j); };
    Freezer f(o);
    QVERIFY(f.open().ok());
    const FreezeStep s = f.freezeOne(plannedNow(root, QStringLiteral("a/cold.txt")));
    QCOMPARE(int(s.kind), int(FreezeStep::Kept));
    QCOMPARE(toString(s.kept.reason), toString(KeepReason::ChangedDuringFreeze));
    QCOMPARE(readFileNoAtime(root + QStringLiteral("/a/cold.txt")),
             QByteArray("changed while the row was committed\n"));
    QVERIFY((*store)->journalForTask(QStringLiteral("t1"))->isEmpty());
    // Taking back a row that is not there says so.
    JournalEntry none;
    none.taskId = QStringLiteral("t1");
    none.repoRoot = root;
    none.relPath = QStringLiteral("a/cold.txt");
    QCOMPARE(int((*store)->forgetFrozen(none).error().code), int(ErrorCode::NotFound));
}

QTEST_GUILESS_MAIN(TestFaultsKill)
#include "tst_faults_kill.moc"
