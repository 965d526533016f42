#include "repo/reporegistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "resultverify.h"

using namespace baricadr;

class TestRepoRegistry : public QObject
{
    Q_OBJECT

private:
    static RepoConfig repo(const QString &root)
    {
        RepoConfig c;
        c.root = root;
        c.backend = Backend::Local;
        c.localPath = QStringLiteral("/mnt/backup") + root;
        return c;
    }
    RepoRegistry m_registry =
        RepoRegistry::fromRepos({repo(QStringLiteral("/data/a")), repo(QStringLiteral("/data/ab")),
                                 repo(QStringLiteral("/srv/x y/z"))});

private Q_SLOTS:
    void find_data();
    void find();
    void resolve_data();
    void resolve();
    void resolveRefusesNul();
    void loadFromFile();
    void loadRefusesNestedThroughSymlink();
    void loadReportsMissingFile();
};

void TestRepoRegistry::find_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("root"); // empty: no repo
    QTest::newRow("root itself") << "/data/a"
                                 << "/data/a";
    QTest::newRow("file in root") << "/data/a/file.txt"
                                  << "/data/a";
    QTest::newRow("deep") << "/data/a/b/c/d"
                          << "/data/a";
    QTest::newRow("prefix sibling") << "/data/ab"
                                    << "/data/ab";
    QTest::newRow("in prefix sibling") << "/data/ab/f"
                                       << "/data/ab";
    QTest::newRow("longer sibling") << "/data/abc"
                                    << "";
    QTest::newRow("parent") << "/data"
                            << "";
    QTest::newRow("filesystem root") << "/"
                                     << "";
    QTest::newRow("spaces") << "/srv/x y/z/f g"
                            << "/srv/x y/z";
    QTest::newRow("half of a name with space") << "/srv/x y"
                                               << "";
}

void TestRepoRegistry::find()
{
    QFETCH(QString, path);
    QFETCH(QString, root);
    const RepoConfig *r = m_registry.find(path);
    if (root.isEmpty()) {
        QVERIFY(!r);
        return;
    }
    QVERIFY(r);
    QCOMPARE(r->root, root);
}

void TestRepoRegistry::resolve_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("error");
    QTest::newRow("exact") << "/data/a"
                           << "/data/a"
                           << "";
    QTest::newRow("trailing slash") << "/data/a/"
                                    << "/data/a"
                                    << "";
    QTest::newRow("double slashes") << "//data//a//sub"
                                    << "/data/a"
                                    << "";
    QTest::newRow("dotdot into sibling") << "/data/a/../ab/x"
                                         << "/data/ab"
                                         << "";
    QTest::newRow("dotdot escaping") << "/data/a/../../etc/passwd"
                                     << ""
                                     << "Could not find baricadr repository for path \"/etc/passwd/\"";
    QTest::newRow("prefix") << "/data/abc/file"
                            << ""
                            << "Could not find baricadr repository for path \"/data/abc/file/\"";
    QTest::newRow("parent") << "/data/"
                            << ""
                            << "Could not find baricadr repository for path \"/data/\"";
}

void TestRepoRegistry::resolve()
{
    QFETCH(QString, path);
    QFETCH(QString, root);
    QFETCH(QString, error);
    const auto r = m_registry.resolve(path);
    if (!error.isEmpty()) {
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidInput);
        QCOMPARE(r.error().message, error);
        return;
    }
    QVERIFY_OK(r);
    QCOMPARE((*r)->root, root);
}

void TestRepoRegistry::resolveRefusesNul()
{
    const auto r = m_registry.resolve(QStringLiteral("/data/a/x") + QChar(u'\0') + QStringLiteral("y"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidInput);
}

void TestRepoRegistry::loadFromFile()
{
    QTemporaryDir dir(QFileInfo(QDir::tempPath()).canonicalFilePath() +
                      QStringLiteral("/tst_reporegistry-XXXXXX"));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("backup"))));
    QFile f(dir.filePath(QStringLiteral("repos.yml")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral("%1/a:\n    backend: local\n    path: %1/backup\n%1/ab:\n    backend: local\n"
                           "    path: %1/backup\n")
                .arg(dir.path())
                .toUtf8());
    f.close();
    const auto reg = RepoRegistry::load(f.fileName());
    QVERIFY_OK(reg);
    QCOMPARE(reg->repos().size(), 2);
    const auto a = reg->resolve(dir.filePath(QStringLiteral("a/sub/file")));
    QVERIFY_OK(a);
    QCOMPARE((*a)->root, dir.filePath(QStringLiteral("a")));
    const auto ab = reg->resolve(dir.filePath(QStringLiteral("ab")));
    QVERIFY_OK(ab);
    QCOMPARE((*ab)->root, dir.filePath(QStringLiteral("ab")));
    // Copies share the repos; pointers found through a copy point into the same data.
    const RepoRegistry copy = *reg;
    QCOMPARE(copy.find(dir.filePath(QStringLiteral("a"))), reg->find(dir.filePath(QStringLiteral("a"))));
}

void TestRepoRegistry::loadRefusesNestedThroughSymlink()
{
    QTemporaryDir dir(QFileInfo(QDir::tempPath()).canonicalFilePath() +
                      QStringLiteral("/tst_reporegistry-XXXXXX"));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("backup"))));
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("a/inner"))));
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("a/inner")), dir.filePath(QStringLiteral("elsewhere"))));
    QFile f(dir.filePath(QStringLiteral("repos.yml")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        QStringLiteral("%1/elsewhere:\n    backend: local\n    path: %1/backup\n%1/a:\n    backend: local\n"
                       "    path: %1/backup\n")
            .arg(dir.path())
            .toUtf8());
    f.close();
    const auto reg = RepoRegistry::load(f.fileName());
    QVERIFY(!reg.ok());
    QCOMPARE(reg.error().code, ErrorCode::Config);
    QCOMPARE(reg.error().message,
             QStringLiteral("%1:1: %2/elsewhere: nested inside repository %2/a (line 4) "
                            "(resolves to %2/a/inner): nested repositories are not allowed")
                 .arg(f.fileName(), dir.path()));
}

void TestRepoRegistry::loadReportsMissingFile()
{
    const auto reg = RepoRegistry::load(QStringLiteral("/nonexistent/repos.yml"));
    QVERIFY(!reg.ok());
    QCOMPARE(reg.error().code, ErrorCode::Config);
    QCOMPARE(reg.error().message,
             QStringLiteral("/nonexistent/repos.yml: repositories file does not exist (set "
                            "BARICADR_REPOS_CONF to its path)"));
}

QTEST_GUILESS_MAIN(TestRepoRegistry)
#include "tst_reporegistry.moc"
