#include "tasks/tasklog.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <memory>
#include <vector>

using namespace baricadr;

class TestTaskLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nameIsTheOriginals();
    void appendsFlushedLinesAcrossReopen();
    void secretsNeverReachTheFile();
    void shortSecretsDoNotRiddleTheLog();
    void missingLogIsNotFound();
    void unwritableDirectoryIsAClearError();
    void backgroundLinesArriveInOrder();
    void backgroundLogsHoldNoDescriptor();
    void removedLogIsNotRecreatedByQueuedLines();
    void unwritableBackgroundLogDropsLines();
};

namespace {
int openDescriptors()
{
    return int(QDir(u"/proc/self/fd"_qs).entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot).size());
}
} // namespace

void TestTaskLog::nameIsTheOriginals()
{
    const QDateTime created(QDate(2021, 2, 17), QTime(15, 11, 56), Qt::UTC);
    QCOMPARE(TaskLog::fileName(created, u"0a1b"_qs), u"2021-02-17_15-11-56_0a1b.log"_qs);
    // A local time is converted to UTC first.
    const QDateTime plusTwo(QDate(2021, 2, 17), QTime(17, 11, 56), QTimeZone(2 * 3600));
    QCOMPARE(TaskLog::fileName(plusTwo, u"x"_qs), u"2021-02-17_15-11-56_x.log"_qs);
    QCOMPARE(TaskLog::pathFor(u"/var/log/baricadr/tasks/"_qs, created, u"x"_qs),
             u"/var/log/baricadr/tasks/2021-02-17_15-11-56_x.log"_qs);
}

void TestTaskLog::appendsFlushedLinesAcrossReopen()
{
    QTemporaryDir dir;
    const QString path =
        TaskLog::pathFor(dir.filePath(u"sub/dir"_qs), QDateTime::currentDateTimeUtc(), u"id"_qs);
    {
        TaskLog log;
        QVERIFY(log.open(path).ok());
        log.write(u"Pull asked for /data/a"_qs);
        // Readable while still open: every line is flushed as written.
        const auto text = TaskLog::read(path);
        QVERIFY(text.ok());
        QVERIFY(text->contains(u"Pull asked for /data/a\n"_qs));
    }
    TaskLog again;
    QVERIFY(again.open(path).ok());
    again.write(u"two\nlines"_qs);
    again.close();
    const QStringList lines = TaskLog::read(path)->split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].endsWith(u" Pull asked for /data/a"_qs));
    QVERIFY(lines[1].endsWith(u" two"_qs));
    QVERIFY(lines[2].endsWith(u" lines"_qs));
    QVERIFY(TaskLog::remove(path).ok());
    QVERIFY(!QFile::exists(path));
    QVERIFY(TaskLog::remove(path).ok());
}

void TestTaskLog::secretsNeverReachTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"x.log"_qs);
    TaskLog log;
    QVERIFY(log.open(path).ok());
    log.setSecrets({u"hunter2"_qs, QString(), u"hunter2-obscured"_qs});
    log.write(u"rclone copy --sftp-pass hunter2-obscured x (password hunter2)"_qs);
    const QString text = *TaskLog::read(path);
    QVERIFY(!text.contains(u"hunter2"_qs));
    QVERIFY(text.contains(u"--sftp-pass *** x (password ***)"_qs));
}

void TestTaskLog::shortSecretsDoNotRiddleTheLog()
{
    // A one-letter or everyday password must not be masked inside other words: "***ull of
    // /tm***/re***o" would both ruin the log and spell the password out.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"x.log"_qs);
    TaskLog log;
    QVERIFY(log.open(path).ok());
    log.setSecrets({u"p"_qs, u"data"_qs});
    log.write(u"pull of /tmp/repo/dataset/x.tsv asked, plan: 3 files kept"_qs);
    log.write(u"password p, key data, path /srv/data/p"_qs);
    const QString text = *TaskLog::read(path);
    QVERIFY2(text.contains(u"pull of /tmp/repo/dataset/x.tsv asked, plan: 3 files kept"_qs),
             qPrintable(text));
    QVERIFY2(text.contains(u"password ***, key ***, path /srv/***/***"_qs), qPrintable(text));
}

