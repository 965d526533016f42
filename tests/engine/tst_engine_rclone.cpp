// The whole engine as `baricadr serve` and the GUI embed it (Application: real repos.yml loader,
// real SQLite store, real runners) against a real `rclone serve sftp` on loopback and a real
// SMTP sink: freeze tasks end to end with their journal and log, dry runs, verify finding a file
// the backup lost, mails to the requester and to MAIL_ADMIN for a failed scheduled task.
// Every test runs twice: with the store on SQLite and on a throwaway PostgreSQL cluster (global
// rows "sqlite" and "postgresql"), so a task finishing on either database sends the right mail.
#include "pgcluster.h"
#include "service/application.h"
#include "service/localservice.h"
#include "sftpserver.h"
#include "smtpsink.h"
#include "store/taskstore.h"
#include "tasks/taskengine.h"
#include "tasks/tasklog.h"
#include "testtree.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;

#define QCOMPARE_WIRE(actual, expected) QCOMPARE(baricadr::toString(actual), baricadr::toString(expected))

namespace {

QString yamlQuote(const QString &s)
{
    QString q = s;
    q.replace(u'\'', u"''"_qs);
    return u'\'' + q + u'\'';
}

} // namespace

class TestEngineRclone : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void freezeEndToEnd();
    void dryRunFreezeDeletesNothing();
    void verifyReportsWhatTheBackupLost();
    void failedScheduledTaskMailsTheAdmin();
    void failedPullMailsTheRequesterTheError();
    void pullRestoresDeletedAndKeepsModified();
    void thawRestoresExactlyTheFrozenFiles();
    void affectedListIsCappedAndTheLogHasAll();

private:
    TaskInfo waitDone(const QString &id, int timeoutMs = 60000);

    test::PgCluster m_pg;
    int m_databases = 0;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<test::SftpServer> m_server;
    std::unique_ptr<test::SmtpSink> m_smtp;
    QString m_local;
    QString m_remote;
    std::unique_ptr<Application> m_app;
};

void TestEngineRclone::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_qs;
    QTest::newRow("postgresql") << u"postgresql"_qs;
}

void TestEngineRclone::initTestCase()
{
    QVERIFY2(m_pg.start(), qPrintable(m_pg.errorString()));
}

void TestEngineRclone::init()
{
    QFETCH_GLOBAL(QString, backend);
    m_dir = std::make_unique<QTemporaryDir>();
    m_local = m_dir->filePath(u"local"_qs);
    const QString served = m_dir->filePath(u"served"_qs);
    m_remote = served + u"/backup"_qs;
    QVERIFY(test::createOriginalLayout(m_local, true));
    QVERIFY(QDir().mkpath(served));
    QCOMPARE(QProcess::execute(u"cp"_qs, {u"-a"_qs, m_local, m_remote}), 0);
    QVERIFY(test::ageTree(m_local, 400));
    m_server = std::make_unique<test::SftpServer>(served);
    QVERIFY(m_server->start());
    m_smtp = std::make_unique<test::SmtpSink>();
    QVERIFY2(m_smtp->start(), qPrintable(m_smtp->errorString()));

    const RepoConfig r = m_server->repoFor(m_local, u"backup"_qs);
    QFile yml(m_dir->filePath(u"repos.yml"_qs));
    QVERIFY(yml.open(QIODevice::WriteOnly));
    yml.write((m_local + u":\n    backend: sftp\n    url: "_qs + yamlQuote(r.host + u':' + r.remotePrefix) +
               u"\n    port: "_qs + QString::number(r.port) + u"\n    user: "_qs + yamlQuote(r.user) +
               u"\n    password: "_qs + yamlQuote(r.password) +
               u"\n    freezable: true\n    freeze_age: 180\n    disable_atime_test: true\n"_qs)
                  .toUtf8());
    yml.close();

    Settings s;
    s.reposConf = yml.fileName();
    s.taskLogDir = m_dir->filePath(u"logs"_qs);
    s.dataDir = m_dir->filePath(u"data"_qs);
    if (backend == u"postgresql") {
        const QString db = u"engine_rclone_%1"_qs.arg(++m_databases);
        QVERIFY2(m_pg.createDatabase(db), qPrintable(m_pg.errorString()));
        s.databaseUri = m_pg.uri(db);
    } else {
        s.databaseUri = u"sqlite:///"_qs + m_dir->filePath(u"data/baricadr.sqlite"_qs);
    }
    s.mailServer = u"127.0.0.1"_qs;
    s.mailPort = m_smtp->port();
    s.mailSender = u"baricadr@example.org"_qs;
    s.mailAdmin = {u"admin@example.org"_qs};
    s.rcloneConTimeout = 2;
    s.rcloneIoTimeout = 5;
    auto app = Application::create(s);
    QVERIFY2(app.ok(), app ? "" : qPrintable(app.error().message));
    m_app = std::move(app).value();
    QCOMPARE(m_app->store()->uri().isPostgres(), backend == u"postgresql");
}

