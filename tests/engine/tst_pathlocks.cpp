// Pure tests of the queue's path-lock rules (core/tasks/pathlocks.h): dedup into covering tasks,
// waiting for overlapping earlier tasks, component-wise containment, type and option separation,
// FIFO release. Each row is a script of operations and the outcome expected after each one.
#include "tasks/pathlocks.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

using namespace baricadr;

class TestPathLocks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void script_data();
    void script();
    void blockersAreListedOldestFirst();
    void stopDeduplicatingKeepsTheLock();
    void thousandOverlappingRequests();
};

// Operations:
//   "<type> <path> [key=K] [nodedup]"  submit; outcome "new:<blockers>" or "dup:<op index>"
//   "finish <op index>"                 outcome "ready:<op indices released, oldest first>"
//   "take"                              take the next ready task; outcome "<op index>" or "-"
void TestPathLocks::script_data()
{
    QTest::addColumn<QStringList>("ops");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("identical requests share one task")
        << QStringList{u"pull /data/a"_qs, u"pull /data/a"_qs, u"pull /data/a"_qs}
        << QStringList{u"new:0"_qs, u"dup:0"_qs, u"dup:0"_qs};
    QTest::newRow("descendant request joins the ancestor task")
        << QStringList{u"pull /data/a"_qs, u"pull /data/a/sub/file.txt"_qs, u"pull /data/a/sub"_qs}
        << QStringList{u"new:0"_qs, u"dup:0"_qs, u"dup:0"_qs};
    QTest::newRow("ancestor request waits for descendants")
        << QStringList{u"pull /data/a/x"_qs, u"pull /data/a/y"_qs, u"pull /data/a"_qs, u"finish 0"_qs,
                       u"finish 1"_qs}
        << QStringList{u"new:0"_qs, u"new:0"_qs, u"new:2"_qs, u"ready:"_qs, u"ready:2"_qs};
    QTest::newRow("/data/a does not cover /data/ab")
        << QStringList{u"pull /data/a"_qs, u"pull /data/ab"_qs, u"pull /data/ab/c"_qs, u"freeze /data/abc"_qs}
        << QStringList{u"new:0"_qs, u"new:0"_qs, u"dup:1"_qs, u"new:0"_qs};
    QTest::newRow("/data/ab is not below /data/a for waiting either")
        << QStringList{u"pull /data/ab"_qs, u"pull /data/a"_qs, u"pull /data/a-b"_qs, u"pull /data"_qs}
        << QStringList{u"new:0"_qs, u"new:0"_qs, u"new:0"_qs, u"new:3"_qs};
    QTest::newRow("other type never dedups, it waits")
        << QStringList{u"freeze /data"_qs, u"pull /data/a/file"_qs, u"pull /data/a/file"_qs, u"finish 0"_qs}
        << QStringList{u"new:0"_qs, u"new:1"_qs, u"dup:1"_qs, u"ready:1"_qs};
    QTest::newRow("freeze waits for a running pull below it")
        << QStringList{u"pull /data/a/file"_qs, u"take"_qs, u"freeze /data/a"_qs, u"take"_qs,
                       u"finish 0"_qs,          u"take"_qs}
        << QStringList{u"new:0"_qs, u"0"_qs, u"new:1"_qs, u"-"_qs, u"ready:2"_qs, u"2"_qs};
    QTest::newRow("different options do not dedup")
        << QStringList{u"pull /data/a key=dry"_qs, u"pull /data/a/b"_qs, u"pull /data/a/b key=dry"_qs,
                       u"finish 0"_qs}
        << QStringList{u"new:0"_qs, u"new:1"_qs, u"dup:0"_qs, u"ready:1"_qs};
    QTest::newRow("verify is its own type")
        << QStringList{u"verify /data"_qs, u"verify /data/x"_qs, u"freeze /data/x"_qs}
        << QStringList{u"new:0"_qs, u"dup:0"_qs, u"new:1"_qs};
    QTest::newRow("explicit file lists never merge")
        << QStringList{u"pull /data/a nodedup"_qs, u"pull /data/a/f"_qs, u"pull /data nodedup"_qs,
                       u"pull /data/a/f"_qs}
        << QStringList{u"new:0"_qs, u"new:1"_qs, u"new:2"_qs, u"dup:1"_qs};
    QTest::newRow("finished task no longer covers")
        << QStringList{u"pull /data/a"_qs, u"finish 0"_qs, u"pull /data/a"_qs}
        << QStringList{u"new:0"_qs, u"ready:"_qs, u"new:0"_qs};
    QTest::newRow("root path covers everything")
        << QStringList{u"pull /"_qs, u"pull /x/y"_qs, u"freeze /x"_qs}
        << QStringList{u"new:0"_qs, u"dup:0"_qs, u"new:1"_qs};
    QTest::newRow("fifo: ready tasks run oldest first")
        << QStringList{u"pull /r/a"_qs, u"take"_qs, u"pull /r"_qs, u"pull /s/d"_qs, u"pull /t"_qs,
                       u"finish 0"_qs,  u"take"_qs, u"take"_qs,    u"take"_qs,      u"take"_qs}
        << QStringList{u"new:0"_qs,   u"0"_qs, u"new:1"_qs, u"new:0"_qs, u"new:0"_qs,
                       u"ready:2"_qs, u"2"_qs, u"3"_qs,     u"4"_qs,     u"-"_qs};
    QTest::newRow("fifo: a later overlapping task waits behind a waiting one")
        << QStringList{u"pull /r/a"_qs, u"take"_qs, u"freeze /r"_qs, u"pull /r/c"_qs, u"take"_qs,
                       u"finish 0"_qs,  u"take"_qs, u"finish 2"_qs,  u"take"_qs}
        << QStringList{u"new:0"_qs,   u"0"_qs, u"new:1"_qs,   u"new:1"_qs, u"-"_qs,
                       u"ready:2"_qs, u"2"_qs, u"ready:3"_qs, u"3"_qs};
    QTest::newRow("cancelled waiting task releases nothing twice")
        << QStringList{u"pull /r/a"_qs, u"freeze /r"_qs, u"pull /r/b"_qs,
                       u"finish 1"_qs,  u"finish 0"_qs,  u"take"_qs}
        << QStringList{u"new:0"_qs, u"new:1"_qs, u"new:1"_qs, u"ready:2"_qs, u"ready:"_qs, u"2"_qs};
    QTest::newRow("unknown id is ignored") << QStringList{u"pull /r"_qs, u"finish 5"_qs, u"take"_qs}
                                           << QStringList{u"new:0"_qs, u"ready:"_qs, u"0"_qs};
}