void TestTaskLog::missingLogIsNotFound()
{
    const auto r = TaskLog::read(u"/nonexistent/baricadr/x.log"_qs);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QCOMPARE(r.error().message, u"Task log not found, maybe it is too old."_qs);
}

void TestTaskLog::unwritableDirectoryIsAClearError()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"file"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    TaskLog log;
    const Status s = log.open(dir.filePath(u"file/sub/x.log"_qs)); // a file where a dir should be
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::Io);
    QVERIFY(s.error().message.contains(dir.filePath(u"file/sub"_qs)));
    log.write(u"ignored"_qs); // not open: no crash
}

void TestTaskLog::backgroundLinesArriveInOrder()
{
    // What the engine uses: the file is created by the background writer, in a directory that
    // does not exist yet, and read() sees every line written before it, in order.
    QTemporaryDir dir;
    const QString path =
        TaskLog::pathFor(dir.filePath(u"new/logs"_qs), QDateTime::currentDateTimeUtc(), u"b"_qs);
    TaskLog log;
    log.setPath(path);
    log.setSecrets({u"s3cret"_qs});
    for (int i = 0; i < 500; ++i)
        log.write(QStringLiteral("line %1 s3cret").arg(i));
    const auto text = TaskLog::read(path);
    QVERIFY2(text.ok(), text ? "" : qPrintable(text.error().message));
    const QStringList lines = text->split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 500);
    for (int i = 0; i < 500; ++i)
        QVERIFY2(lines[i].endsWith(QStringLiteral(" line %1 ***").arg(i)), qPrintable(lines[i]));
    log.write(u"after a read"_qs);
    QVERIFY(TaskLog::read(path)->endsWith(u" after a read\n"_qs));
}

void TestTaskLog::backgroundLogsHoldNoDescriptor()
{
    // Thousands of tasks may wait in the queue, each with its log: none keeps a file open.
    QTemporaryDir dir;
    const int before = openDescriptors();
    std::vector<std::unique_ptr<TaskLog>> logs;
    for (int i = 0; i < 300; ++i) {
        auto log = std::make_unique<TaskLog>();
        log->setPath(dir.filePath(QStringLiteral("t%1.log").arg(i)));
        log->write(QStringLiteral("Task %1 asked").arg(i));
        logs.push_back(std::move(log));
    }
    TaskLog::sync();
    QVERIFY2(openDescriptors() <= before + 3,
             qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(openDescriptors())));
    for (int i = 0; i < 300; ++i)
        QVERIFY(TaskLog::read(dir.filePath(QStringLiteral("t%1.log").arg(i)))
                    ->contains(QStringLiteral("Task %1 asked").arg(i)));
}

void TestTaskLog::removedLogIsNotRecreatedByQueuedLines()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"gone.log"_qs);
    {
        TaskLog log;
        log.setPath(path);
        for (int i = 0; i < 200; ++i)
            log.write(QStringLiteral("line %1").arg(i));
    }
    QVERIFY(TaskLog::remove(path).ok()); // waits for the queued lines, then removes
    TaskLog::sync();
    QVERIFY(!QFile::exists(path));
    QCOMPARE(TaskLog::read(path).error().code, ErrorCode::NotFound);
}

void TestTaskLog::unwritableBackgroundLogDropsLines()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"file"_qs));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString path = dir.filePath(u"file/sub/x.log"_qs); // a file where a dir should be
    TaskLog log;
    log.setPath(path);
    log.write(u"one"_qs); // reported once on the writer thread, never fatal
    log.write(u"two"_qs);
    TaskLog::sync();
    QCOMPARE(TaskLog::read(path).error().code, ErrorCode::NotFound);
    // The writer still works for other logs.
    TaskLog ok;
    ok.setPath(dir.filePath(u"ok.log"_qs));
    ok.write(u"fine"_qs);
    QVERIFY(TaskLog::read(dir.filePath(u"ok.log"_qs))->contains(u" fine\n"_qs));
}

QTEST_GUILESS_MAIN(TestTaskLog)
#include "tst_tasklog.moc"