void TestEngineRclone::cleanup()
{
    m_app.reset();
    m_smtp.reset();
    m_server.reset();
    m_dir.reset();
}

TaskInfo TestEngineRclone::waitDone(const QString &id, int timeoutMs)
{
    TaskInfo t;
    // Bounded: the task ends (rclone has its own timeouts) or the test fails below.
    QDeadlineTimer deadline(timeoutMs);
    while (m_app->engine()->liveTask(id) && !deadline.hasExpired())
        QTest::qWait(50);
    auto stored = m_app->store()->task(id);
    if (stored)
        t = *stored;
    return t;
}

void TestEngineRclone::freezeEndToEnd()
{
    FreezeRequest req;
    req.path = m_local + u"/subdir"_qs;
    req.email = u"user@example.org"_qs;
    auto id = m_app->service()->submitFreeze(req).result();
    QVERIFY2(id.ok(), id ? "" : qPrintable(id.error().message));
    const TaskInfo t = waitDone(*id);
    QVERIFY2(t.status == TaskStatus::Finished, qPrintable(t.error));
    QVERIFY(t.result.files >= 3);
    QCOMPARE(t.result.affectedCount, t.result.files);
    QVERIFY(!QFile::exists(m_local + u"/subdir/subfile.txt"_qs));
    QVERIFY(QFile::exists(m_local + u"/file.txt"_qs));            // outside the task's path
    QVERIFY(QFile::exists(m_remote + u"/subdir/subfile.txt"_qs)); // the remote is never touched

    const auto journal = m_app->store()->journalForTask(*id);
    QCOMPARE(journal->size(), t.result.files);
    QStringList journaled;
    for (const JournalEntry &e : *journal)
        journaled.append(e.relPath);
    QVERIFY(journaled.contains(u"subdir/subfile.txt"_qs));

    const QString log = *TaskLog::read(t.logFile);
    QVERIFY(log.contains(u"Frozen subdir/subfile.txt"_qs));
    QVERIFY(log.contains(u"Finished: "_qs));
    QVERIFY(!log.contains(m_server->password()));

    QVERIFY(m_smtp->waitForMessages(1));
    const auto mail = m_smtp->messages().first();
    QCOMPARE(mail.to, QStringList{u"user@example.org"_qs});
    QVERIFY2(mail.subject.contains(u"finished"_qs), qPrintable(mail.subject));
    QVERIFY(mail.body.contains(u"subdir/subfile.txt"_qs));
}

void TestEngineRclone::dryRunFreezeDeletesNothing()
{
    FreezeRequest req;
    req.path = m_local;
    req.dryRun = true;
    req.email = u"dry@example.org"_qs;
    const QString id = *m_app->service()->submitFreeze(req).result();
    const TaskInfo t = waitDone(id);
    QVERIFY2(t.status == TaskStatus::Finished, qPrintable(t.error));
    QVERIFY(t.result.files > 0);
    QVERIFY(t.result.affected.contains(u"file.txt"_qs));
    QVERIFY(QFile::exists(m_local + u"/file.txt"_qs));
    QVERIFY(m_app->store()->journalForTask(id)->isEmpty());
    QVERIFY(TaskLog::read(t.logFile)->contains(u"Would freeze file.txt"_qs));
    QVERIFY(m_smtp->waitForMessages(1));
    const auto mail = m_smtp->messages().first();
    QCOMPARE(mail.to, QStringList{u"dry@example.org"_qs});
    QCOMPARE(mail.subject, u"BARICADR: finished freezing (DRY RUN) "_qs + m_local);
    QVERIFY2(mail.body.contains(u"file.txt"_qs), qPrintable(mail.body));
    // Nothing was frozen, so there is nothing to thaw.
    QCOMPARE(m_app->service()->thaw(id).result().error().code, ErrorCode::InvalidInput);
}

