// The original's API behaviours, end to end: the real `baricadr serve` (real engine, SQLite,
// task logs) in front of a real loopback SFTP remote (`rclone serve sftp`), driven over HTTP
// like barique does.
#include "httptest.h"
#include "serveprocess.h"
#include "sftpserver.h"
#include "testtree.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSet>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace baricadr::test;

class TestServeApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void identicalPullsShareTheTask();
    void subdirOfRunningPullSharesTheTask();
    void parentOfRunningPullIsANewTaskAndBothFinish();
    void pullRestoresDeletedAndKeepsModified();
    void pullSkipsExcludes();
    void pullRecreatesSymlinks();
    void pullChowns();
    void pullOfOneFile();
    void badRequests();
    void listAndTree();
    void taskRoutes();
    void freezeDryRunDeletesNothing();
    void freezeFileSubdirRoot();
    void freezeRefusedOnNonFreezableRepo();
    void previewPinsRepos();
    void thawRestoresFrozenFiles();

private:
    QString waitTask(const QString &id, QJsonObject *task = nullptr);
    QString pull(const QString &path, QJsonObject extra = {});
    QString repoA() const { return m_serve.path(u"repoA"_qs); } // freezable, excludes *.xml
    QString repoB() const { return m_serve.path(u"repoB"_qs); } // not freezable, chown
    QString remoteA() const { return m_sftp->root() + u"/backupA"_qs; }
    QString remoteB() const { return m_sftp->root() + u"/backupB"_qs; }

    std::unique_ptr<SftpServer> m_sftp;
    ServeProcess m_serve;
    std::unique_ptr<HttpTester> m_http;
    QString m_lastFreeze;
};

void TestServeApi::initTestCase()
{
    SftpServer::Options options;
    options.password = QStringLiteral("sftp-pass");
    m_sftp = std::make_unique<SftpServer>(QString(), options);
    QVERIFY(m_sftp->start());
    QVERIFY(createOriginalLayout(remoteA()));
    QVERIFY(createOriginalLayout(remoteB()));
    QVERIFY(QFile::link(QStringLiteral("subfile.txt"), remoteB() + u"/subdir/link_to_subfile"_qs));
    QVERIFY(QDir().mkpath(repoA()));
    QVERIFY(QDir().mkpath(repoB()));
    const QByteArray common = "  backend: sftp\n  port: " + QByteArray::number(m_sftp->port()) +
                              "\n  user: " + m_sftp->user().toUtf8() +
                              "\n  password: " + options.password.toUtf8() + "\n";
    m_serve.setReposYaml(repoA().toUtf8() + ":\n" + common +
                         "  url: \"127.0.0.1:backupA\"\n  freezable: true\n"
                         "  freeze_age: 3\n  exclude: \"*.xml\"\n  disable_atime_test: true\n" +
                         repoB().toUtf8() + ":\n" + common +
                         "  url: \"127.0.0.1:backupB\"\n  chown_uid: 4321\n  chown_gid: 4322\n");
    QVERIFY2(m_serve.start(), qPrintable(m_serve.log()));
    m_http = std::make_unique<HttpTester>(m_serve.base());
    const HttpAnswer health = m_http->get(u"/health"_qs);
    QCOMPARE(health.status, 200);
    QVERIFY2(health.object().value(u"engine").toBool(), "serve runs without the task engine");
}

void TestServeApi::cleanupTestCase()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << m_serve.log();
    QCOMPARE(m_serve.stop(), 0);
}

QString TestServeApi::waitTask(const QString &id, QJsonObject *task)
{
    QString status;
    for (int i = 0; i < 600; ++i) { // at most ~60 s
        const HttpAnswer a = m_http->get(u"/tasks/status/"_qs + id);
        if (a.status != 200)
            return QStringLiteral("HTTP %1 %2").arg(a.status).arg(a.errorText());
        status = a.object().value(u"status").toString();
        if (task)
            *task = a.object();
        if (status == QLatin1String("finished"))
            return status;
        if (status == QLatin1String("failed") || status == QLatin1String("cancelled")) {
            qWarning().noquote() << "task" << id << status << a.object().value(u"error").toString();
            return status;
        }
        QTest::qWait(100);
    }
    return QStringLiteral("timeout in ") + status;
}

QString TestServeApi::pull(const QString &path, QJsonObject extra)
{
    extra.insert(u"path"_qs, path);
    const HttpAnswer a = m_http->post(u"/pull"_qs, extra);
    if (a.status != 200) {
        qWarning() << "POST /pull" << path << a.status << a.body;
        return {};
    }
    return a.object().value(u"task").toString();
}

