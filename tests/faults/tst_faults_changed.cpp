// Files that change under a running freeze of a real `baricadr serve` (real SFTP backup on
// loopback): after planning, while the freeze is deleting, one file is read (its atime moves),
// one is rewritten (then made to look cold again, so only size/mtime tell), one is replaced by a
// new file with the same content and times (only the inode tells). None of them may be frozen;
// the task log says why. Files whose backup copy differs in size, is older, or is missing are
// kept too, with the reason in the task log. Everything else is frozen, and journaled.
// (The same checks one layer down: tests/freeze/tst_freezer.cpp::readBetweenPlanningAndDeletionKept,
// ::modifiedKept, ::replacedByNewInodeKept; tests/freeze/tst_freezejob.cpp::remoteRulesEndToEnd.)
#include "faultsupport.h"
#include "servedaemon.h"

#include <QFileSystemWatcher>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>

#include <csignal>

using namespace baricadr;
using namespace baricadr::test;

class TestFaultsChanged : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void changedBetweenPlanningAndDeletionKept();
};

void TestFaultsChanged::changedBetweenPlanningAndDeletionKept()
{
    QTemporaryDir dir;
    const QString local = dir.filePath(QStringLiteral("repo"));
    const QString served = dir.filePath(QStringLiteral("served"));
    const QHash<QString, QByteArray> files = makeTree(local, 30, 100);
    QVERIFY(QDir().mkpath(served));
    QVERIFY(copyTree(local, served + QStringLiteral("/backup")));
    QVERIFY(ageTree(local, 400));
    // The backup differs for three files (planning must keep them).
    const QString sizeDiffers = QStringLiteral("d001/f1.dat"), remoteOlder = QStringLiteral("d001/f2.dat"),
                  notOnRemote = QStringLiteral("d001/f3.dat");
    QVERIFY(writeFile(served + QStringLiteral("/backup"), sizeDiffers, files.value(sizeDiffers) + "more"));
    QVERIFY(setTimes(served + QStringLiteral("/backup/") + remoteOlder, 1e9, 1e9)); // 2001
    QVERIFY(QFile::remove(served + QStringLiteral("/backup/") + notOnRemote));
    SftpServer sftp(served, plainCredentials());
    QVERIFY(sftp.start());
    ServeDaemon serve(dir.filePath(QStringLiteral("state")));
    serve.setReposYaml(
        sftpRepoYaml(local, sftp, QStringLiteral("backup"), "  freezable: true\n  freeze_age: 180\n"));
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    HttpTester http(serve.base());

    // At the first deletion (planning is over) the service is paused (SIGSTOP, so the test does
    // not race it) and, in every directory it has not started on, f5 is read, f6 rewritten and
    // f7 replaced by a copy with the same content and times; then it goes on (SIGCONT).
    QStringList dirs;
    for (int d = 0; d < 30; ++d)
        dirs << local + QStringLiteral("/d%1").arg(d, 3, 10, QLatin1Char('0'));
    QFileSystemWatcher watcher(dirs);
    QStringList read, rewritten, replaced;
    bool changed = false;
    connect(&watcher, &QFileSystemWatcher::directoryChanged, this, [&] {
        if (changed)
            return;
        changed = true;
        ::kill(pid_t(serve.pid()), SIGSTOP);
        for (int d = 2; d < 30; ++d) {
            const QString rel = QStringLiteral("d%1/").arg(d, 3, 10, QLatin1Char('0'));
            if (filesUnder(local + u'/' + rel).size() != 100)
                continue; // the freeze has started on this one
            {
                QFile f(local + u'/' + rel + u"f5.dat"_qs); // a user reads it: relatime bumps the old atime
                if (f.open(QIODevice::ReadOnly | QIODevice::ExistingOnly) && !f.readAll().isEmpty())
                    read << rel + u"f5.dat"_qs;
            }
            {
                const QString path = local + u'/' + rel + u"f6.dat"_qs;
                QFile f(path); // rewritten in place, then made to look cold again
                if (f.open(QIODevice::WriteOnly | QIODevice::ExistingOnly) &&
                    f.write("rewritten during the freeze\n") > 0) {
                    f.close();
                    if (setAtimeDaysAgo(path, 400))
                        rewritten << rel + u"f6.dat"_qs;
                }
            }
            {
                const QString path = local + u'/' + rel + u"f7.dat"_qs;
                struct stat st;
                if (::lstat(QFile::encodeName(path).constData(), &st) == 0 &&
                    writeFile(local, rel + u"f7.new"_qs, files.value(rel + u"f7.dat"_qs)) &&
                    ::rename(QFile::encodeName(local + u'/' + rel + u"f7.new"_qs).constData(),
                             QFile::encodeName(path).constData()) == 0) {
                    struct timespec times[2] = {st.st_atim, st.st_mtim};
                    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times,
                                    AT_SYMLINK_NOFOLLOW) == 0)
                        replaced << rel + u"f7.dat"_qs;
                }
            }
        }
        ::kill(pid_t(serve.pid()), SIGCONT);
    });
    const HttpAnswer a = http.post(QStringLiteral("/freeze"), {{u"path"_qs, local}});
    QCOMPARE(a.status, 200);
    const QString task = a.object().value(u"task").toString();
    const QJsonObject t = waitTaskDone(http, task);
    QVERIFY(changed);
    qInfo("changed during the freeze: %lld read, %lld rewritten, %lld replaced", qlonglong(read.size()),
          qlonglong(rewritten.size()), qlonglong(replaced.size()));
    QVERIFY2(!read.isEmpty() && !rewritten.isEmpty() && !replaced.isEmpty(),
             "the freeze was over before the changes: the test proves nothing");
    QVERIFY2(t.value(u"status").toString() == u"finished", qPrintable(t.value(u"error").toString()));

    // Kept, as they are now.
    for (const QString &rel : std::as_const(read))
        QCOMPARE(readFileNoAtime(local + u'/' + rel), files.value(rel));
    for (const QString &rel : std::as_const(rewritten))
        QCOMPARE(readFileNoAtime(local + u'/' + rel), QByteArray("rewritten during the freeze\n"));
    for (const QString &rel : std::as_const(replaced))
        QCOMPARE(readFileNoAtime(local + u'/' + rel), files.value(rel));
    for (const QString &rel : {sizeDiffers, remoteOlder, notOnRemote})
        QCOMPARE(readFileNoAtime(local + u'/' + rel), files.value(rel));
    // The log says why, per file.
    const QString log = http.get(QStringLiteral("/tasks/log/") + task).object().value(u"logs").toString();
    QList<QPair<QString, QString>> why = {{sizeDiffers, u"size_mismatch"_qs},
                                          {remoteOlder, u"modified_locally"_qs},
                                          {notOnRemote, u"not_on_remote"_qs}};
    for (const QString &rel : read + rewritten + replaced)
        why.append({rel, u"changed_during_freeze"_qs});
    for (const auto &[rel, reason] : why)
        QVERIFY2(log.contains(QStringLiteral("Kept %1: %2").arg(rel, reason)),
                 qPrintable(QStringLiteral("no 'Kept %1: %2' in the task log").arg(rel, reason)));
    QSet<QString> keptSet{sizeDiffers, remoteOlder, notOnRemote};
    for (const QString &rel : read + rewritten + replaced)
        keptSet.insert(rel);
    // Everything else frozen and journaled.
    QCOMPARE(serve.stop(), 0);
    QString error;
    const QHash<QString, qint64> journal = journalOf(serve.databasePath(), {task}, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        const bool kept = keptSet.contains(it.key());
        QVERIFY2(lexists(local + u'/' + it.key()) == kept, qPrintable(it.key()));
        QVERIFY2(journal.contains(it.key()) == !kept, qPrintable(it.key()));
    }
}

QTEST_GUILESS_MAIN(TestFaultsChanged)
#include "tst_faults_changed.moc"