void TestEngineRclone::verifyReportsWhatTheBackupLost()
{
    FreezeRequest req;
    req.path = m_local;
    const QString freeze = *m_app->service()->submitFreeze(req).result();
    const TaskInfo f = waitDone(freeze);
    QVERIFY2(f.status == TaskStatus::Finished, qPrintable(f.error));
    QVERIFY(!QFile::exists(m_local + u"/file2.txt"_qs));

    const QString clean = *m_app->service()->submitVerify(m_local, {}).result();
    const TaskInfo ok = waitDone(clean);
    QVERIFY2(ok.status == TaskStatus::Finished, qPrintable(ok.error));
    QCOMPARE(ok.result.problems, 0);
    QCOMPARE(ok.result.files, f.result.files);

    // The backup loses one file and another changes size.
    QVERIFY(QFile::remove(m_remote + u"/file2.txt"_qs));
    QFile grown(m_remote + u"/subdir/subfile.txt"_qs);
    QVERIFY(grown.open(QIODevice::Append));
    grown.write("more");
    grown.close();
    QTest::qWait(1100); // the server's listing cache (--dir-cache-time 1s)
    const QString bad = *m_app->service()->submitVerify(m_local, {}).result();
    const TaskInfo v = waitDone(bad);
    QVERIFY2(v.status == TaskStatus::Finished, qPrintable(v.error));
    QCOMPARE(v.result.problems, 2);
    QVERIFY(v.result.affected.contains(u"file2.txt"_qs));
    QVERIFY(v.result.affected.contains(u"subdir/subfile.txt"_qs));
    const QString log = *TaskLog::read(v.logFile);
    QVERIFY(
        log.contains(u"PROBLEM file2.txt: missing on the remote (no local copy: this data may be lost)"_qs));
    QVERIFY(log.contains(u"PROBLEM subdir/subfile.txt: size differs"_qs));
}

void TestEngineRclone::failedScheduledTaskMailsTheAdmin()
{
    m_server->kill(); // the remote is gone
    SubmitExtra extra;
    extra.scheduled = true;
    const auto id = m_app->engine()->submit(TaskType::Freeze, m_local, {}, extra);
    QVERIFY(id.ok());
    const TaskInfo t = waitDone(*id);
    QCOMPARE_WIRE(t.status, TaskStatus::Failed);
    QVERIFY(!t.error.isEmpty());
    QVERIFY(QFile::exists(m_local + u"/file.txt"_qs)); // nothing frozen
    QVERIFY(m_smtp->waitForMessages(1));
    const auto mail = m_smtp->messages().first();
    QCOMPARE(mail.to, QStringList{u"admin@example.org"_qs});
    QVERIFY2(mail.subject.contains(u"failed"_qs), qPrintable(mail.subject));
}

void TestEngineRclone::failedPullMailsTheRequesterTheError()
{
    QVERIFY(QFile::remove(m_local + u"/file.txt"_qs));
    m_server->kill(); // the remote is gone
    PullRequest req;
    req.path = m_local;
    req.email = u"user@example.org"_qs;
    const QString id = *m_app->service()->submitPull(req).result();
    const TaskInfo t = waitDone(id);
    QCOMPARE_WIRE(t.status, TaskStatus::Failed);
    QVERIFY(!t.error.isEmpty());
    QVERIFY(!QFile::exists(m_local + u"/file.txt"_qs));
    QVERIFY(m_smtp->waitForMessages(1));
    QTest::qWait(300); // a second mail (e.g. to the admin: not a scheduled task) would arrive by now
    QCOMPARE(m_smtp->messages().size(), 1);
    const auto mail = m_smtp->messages().first();
    QCOMPARE(mail.to, QStringList{u"user@example.org"_qs});
    QCOMPARE(mail.subject, u"BARICADR: pull task on "_qs + m_local + u" failed"_qs);
    QVERIFY2(mail.body.contains(t.error), qPrintable(mail.body));
    QVERIFY(!mail.body.contains(m_server->password()));
}