void TestServeApi::identicalPullsShareTheTask()
{
    const QString a = pull(repoB() + u"/subdir/subsubdir"_qs);
    const QString b = pull(repoB() + u"/subdir/subsubdir"_qs);
    QVERIFY(!a.isEmpty());
    QCOMPARE(b, a);
    QCOMPARE(waitTask(a), QStringLiteral("finished"));
    QCOMPARE(readFileNoAtime(repoB() + u"/subdir/subsubdir/subsubfile.txt"_qs),
             readFileNoAtime(remoteB() + u"/subdir/subsubdir/subsubfile.txt"_qs));
}

void TestServeApi::subdirOfRunningPullSharesTheTask()
{
    const QString a = pull(repoB() + u"/subdir/subsubdir2"_qs);
    const QString b = pull(repoB() + u"/subdir/subsubdir2/subsubsubdir"_qs);
    QVERIFY(!a.isEmpty());
    QCOMPARE(b, a);
    QCOMPARE(waitTask(a), QStringLiteral("finished"));
    QVERIFY(QFileInfo::exists(repoB() + u"/subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file"_qs));
}

void TestServeApi::parentOfRunningPullIsANewTaskAndBothFinish()
{
    QDir(repoB()).removeRecursively();
    QVERIFY(QDir().mkpath(repoB()));
    const QString a = pull(repoB() + u"/subdir"_qs);
    const QString b = pull(repoB());
    QVERIFY(!a.isEmpty() && !b.isEmpty());
    QVERIFY(a != b);
    QCOMPARE(waitTask(a), QStringLiteral("finished"));
    QCOMPARE(waitTask(b), QStringLiteral("finished"));
    for (const QString &f : originalLayoutFiles())
        QVERIFY2(QFileInfo::exists(repoB() + u'/' + f), qPrintable(f));
}

void TestServeApi::pullRestoresDeletedAndKeepsModified()
{
    QCOMPARE(waitTask(pull(repoB())), QStringLiteral("finished"));
    QVERIFY(QFile::remove(repoB() + u"/file.txt"_qs));
    QVERIFY(writeFile(repoB(), u"file2.txt"_qs, "changed locally"));
    QCOMPARE(waitTask(pull(repoB())), QStringLiteral("finished"));
    QCOMPARE(readFileNoAtime(repoB() + u"/file.txt"_qs), readFileNoAtime(remoteB() + u"/file.txt"_qs));
    QCOMPARE(readFileNoAtime(repoB() + u"/file2.txt"_qs), QByteArray("changed locally"));
}

void TestServeApi::pullSkipsExcludes()
{
    QJsonObject task;
    QCOMPARE(waitTask(pull(repoA()), &task), QStringLiteral("finished"));
    QVERIFY(QFileInfo::exists(repoA() + u"/subdir/subsubdir/poutrelle.tsv"_qs));
    QVERIFY(!QFileInfo::exists(repoA() + u"/subdir/subsubdir/poutrelle.xml"_qs));
    QVERIFY(!QFileInfo::exists(repoA() + u"/subdir/subsubdir2/poutrelle.xml"_qs));
    QVERIFY(task.value(u"result").toObject().value(u"files").toInt() > 0);
}

void TestServeApi::pullRecreatesSymlinks()
{
    QCOMPARE(waitTask(pull(repoB() + u"/subdir"_qs)), QStringLiteral("finished"));
    const QFileInfo link(repoB() + u"/subdir/link_to_subfile"_qs);
    QVERIFY(link.isSymLink());
    QCOMPARE(link.symLinkTarget(), repoB() + u"/subdir/subfile.txt"_qs);
}

void TestServeApi::pullChowns()
{
    QCOMPARE(waitTask(pull(repoB())), QStringLiteral("finished"));
    struct stat st = {};
    QCOMPARE(::lstat(QFile::encodeName(repoB() + u"/subdir/subfile.txt"_qs).constData(), &st), 0);
    if (::geteuid() != 0)
        QSKIP("chown needs root");
    QCOMPARE(int(st.st_uid), 4321);
    QCOMPARE(int(st.st_gid), 4322);
}

void TestServeApi::pullOfOneFile()
{
    QVERIFY(QFile::remove(repoB() + u"/subdir/subfile.txt"_qs));
    QCOMPARE(waitTask(pull(repoB() + u"/subdir/subfile.txt"_qs)), QStringLiteral("finished"));
    QCOMPARE(readFileNoAtime(repoB() + u"/subdir/subfile.txt"_qs),
             readFileNoAtime(remoteB() + u"/subdir/subfile.txt"_qs));
}

