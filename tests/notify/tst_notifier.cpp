// Task mails: composition (pure) and delivery through a real SMTP sink.
#include "notify/humansize.h"
#include "notify/notifier.h"
#include "smtpsink.h"

#include <QElapsedTimer>
#include <QTest>

using namespace baricadr;

namespace {

TaskInfo finishedPull()
{
    TaskInfo t;
    t.id = QStringLiteral("0f1e2d3c-aaaa-bbbb-cccc-1234567890ab");
    t.type = TaskType::Pull;
    t.path = QStringLiteral("/data/repo/project");
    t.repoRoot = QStringLiteral("/data/repo");
    t.options.email = QStringLiteral("user@example.org");
    t.status = TaskStatus::Finished;
    t.created = QDateTime::currentDateTimeUtc().addSecs(-60);
    t.started = t.created.addSecs(1);
    t.finished = t.created.addSecs(50);
    t.result.files = 2;
    t.result.bytes = 1288490189; // 1.20 GiB
    t.result.affected = {QStringLiteral("project/a.fastq"), QStringLiteral("project/sub/b.bam")};
    t.result.affectedCount = 2;
    return t;
}

} // namespace

class tst_Notifier : public QObject
{
    Q_OBJECT

    test::SmtpSink m_sink;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_sink.start(), qPrintable(m_sink.errorString())); }

    void humanSize_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << "0.00 B";
        QTest::newRow("bytes") << qint64(1023) << "1023.00 B";
        QTest::newRow("KiB") << qint64(1024) << "1.00 KiB";
        QTest::newRow("MiB") << qint64(1536 * 1024) << "1.50 MiB";
        QTest::newRow("GiB") << qint64(1288490189) << "1.20 GiB";
        QTest::newRow("TiB") << qint64(5) * 1024 * 1024 * 1024 * 1024 << "5.00 TiB";
        QTest::newRow("PiB max unit") << qint64(3) * 1024 * 1024 * 1024 * 1024 * 1024 * 1024 << "3072.00 PiB";
    }

    void humanSize()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(baricadr::humanSize(bytes), text);
    }

    void pullFinished()
    {
        const auto mails = Notifier::compose(finishedPull(), {QStringLiteral("admin@example.org")});
        QCOMPARE(mails.size(), 1); // admins only hear about failed scheduled tasks
        const MailMessage &m = mails.first();
        QCOMPARE(m.to, QStringList{QStringLiteral("user@example.org")});
        QCOMPARE(m.subject, QStringLiteral("BARICADR: finished pulling /data/repo/project"));
        QVERIFY2(m.body.contains(
                     QStringLiteral("BARICADR has finished pulling the following path: /data/repo/project")),
                 qPrintable(m.body));
        QVERIFY(m.body.contains(QStringLiteral("The following files were pulled (total size: 1.20 GiB):")));
        QVERIFY(m.body.contains(
            QStringLiteral("\n  /data/repo/project/a.fastq\n  /data/repo/project/sub/b.bam\n")));
        QVERIFY(!m.body.contains(QStringLiteral("DRY RUN")));
        QVERIFY(m.body.contains(QStringLiteral("0f1e2d3c-aaaa-bbbb-cccc-1234567890ab")));
    }

    void freezeDryRun()
    {
        TaskInfo t = finishedPull();
        t.type = TaskType::Freeze;
        t.options.dryRun = true;
        t.result.keptFiles = 3;
        const MailMessage m = Notifier::compose(t, {}).first();
        QCOMPARE(m.subject, QStringLiteral("BARICADR: finished freezing (DRY RUN) /data/repo/project"));
        QVERIFY(m.body.contains(QStringLiteral("the following path (DRY RUN): /data/repo/project")));
        QVERIFY(
            m.body.contains(QStringLiteral("The following files would be frozen (total size: 1.20 GiB):")));
        QVERIFY(m.body.contains(QStringLiteral("3 files were kept")));
    }

    void nothingDoneAndCappedLists()
    {
        TaskInfo t = finishedPull();
        t.result = {};
        QVERIFY(Notifier::compose(t, {}).first().body.contains(QStringLiteral("No files were pulled.")));

        // The stored list is capped: the rest is counted; a full list from the engine wins.
        t = finishedPull();
        t.result.affectedCount = 1502;
        t.result.files = 1502;
        const QString capped = Notifier::compose(t, {}).first().body;
        QVERIFY2(capped.contains(QStringLiteral("… and 1500 more (the full list is in the task log)")),
                 qPrintable(capped));
        QStringList all;
        for (int i = 0; i < 1502; ++i)
            all.append(QStringLiteral("project/f%1").arg(i));
        const QString full = Notifier::compose(t, {}, all).first().body;
        QVERIFY(full.contains(QStringLiteral("  /data/repo/project/f1501\n")));
        QVERIFY(!full.contains(QStringLiteral("more (the full list")));
    }

    void failures()
    {
        TaskInfo t = finishedPull();
        t.status = TaskStatus::Failed;
        t.error = QStringLiteral("remote unreachable: sftp://127.0.0.1:2222 refused the connection");
        auto mails = Notifier::compose(t, {QStringLiteral("admin@example.org")});
        QCOMPARE(mails.size(), 1); // not scheduled: no admin mail
        QCOMPARE(mails.first().subject, QStringLiteral("BARICADR: pull task on /data/repo/project failed"));
        QVERIFY(
            mails.first().body.contains(QStringLiteral("failed, with the following error:\n\n") + t.error));

        t.scheduled = true;
        t.options.email.clear();
        mails =
            Notifier::compose(t, {QStringLiteral("admin@example.org"), QStringLiteral("ops@example.org")});
        QCOMPARE(mails.size(), 1);
        QCOMPARE(mails.first().to,
                 (QStringList{QStringLiteral("admin@example.org"), QStringLiteral("ops@example.org")}));
        QCOMPARE(mails.first().subject,
                 QStringLiteral("BARICADR: scheduled pull task on /data/repo/project failed"));
        QVERIFY(mails.first().body.contains(t.error));

        t.status = TaskStatus::Finished; // scheduled success: nobody to tell
        QVERIFY(Notifier::compose(t, {QStringLiteral("admin@example.org")}).isEmpty());
        t.status = TaskStatus::Pulling; // unfinished: nothing yet
        t.options.email = QStringLiteral("user@example.org");
        QVERIFY(Notifier::compose(t, {}).isEmpty());
        t.status = TaskStatus::Cancelled;
        QVERIFY(Notifier::compose(t, {}).first().subject.endsWith(QStringLiteral("was cancelled")));
    }

    void deliveredThroughRealServer()
    {
        MailSettings s;
        s.server = QStringLiteral("127.0.0.1");
        s.port = m_sink.port();
        s.sender = QStringLiteral("baricadr@example.org");
        s.admins = {QStringLiteral("admin@example.org")};
        s.timeoutSeconds = 10;
        Mailer mailer(s);
        Notifier notifier(&mailer);

        TaskInfo ok = finishedPull();
        ok.type = TaskType::Freeze;
        ok.options.dryRun = true;
        TaskInfo failed = finishedPull();
        failed.status = TaskStatus::Failed;
        failed.scheduled = true;
        failed.error = QStringLiteral("disk full");
        QList<QFuture<Status>> futures{notifier.notify(ok), notifier.notify(failed)};
        for (auto &f : futures) {
            QElapsedTimer timer;
            timer.start();
            while (!f.isFinished() && timer.elapsed() < 60000)
                QTest::qWait(20);
            QVERIFY(f.isFinished());
            QVERIFY2(f.result().ok(), f.result() ? "" : qPrintable(f.result().error().message));
        }
        QVERIFY(m_sink.waitForMessages(3));
        const auto got = m_sink.messages();
        QCOMPARE(got.size(), 3);
        QMap<QString, test::SmtpSink::Message> bySubject;
        for (const auto &m : got)
            bySubject.insert(m.subject, m);
        const auto dry =
            bySubject.value(QStringLiteral("BARICADR: finished freezing (DRY RUN) /data/repo/project"));
        QCOMPARE(dry.envelopeTo, QStringList{QStringLiteral("user@example.org")});
        QVERIFY2(dry.body.contains(
                     QStringLiteral("The following files would be frozen (total size: 1.20 GiB):\n\n"
                                    "  /data/repo/project/a.fastq\n  /data/repo/project/sub/b.bam\n")),
                 qPrintable(dry.body));
        const auto user = bySubject.value(QStringLiteral("BARICADR: pull task on /data/repo/project failed"));
        QCOMPARE(user.envelopeTo, QStringList{QStringLiteral("user@example.org")});
        QVERIFY(user.body.contains(QStringLiteral("disk full")));
        const auto admin =
            bySubject.value(QStringLiteral("BARICADR: scheduled pull task on /data/repo/project failed"));
        QCOMPARE(admin.envelopeTo, QStringList{QStringLiteral("admin@example.org")});
        QVERIFY(admin.body.contains(QStringLiteral("disk full")));
    }

    void mailWithoutServerIsAnError()
    {
        Mailer mailer(MailSettings{});
        Notifier notifier(&mailer);
        QFuture<Status> f = notifier.notify(finishedPull());
        QVERIFY(f.isFinished());
        QVERIFY(!f.result().ok());
        QVERIFY(f.result().error().message.contains(QStringLiteral("MAIL_SERVER")));
        TaskInfo silent = finishedPull();
        silent.options.email.clear();
        QVERIFY(notifier.notify(silent).result().ok()); // nobody to tell: fine without a server
    }
};

QTEST_GUILESS_MAIN(tst_Notifier)
#include "tst_notifier.moc"