void TestEngineRclone::pullRestoresDeletedAndKeepsModified()
{
    QVERIFY(QFile::remove(m_local + u"/file.txt"_qs));
    QVERIFY(test::writeFile(m_local, u"file2.txt"_qs, "changed locally"));
    PullRequest req;
    req.path = m_local;
    req.email = u"puller@example.org"_qs;
    const QString id = *m_app->service()->submitPull(req).result();
    // A second identical request while it is unfinished: the same task.
    QCOMPARE(*m_app->service()->submitPull(req).result(), id);
    const TaskInfo t = waitDone(id);
    QVERIFY2(t.status == TaskStatus::Finished, qPrintable(t.error));
    QVERIFY(QFile::exists(m_local + u"/file.txt"_qs));
    QCOMPARE(test::readFileNoAtime(m_local + u"/file2.txt"_qs), QByteArray("changed locally"));
    QVERIFY(t.result.affected.contains(u"file.txt"_qs));
    QVERIFY(!t.result.affected.contains(u"file2.txt"_qs));
    // The log tells what was asked, the rclone command line (no secret in it), each file, the result.
    const QString log = *TaskLog::read(t.logFile);
    QVERIFY(log.contains(u"Task "_qs + id + u": pull of "_qs + m_local + u" asked"_qs));
    QVERIFY2(log.contains(u"rclone copy "_qs), qPrintable(log));
    QVERIFY(log.contains(u"Pulled file.txt"_qs));
    QVERIFY(log.contains(u"Finished: 1 file(s) pulled"_qs));
    QVERIFY(!log.contains(m_server->password()));
    QVERIFY(!log.contains(m_server->password().toUtf8().toPercentEncoding()));
    // One mail for the one task (the deduplicated request did not add one), listing the file.
    QVERIFY(m_smtp->waitForMessages(1));
    QTest::qWait(300); // a second mail would arrive in this time
    QCOMPARE(m_smtp->messages().size(), 1);
    const auto mail = m_smtp->messages().first();
    QCOMPARE(mail.to, QStringList{u"puller@example.org"_qs});
    QCOMPARE(mail.subject, u"BARICADR: finished pulling "_qs + m_local);
    QVERIFY2(mail.body.contains(m_local + u"/file.txt"_qs), qPrintable(mail.body));
    QVERIFY(!mail.body.contains(u"DRY RUN"_qs));
}

void TestEngineRclone::thawRestoresExactlyTheFrozenFiles()
{
    const QByteArray before = test::readFileNoAtime(m_local + u"/subdir/subfile.txt"_qs);
    FreezeRequest req;
    req.path = m_local + u"/subdir"_qs;
    const QString freeze = *m_app->service()->submitFreeze(req).result();
    const TaskInfo f = waitDone(freeze);
    QVERIFY2(f.status == TaskStatus::Finished, qPrintable(f.error));
    QVERIFY(!QFile::exists(m_local + u"/subdir/subfile.txt"_qs));
    QVERIFY(QFile::remove(m_local + u"/file.txt"_qs)); // not frozen: a thaw must not bring it back

    const auto thaw = m_app->service()->thaw(freeze).result();
    QVERIFY2(thaw.ok(), thaw ? "" : qPrintable(thaw.error().message));
    const TaskInfo t = waitDone(*thaw);
    QVERIFY2(t.status == TaskStatus::Finished, qPrintable(t.error));
    QCOMPARE(t.thawOf, freeze);
    QCOMPARE(t.result.files, f.result.files);
    QCOMPARE(test::readFileNoAtime(m_local + u"/subdir/subfile.txt"_qs), before);
    QVERIFY(!QFile::exists(m_local + u"/file.txt"_qs));
}

void TestEngineRclone::affectedListIsCappedAndTheLogHasAll()
{
    // More files than the task keeps in its result: the stored list stops at the cap, the count
    // and the log have them all, and the mail says where the rest is.
    const int n = TaskResult::kAffectedCap + 50;
    for (int i = 0; i < n; ++i)
        QVERIFY(test::writeFile(m_remote, u"many/f%1.txt"_qs.arg(i, 4, 10, QLatin1Char('0')), "x"));
    QTest::qWait(1100); // the server's listing cache (--dir-cache-time 1s)
    PullRequest req;
    req.path = m_local + u"/many"_qs;
    req.email = u"user@example.org"_qs;
    const QString id = *m_app->service()->submitPull(req).result();
    const TaskInfo t = waitDone(id, 180000);
    QVERIFY2(t.status == TaskStatus::Finished, qPrintable(t.error));
    QCOMPARE(t.result.files, qint64(n));
    QCOMPARE(t.result.affectedCount, qint64(n));
    QCOMPARE(t.result.affected.size(), qsizetype(TaskResult::kAffectedCap));
    QCOMPARE(QDir(m_local + u"/many"_qs).entryList(QDir::Files).size(), n);
    const QString log = *TaskLog::read(t.logFile);
    QCOMPARE(log.count(u"Z Pulled many/f"_qs), qsizetype(n));
    QVERIFY(m_smtp->waitForMessages(1));
    QVERIFY2(m_smtp->messages().first().body.contains(u"the full list is in the task log"_qs),
             qPrintable(m_smtp->messages().first().body.right(400)));
}

QTEST_GUILESS_MAIN(TestEngineRclone)
#include "tst_engine_rclone.moc"