void TestServeApi::badRequests()
{
    HttpAnswer a = m_http->post(u"/pull"_qs, {});
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorText(), QStringLiteral("Missing \"path\""));
    a = m_http->post(u"/pull"_qs, {{u"path"_qs, u"/nowhere/x"_qs}});
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorText(), QStringLiteral("Could not find baricadr repository for path \"/nowhere/x/\""));
    // ".." escaping the repo: normalised first, then refused.
    a = m_http->post(u"/pull"_qs, {{u"path"_qs, QString(repoB() + u"/../../etc"_qs)}});
    QCOMPARE(a.status, 400);
    QVERIFY2(a.errorText().startsWith(u"Could not find baricadr repository for path"),
             qPrintable(a.errorText()));
    a = m_http->post(u"/pull"_qs, {{u"path"_qs, repoB()}, {u"email"_qs, u"nobody.example.org"_qs}});
    QCOMPARE(a.status, 400);
    QCOMPARE(a.errorText(),
             QStringLiteral("The email address is not valid. It must have exactly one @-sign."));
    a = m_http->raw("POST", u"/freeze"_qs, "{\"path\": ");
    QCOMPARE(a.status, 400);
    a = m_http->get(u"/tasks/status/00000000-0000-0000-0000-000000000000"_qs);
    QCOMPARE(a.status, 404);
    QCOMPARE(a.errorText(), QStringLiteral("Task not found in Baricadr database. Maybe it is too old."));
    QCOMPARE(m_http->get(u"/version"_qs).status, 200);
}

void TestServeApi::listAndTree()
{
    QVERIFY(QFile::remove(repoB() + u"/file.txt"_qs));
    HttpAnswer a = m_http->post(u"/list"_qs, {{u"path"_qs, repoB()}});
    QCOMPARE(a.status, 200);
    QSet<QString> paths;
    for (const QJsonValue &v : a.array())
        paths.insert(v.toObject().value(u"Path").toString());
    QCOMPARE(paths, (QSet<QString>{u"file.txt"_qs, u"file2.txt"_qs})); // max_depth 1, files only

    a = m_http->post(u"/list"_qs, {{u"path"_qs, repoB()}, {u"missing"_qs, u"True"_qs}});
    QCOMPARE(a.array().size(), 1);
    QCOMPARE(a.array().at(0).toObject().value(u"Path").toString(), QStringLiteral("file.txt"));

    a = m_http->post(u"/list"_qs, {{u"path"_qs, QString(repoB() + u"/subdir"_qs)},
                                   {u"max_depth"_qs, 0},
                                   {u"from_root"_qs, true},
                                   {u"full"_qs, true}});
    QCOMPARE(a.status, 200);
    bool found = false;
    for (const QJsonValue &v : a.array()) {
        const QJsonObject o = v.toObject();
        if (o.value(u"Path").toString() == QLatin1String("subdir/subsubdir/poutrelle.tsv")) {
            found = true;
            QVERIFY(o.contains(u"Size"));
            QVERIFY(o.contains(u"ModTime"));
        }
    }
    QVERIFY2(found, a.body.constData());

    a = m_http->post(u"/tree"_qs, {{u"path"_qs, repoB()}, {u"max_depth"_qs, 0}});
    QCOMPARE(a.status, 200);
    QCOMPARE(a.array().size(), originalLayoutFiles().size() + 1); // + the symlink
    for (const QJsonValue &v : a.array()) {
        const QJsonObject o = v.toObject();
        QCOMPARE(o.value(u"missing").toBool(), o.value(u"Path").toString() == QLatin1String("file.txt"));
    }

    // A path the backup does not hold: 400 with the reason, which barique shows as the API's
    // error (it reads the body of any other status as the listing, and its tree would crash).
    for (const QString &route : {u"/list"_qs, u"/tree"_qs}) {
        a = m_http->post(route, {{u"path"_qs, QString(repoB() + u"/not-in-the-backup"_qs)}});
        QCOMPARE(a.status, 400);
        QVERIFY2(a.object().value(u"error").toString().contains(u"not found on the remote"),
                 a.body.constData());
    }
}

