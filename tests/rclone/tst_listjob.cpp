// /list and /tree semantics over a real loopback SFTP remote holding the original test layout.
#include "rclone/listjob.h"
#include "sftpserver.h"
#include "testhelpers.h"
#include "testtree.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace baricadr;
using namespace baricadr::test;

class TestListJob : public QObject
{
    Q_OBJECT

    std::unique_ptr<SftpServer> m_server;
    QTemporaryDir m_local;
    RepoConfig m_repo;

    Result<QList<ListEntry>> run(const ListRequest &req)
    {
        ListJob job{RcloneOptions{}};
        bool done = false;
        Result<QList<ListEntry>> result;
        connect(&job, &ListJob::finished, this, [&](const Result<QList<ListEntry>> &r) {
            done = true;
            result = r;
        });
        job.start(m_repo, req);
        QElapsedTimer t;
        t.start();
        while (!done && t.elapsed() < 60000)
            QTest::qWait(10);
        return result;
    }

    static QStringList paths(const QList<ListEntry> &l, bool onlyMissing = false)
    {
        QStringList p;
        for (const ListEntry &e : l)
            if (!onlyMissing || e.missing)
                p << e.path;
        p.sort();
        return p;
    }

    ListRequest req(const QString &rel, int depth = 1)
    {
        ListRequest r;
        r.path = rel.isEmpty() ? m_repo.root : m_repo.root + u'/' + rel;
        r.maxDepth = depth;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SftpServer>();
        QVERIFY(createOriginalLayout(m_server->root() + QStringLiteral("/backup"), true));
        QVERIFY(m_server->start());
        m_repo = m_server->repoFor(m_local.path(), QStringLiteral("backup"));
        // Locally: file.txt and subdir/subsubdir/poutrelle.tsv present, a dangling rel_link too.
        QVERIFY(writeFile(m_local.path(), QStringLiteral("file.txt"), "local"));
        QVERIFY(writeFile(m_local.path(), QStringLiteral("subdir/subsubdir/poutrelle.tsv"), "local"));
        QVERIFY(QFile::link(QStringLiteral("does/not/exist"),
                            m_local.filePath(QStringLiteral("subdir/rel_link"))));
    }

    void rootDepthOne()
    {
        const auto r = run(req(QString()));
        QVERIFY2(r.ok(), why(r).constData());
        QCOMPARE(paths(*r), (QStringList{QStringLiteral("file.txt"), QStringLiteral("file2.txt")}));
        QCOMPARE(paths(*r, true), QStringList{QStringLiteral("file2.txt")});
        QVERIFY(r->first().full.isEmpty());
    }

    void unlimitedDepthRelativeToPath()
    {
        const auto r = run(req(QStringLiteral("subdir"), 0));
        QVERIFY2(r.ok(), why(r).constData());
        QCOMPARE(paths(*r),
                 (QStringList{
                     QStringLiteral("abs_link"), QStringLiteral("rel_link"), QStringLiteral("subfile.txt"),
                     QStringLiteral("subsubdir/poutrelle.tsv"), QStringLiteral("subsubdir/poutrelle.xml"),
                     QStringLiteral("subsubdir/subsubfile.txt"), QStringLiteral("subsubdir2/poutrelle.xml"),
                     QStringLiteral("subsubdir2/subsubfile.txt"),
                     QStringLiteral("subsubdir2/subsubsubdir/subsubsubdir2/a file")}));
        // rel_link exists locally (dangling, lstat sees it); abs_link does not.
        for (const ListEntry &e : *r) {
            if (e.path == QStringLiteral("rel_link") || e.path == QStringLiteral("subsubdir/poutrelle.tsv"))
                QVERIFY2(!e.missing, qPrintable(e.path));
            if (e.path == QStringLiteral("abs_link"))
                QVERIFY(e.missing);
        }
    }

    void depthTwoFromRootMissingFull()
    {
        ListRequest r = req(QStringLiteral("subdir"), 2);
        r.fromRoot = true;
        r.missing = true;
        r.full = true;
        const auto res = run(r);
        QVERIFY2(res.ok(), why(res).constData());
        QCOMPARE(paths(*res),
                 (QStringList{QStringLiteral("subdir/abs_link"), QStringLiteral("subdir/subfile.txt"),
                              QStringLiteral("subdir/subsubdir/poutrelle.xml"),
                              QStringLiteral("subdir/subsubdir/subsubfile.txt"),
                              QStringLiteral("subdir/subsubdir2/poutrelle.xml"),
                              QStringLiteral("subdir/subsubdir2/subsubfile.txt")}));
        for (const ListEntry &e : *res) {
            QVERIFY(e.missing);
            QCOMPARE(e.full.value(QStringLiteral("Path")).toString(), e.path);
            QVERIFY(e.full.contains(QStringLiteral("Size")));
            QVERIFY(e.full.contains(QStringLiteral("ModTime")));
            QCOMPARE(e.full.value(QStringLiteral("IsDir")).toBool(true), false);
            // rclone's lsjson fields as they are, MimeType included (the original's answer).
            if (e.path.endsWith(u".txt"))
                QVERIFY2(e.full.value(QStringLiteral("MimeType")).toString().startsWith(u"text/plain"),
                         qPrintable(e.path));
        }
    }

    // A link is stored as "name.rclonelink"; asked by that stored name it is still the one link,
    // named as the repo shows it.
    void linkAskedByStoredName()
    {
        for (const QString &asked :
             {QStringLiteral("subdir/abs_link.rclonelink"), QStringLiteral("subdir/abs_link")}) {
            const auto r = run(req(asked));
            QVERIFY2(r.ok(), why(r).constData());
            QCOMPARE(paths(*r), QStringList{QStringLiteral("abs_link")});
            ListRequest fr = req(asked);
            fr.fromRoot = true;
            const auto r2 = run(fr);
            QVERIFY2(r2.ok(), why(r2).constData());
            QCOMPARE(paths(*r2), QStringList{QStringLiteral("subdir/abs_link")});
        }
    }

    void singleFile()
    {
        const auto r = run(req(QStringLiteral("subdir/subsubdir/poutrelle.xml")));
        QVERIFY2(r.ok(), why(r).constData());
        QCOMPARE(paths(*r), QStringList{QStringLiteral("poutrelle.xml")});
        QVERIFY(r->first().missing);
        ListRequest fr = req(QStringLiteral("subdir/subsubdir/poutrelle.xml"));
        fr.fromRoot = true;
        const auto r2 = run(fr);
        QVERIFY2(r2.ok(), why(r2).constData());
        QCOMPARE(paths(*r2), QStringList{QStringLiteral("subdir/subsubdir/poutrelle.xml")});
    }

    void notFoundAndOutside()
    {
        const auto r = run(req(QStringLiteral("nope")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        ListRequest out;
        out.path = QStringLiteral("/etc");
        const auto r2 = run(out);
        QVERIFY(!r2.ok());
        QCOMPARE(r2.error().code, ErrorCode::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(TestListJob)
#include "tst_listjob.moc"