void TestPathLocks::script()
{
    QFETCH(QStringList, ops);
    QFETCH(QStringList, expected);
    QCOMPARE(ops.size(), expected.size());

    PathLocks locks;
    QHash<QString, int> opOfId; // task id -> index of the op that created it
    auto idOf = [](int op) -> QString { return u"t"_qs + QString::number(op); };

    for (int i = 0; i < ops.size(); ++i) {
        const QStringList words = ops[i].split(u' ');
        QString outcome;
        if (words[0] == u"finish") {
            QStringList released;
            for (const QString &id : locks.finish(idOf(words[1].toInt())))
                released.append(QString::number(opOfId.value(id)));
            outcome = u"ready:"_qs + released.join(u',');
        } else if (words[0] == u"take") {
            const QString id = locks.takeNextReady();
            outcome = id.isEmpty() ? u"-"_qs : QString::number(opOfId.value(id));
        } else {
            const TaskType type = *taskTypeFromString(words[0]);
            QString key;
            bool dedupable = true;
            for (const QString &w : words.mid(2)) {
                if (w.startsWith(u"key="))
                    key = w.mid(4);
                else if (w == u"nodedup")
                    dedupable = false;
            }
            const auto covering = dedupable ? locks.findCovering(type, words[1], key) : std::nullopt;
            if (covering) {
                outcome = u"dup:"_qs + QString::number(opOfId.value(*covering));
            } else {
                const int blockers = locks.add({idOf(i), type, words[1], key, dedupable});
                opOfId.insert(idOf(i), i);
                outcome = u"new:"_qs + QString::number(blockers);
            }
        }
        QVERIFY2(outcome == expected[i], qPrintable(u"op %1 \"%2\": got %3, expected %4"_qs.arg(i).arg(
                                             ops[i], outcome, expected[i])));
    }
}