void TestServeApi::taskRoutes()
{
    const QString id = pull(repoB() + u"/file.txt"_qs, {{u"dry_run"_qs, u"yes"_qs}});
    QJsonObject task;
    QCOMPARE(waitTask(id, &task), QStringLiteral("finished"));
    QCOMPARE(task.value(u"type").toString(), QStringLiteral("pull"));
    QCOMPARE(task.value(u"path").toString(), repoB() + u"/file.txt"_qs);
    QVERIFY(task.value(u"created").toString().endsWith(u" GMT"));
    QVERIFY(task.value(u"finished").toString().endsWith(u" GMT"));
    QVERIFY(task.value(u"error").isNull());
    QVERIFY(task.value(u"result").toObject().value(u"dry_run").toBool());

    // Unpaged, oldest first as the original (scripts take the last task as the newest); pages
    // hold the newest first; `order` chooses.
    HttpAnswer a = m_http->get(u"/tasks"_qs);
    QCOMPARE(a.status, 200);
    const QJsonArray all = a.array();
    QVERIFY(all.size() >= 5);
    QCOMPARE(all.last().toObject().value(u"task_id").toString(), id);
    QVERIFY(all.first().toObject().value(u"task_id").toString() != id);
    a = m_http->get(u"/tasks?limit=2&type=pull&status=finished"_qs);
    QCOMPARE(a.array().size(), 2);
    QCOMPARE(a.array().first().toObject().value(u"task_id").toString(), id);
    a = m_http->get(u"/tasks?order=desc"_qs);
    QCOMPARE(a.array().size(), all.size());
    QCOMPARE(a.array().first().toObject().value(u"task_id").toString(), id);
    a = m_http->get(u"/tasks?limit=1&order=asc"_qs);
    QCOMPARE(a.array().first().toObject().value(u"task_id"), all.first().toObject().value(u"task_id"));
    QCOMPARE(m_http->get(u"/tasks?order=newest"_qs).status, 400);

    a = m_http->get(u"/tasks/log/"_qs + id);
    QCOMPARE(a.status, 200);
    QVERIFY(a.object().value(u"logs").toString().contains(u"file.txt"));
    QVERIFY(!a.object().value(u"logs").toString().contains(u"sftp-pass"));

    a = m_http->get(u"/tasks/remove/"_qs + id);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object(), (QJsonObject{{u"info"_qs, u"Task %1 removed."_qs.arg(id)}, {u"error"_qs, u""_qs}}));
    a = m_http->get(u"/tasks/remove/"_qs + id);
    QCOMPARE(a.status, 404);
    QCOMPARE(a.object(),
             (QJsonObject{{u"info"_qs, u""_qs}, {u"error"_qs, u"Task not found in Baricadr database."_qs}}));

    a = m_http->get(u"/zombie"_qs);
    QCOMPARE(a.status, 200);
    QVERIFY(a.object().contains(u"task"));

    a = m_http->get(u"/metrics"_qs);
    QCOMPARE(a.status, 200);
    QVERIFY(a.body.contains("baricadr_tasks{type=\"pull\",status=\"finished\"}"));
}

void TestServeApi::freezeDryRunDeletesNothing()
{
    QCOMPARE(waitTask(pull(repoA())), QStringLiteral("finished"));
    QVERIFY(ageTree(repoA(), 1000));
    const HttpAnswer a = m_http->post(u"/freeze"_qs, {{u"path"_qs, repoA()}, {u"dry_run"_qs, true}});
    QCOMPARE(a.status, 200);
    QJsonObject task;
    QCOMPARE(waitTask(a.object().value(u"task").toString(), &task), QStringLiteral("finished"));
    QVERIFY(task.value(u"result").toObject().value(u"files").toInt() > 0);
    QVERIFY(QFileInfo::exists(repoA() + u"/file.txt"_qs));
    QVERIFY(QFileInfo::exists(repoA() + u"/subdir/subsubdir/subsubfile.txt"_qs));
}

void TestServeApi::freezeFileSubdirRoot()
{
    QCOMPARE(waitTask(pull(repoA())), QStringLiteral("finished"));
    QVERIFY(ageTree(repoA(), 1000));
    // One file.
    HttpAnswer a = m_http->post(u"/freeze"_qs, {{u"path"_qs, QString(repoA() + u"/file.txt"_qs)}});
    QCOMPARE(a.status, 200);
    QCOMPARE(waitTask(a.object().value(u"task").toString()), QStringLiteral("finished"));
    QVERIFY(!QFileInfo::exists(repoA() + u"/file.txt"_qs));
    QVERIFY(QFileInfo::exists(repoA() + u"/file2.txt"_qs));
    // A subdir.
    a = m_http->post(u"/freeze"_qs, {{u"path"_qs, QString(repoA() + u"/subdir/subsubdir"_qs)}});
    QCOMPARE(waitTask(a.object().value(u"task").toString()), QStringLiteral("finished"));
    QVERIFY(!QFileInfo::exists(repoA() + u"/subdir/subsubdir/subsubfile.txt"_qs));
    QVERIFY(QFileInfo::exists(repoA() + u"/subdir/subfile.txt"_qs));
    // The root.
    a = m_http->post(u"/freeze"_qs, {{u"path"_qs, repoA()}});
    QJsonObject task;
    QCOMPARE(waitTask(a.object().value(u"task").toString(), &task), QStringLiteral("finished"));
    QVERIFY(!QFileInfo::exists(repoA() + u"/file2.txt"_qs));
    QVERIFY(!QFileInfo::exists(repoA() + u"/subdir/subfile.txt"_qs));
    // Remote untouched.
    for (const QString &f : originalLayoutFiles())
        QVERIFY2(QFileInfo::exists(remoteA() + u'/' + f), qPrintable(f));
    m_lastFreeze = task.value(u"task_id").toString();
}

void TestServeApi::freezeRefusedOnNonFreezableRepo()
{
    QCOMPARE(waitTask(pull(repoB())), QStringLiteral("finished"));
    QVERIFY(ageTree(repoB(), 1000));
    for (const bool force : {false, true}) {
        const HttpAnswer a = m_http->post(u"/freeze"_qs, {{u"path"_qs, repoB()}, {u"force"_qs, force}});
        QCOMPARE(a.status, 400);
        QVERIFY2(a.errorText().contains(repoB()), qPrintable(a.errorText()));
    }
    for (const QString &f : originalLayoutFiles())
        QVERIFY2(QFileInfo::exists(repoB() + u'/' + f), qPrintable(f));
}

void TestServeApi::previewPinsRepos()
{
    QCOMPARE(waitTask(pull(repoA())), QStringLiteral("finished"));
    QVERIFY(ageTree(repoA(), 1000));
    HttpAnswer a = m_http->post(
        u"/pins"_qs, {{u"path"_qs, QString(repoA() + u"/subdir"_qs)}, {u"comment"_qs, u"keep"_qs}});
    QCOMPARE(a.status, 200);
    a = m_http->get(u"/pins"_qs);
    QCOMPARE(a.array().size(), 1);
    QCOMPARE(a.array().at(0).toObject().value(u"path").toString(), repoA() + u"/subdir"_qs);

    a = m_http->post(u"/freeze/preview"_qs, {{u"path"_qs, repoA()}});
    QCOMPARE(a.status, 200);
    const QJsonObject plan = a.object();
    QCOMPARE(plan.value(u"files_count").toInt(), 2); // file.txt, file2.txt
    QVERIFY(plan.value(u"kept_by_reason").toObject().value(u"pinned").toInt() > 0);
    QVERIFY(plan.value(u"bytes_reclaimable").toInt() > 0);
    QVERIFY(QFileInfo::exists(repoA() + u"/file.txt"_qs)); // a preview deletes nothing

    a = m_http->raw("DELETE", u"/pins?path="_qs + repoA() + u"/subdir"_qs);
    QCOMPARE(a.status, 200);
    QCOMPARE(m_http->get(u"/pins"_qs).array().size(), 0);

    a = m_http->get(u"/repos"_qs);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.array().size(), 2);
    QVERIFY(!a.body.contains("sftp-pass"));
}

void TestServeApi::thawRestoresFrozenFiles()
{
    if (m_lastFreeze.isEmpty())
        QSKIP("needs freezeFileSubdirRoot");
    QVERIFY(ageTree(repoA(), 1000));
    const HttpAnswer f = m_http->post(u"/freeze"_qs, {{u"path"_qs, repoA()}});
    QJsonObject task;
    QCOMPARE(waitTask(f.object().value(u"task").toString(), &task), QStringLiteral("finished"));
    QVERIFY(!QFileInfo::exists(repoA() + u"/file.txt"_qs));
    const HttpAnswer a = m_http->post(u"/tasks/"_qs + task.value(u"task_id").toString() + u"/thaw"_qs);
    QCOMPARE(a.status, 200);
    QCOMPARE(waitTask(a.object().value(u"task").toString()), QStringLiteral("finished"));
    QVERIFY(QFileInfo::exists(repoA() + u"/file.txt"_qs));
}

QTEST_GUILESS_MAIN(TestServeApi)
#include "tst_serve_api.moc"