void TestPathLocks::blockersAreListedOldestFirst()
{
    PathLocks locks;
    locks.add({u"a"_qs, TaskType::Pull, u"/r/x/y"_qs, {}, true});
    locks.add({u"b"_qs, TaskType::Freeze, u"/r"_qs, {}, true});
    locks.add({u"c"_qs, TaskType::Pull, u"/q"_qs, {}, true});
    locks.add({u"d"_qs, TaskType::Freeze, u"/r/x"_qs, {}, true});
    QCOMPARE(locks.blockersOf(u"d"_qs), (QStringList{u"a"_qs, u"b"_qs}));
    QCOMPARE(locks.blockerCount(u"d"_qs), 2);
    locks.finish(u"a"_qs);
    QCOMPARE(locks.blockersOf(u"d"_qs), QStringList{u"b"_qs});
    QCOMPARE(locks.blockerCount(u"d"_qs), 1);
    QCOMPARE(locks.blockerCount(u"zz"_qs), -1);
}

void TestPathLocks::stopDeduplicatingKeepsTheLock()
{
    PathLocks locks;
    locks.add({u"a"_qs, TaskType::Pull, u"/r"_qs, {}, true});
    QCOMPARE(locks.takeNextReady(), u"a"_qs);
    QVERIFY(locks.isRunning(u"a"_qs));
    locks.stopDeduplicating(u"a"_qs); // being cancelled
    QVERIFY(!locks.findCovering(TaskType::Pull, u"/r/x"_qs, {}));
    QCOMPARE(locks.add({u"b"_qs, TaskType::Pull, u"/r/x"_qs, {}, true}), 1);
    QCOMPARE(locks.finish(u"a"_qs), QStringList{u"b"_qs});
}

// 1,000 requests on overlapping paths of one repo, mixed types: every request ends up either
// merged or run, every task runs exactly once, and nothing overlapping ever runs at once.
void TestPathLocks::thousandOverlappingRequests()
{
    PathLocks locks;
    QRandomGenerator rng(42);
    QStringList dirs{u"/repo"_qs};
    for (int i = 0; i < 10; ++i) {
        dirs.append(u"/repo/d"_qs + QString::number(i));
        for (int j = 0; j < 10; ++j)
            dirs.append(u"/repo/d"_qs + QString::number(i) + u"/f"_qs + QString::number(j));
    }
    int created = 0;
    int merged = 0;
    QHash<QString, QString> pathOf;
    QHash<QString, TaskType> typeOf;
    QSet<QString> running;
    QSet<QString> done;
    auto overlaps = [](const QString &a, const QString &b) {
        return a == b || a.startsWith(b + u'/') || b.startsWith(a + u'/');
    };
    auto runSome = [&] {
        while (running.size() < 2) {
            const QString id = locks.takeNextReady();
            if (id.isEmpty())
                break;
            for (const QString &other : std::as_const(running))
                QVERIFY2(!overlaps(pathOf[id], pathOf[other]),
                         qPrintable(pathOf[id] + u" vs "_qs + pathOf[other]));
            QVERIFY(!done.contains(id));
            running.insert(id);
        }
    };
    for (int i = 0; i < 1000; ++i) {
        const QString path = dirs[rng.bounded(int(dirs.size()))];
        const TaskType type = rng.bounded(10) == 0 ? TaskType::Freeze : TaskType::Pull;
        if (locks.findCovering(type, path, {})) {
            ++merged;
        } else {
            const QString id = QString::number(i);
            locks.add({id, type, path, {}, true});
            pathOf.insert(id, path);
            typeOf.insert(id, type);
            ++created;
        }
        if (i % 3 == 0 && !running.isEmpty()) {
            const QString id = *running.begin();
            running.remove(id);
            done.insert(id);
            locks.finish(id);
        }
        runSome();
    }
    for (int guard = 0; guard < 2000 && (!running.isEmpty() || locks.hasReady()); ++guard) {
        if (!running.isEmpty()) {
            const QString id = *running.begin();
            running.remove(id);
            done.insert(id);
            locks.finish(id);
        }
        runSome();
    }
    QCOMPARE(created + merged, 1000);
    QCOMPARE(done.size(), created);
    QCOMPARE(locks.size(), 0);
    QVERIFY(merged > 0);
}

QTEST_GUILESS_MAIN(TestPathLocks)
#include "tst_pathlocks.moc"
