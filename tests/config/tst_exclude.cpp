#include "repo/exclude.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

using namespace baricadr;

class TestExclude : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fnmatch_data();
    void fnmatch();
    void repoExclude();
    void cacheFollowsTheRepo();
    void sameAsPythonFnmatch();
    void manyFiles();
};

void TestExclude::fnmatch_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("match");
    // The original's own use: suffix globs against the full local path.
    QTest::newRow("suffix") << "*.xml"
                            << "/data/a/subdir/poutrelle.xml" << true;
    QTest::newRow("suffix other") << "*.xml"
                                  << "/data/a/subdir/poutrelle.tsv" << false;
    QTest::newRow("suffix needs full match") << "*.xml"
                                             << "/data/a/poutrelle.xml.bak" << false;
    QTest::newRow("star crosses slash") << "/data/*/x"
                                        << "/data/a/b/c/x" << true;
    QTest::newRow("relative pattern never matches abs path") << "subdir/*.txt"
                                                             << "/data/a/subdir/f.txt" << false;
    QTest::newRow("dir pattern") << "*/subsubdir/*"
                                 << "/data/a/subdir/subsubdir/f" << true;
    QTest::newRow("case sensitive") << "*.XML"
                                    << "/data/a/f.xml" << false;
    QTest::newRow("question") << "/d/f?.txt"
                              << "/d/f1.txt" << true;
    QTest::newRow("question needs one") << "/d/f?.txt"
                                        << "/d/f.txt" << false;
    QTest::newRow("question matches slash") << "/d?f"
                                            << "/d/f" << true;
    QTest::newRow("set") << "/d/[abc].txt"
                         << "/d/b.txt" << true;
    QTest::newRow("set miss") << "/d/[abc].txt"
                              << "/d/d.txt" << false;
    QTest::newRow("range") << "/d/[0-9][0-9]"
                           << "/d/42" << true;
    QTest::newRow("range miss") << "/d/[0-9]"
                                << "/d/x" << false;
    QTest::newRow("negated") << "/d/[!abc]"
                             << "/d/d" << true;
    QTest::newRow("negated miss") << "/d/[!abc]"
                                  << "/d/a" << false;
    QTest::newRow("bracket first literal") << "/d/[]]"
                                           << "/d/]" << true;
    QTest::newRow("negated bracket literal") << "/d/[!]]"
                                             << "/d/]" << false;
    QTest::newRow("unclosed bracket is literal") << "/d/[ab"
                                                 << "/d/[ab" << true;
    QTest::newRow("unclosed bracket no set") << "/d/[ab"
                                             << "/d/a" << false;
    QTest::newRow("hyphen last literal") << "/d/[a-]"
                                         << "/d/-" << true;
    QTest::newRow("hyphen first literal") << "/d/[-a]"
                                          << "/d/-" << true;
    QTest::newRow("reversed range matches nothing") << "/d/[z-a]"
                                                    << "/d/m" << false;
    QTest::newRow("backslash is literal") << "/d/\\*"
                                          << "/d/\\x" << true;
    QTest::newRow("star alone") << "*"
                                << "/anything/at/all" << true;
    QTest::newRow("empty pattern") << ""
                                   << "/d" << false;
    QTest::newRow("many stars") << "*a*b*c*"
                                << "/xaxbxcx" << true;
    QTest::newRow("many stars miss") << "*a*b*c*d"
                                     << "/xaxbxcx" << false;
    QTest::newRow("backtracking") << "*aab"
                                  << "/aaaab" << true;
    QTest::newRow("quotes and dollar") << "*$(touch x)*"
                                       << "/d/a'b $(touch x) \"c\".txt" << true;
    QTest::newRow("unicode") << "*/été/*"
                             << "/data/été/f" << true;
}

void TestExclude::fnmatch()
{
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QFETCH(bool, match);
    QCOMPARE(GlobPattern(pattern).matches(path), match);
}

void TestExclude::repoExclude()
{
    RepoConfig repo;
    repo.root = QStringLiteral("/data/a");
    repo.exclude = splitExcludeList(QStringLiteral("*.xml , *.tsv"));
    QCOMPARE(repo.exclude, (QStringList{QStringLiteral("*.xml"), QStringLiteral("*.tsv")}));
    QVERIFY(isExcluded(repo, QStringLiteral("/data/a/subdir/subsubdir/poutrelle.xml")));
    QVERIFY(isExcluded(repo, QStringLiteral("/data/a/subdir/subsubdir/poutrelle.tsv")));
    QVERIFY(!isExcluded(repo, QStringLiteral("/data/a/subdir/subsubdir/subsubfile.txt")));
    RepoConfig none;
    QVERIFY(!isExcluded(none, QStringLiteral("/data/a/x.xml")));
}

void TestExclude::cacheFollowsTheRepo()
{
    RepoConfig a, b;
    a.exclude = QStringList{QStringLiteral("*.xml")};
    b.exclude = QStringList{QStringLiteral("*.tsv")};
    for (int i = 0; i < 3; ++i) {
        QVERIFY(isExcluded(a, QStringLiteral("/x.xml")));
        QVERIFY(!isExcluded(b, QStringLiteral("/x.xml")));
        QVERIFY(isExcluded(b, QStringLiteral("/x.tsv")));
        QVERIFY(!isExcluded(a, QStringLiteral("/x.tsv")));
    }
    // A list edited in place (same object, new content) is recompiled.
    a.exclude[0] = QStringLiteral("*.tsv");
    QVERIFY(isExcluded(a, QStringLiteral("/x.tsv")));
    QVERIFY(!isExcluded(a, QStringLiteral("/x.xml")));
}

// Random patterns and paths over a small alphabet, checked against Python's own fnmatch.
void TestExclude::sameAsPythonFnmatch()
{
    const QString python = QStringLiteral("/usr/bin/python3");
    if (!QFile::exists(python))
        QSKIP("/usr/bin/python3 is not installed: cannot compare with Python's fnmatch");
    const QString alphabet = QStringLiteral("ab/-!]*?[.z");
    QRandomGenerator rng(20240601);
    auto randomString = [&](int maxLen, const QString &chars) {
        QString s;
        const int len = int(rng.bounded(maxLen + 1));
        for (int i = 0; i < len; ++i)
            s += chars.at(int(rng.bounded(int(chars.size()))));
        return s;
    };
    QStringList patterns, paths;
    for (int i = 0; i < 3000; ++i) {
        patterns << randomString(8, alphabet);
        paths << randomString(7, QStringLiteral("ab/-!].z"));
    }
    QProcess py;
    py.start(python,
             {QStringLiteral("-c"),
              QStringLiteral("import sys, fnmatch\n"
                             "lines = sys.stdin.read().split('\\n')\n"
                             "for i in range(0, len(lines) - 1, 2):\n"
                             "    print(1 if fnmatch.fnmatchcase(lines[i + 1], lines[i]) else 0)\n")});
    QVERIFY(py.waitForStarted(10000));
    QByteArray input;
    for (int i = 0; i < patterns.size(); ++i)
        input += patterns.at(i).toUtf8() + '\n' + paths.at(i).toUtf8() + '\n';
    py.write(input);
    py.closeWriteChannel();
    QVERIFY(py.waitForFinished(60000));
    QCOMPARE(py.exitCode(), 0);
    const QList<QByteArray> results = py.readAllStandardOutput().split('\n');
    QVERIFY(results.size() >= patterns.size());
    int mismatches = 0;
    for (int i = 0; i < patterns.size(); ++i) {
        const bool expected = results.at(i) == "1";
        const bool got = GlobPattern(patterns.at(i)).matches(paths.at(i));
        if (expected != got && ++mismatches <= 10)
            qWarning().noquote() << "pattern" << patterns.at(i) << "path" << paths.at(i) << "python"
                                 << expected << "ours" << got;
    }
    QCOMPARE(mismatches, 0);
}

// Not a timing assertion: checks the per-file path stays allocation-free enough to run over a
// large repo within the test's timeout, and prints the rate for the record.
void TestExclude::manyFiles()
{
    RepoConfig repo;
    repo.exclude = splitExcludeList(QStringLiteral("*.xml, *.tsv, */tmp/*, *~, *.[oa]"));
    QStringList paths;
    for (int i = 0; i < 1000; ++i)
        paths << QStringLiteral("/data/projectA/dir%1/sub%2/file%3.%4")
                     .arg(i % 37)
                     .arg(i % 11)
                     .arg(i)
                     .arg(i % 5 == 0 ? QStringLiteral("xml") : QStringLiteral("dat"));
    QElapsedTimer timer;
    timer.start();
    qint64 excluded = 0;
    for (int round = 0; round < 1000; ++round) {
        for (const QString &p : paths)
            excluded += isExcluded(repo, p) ? 1 : 0;
    }
    QCOMPARE(excluded, 200LL * 1000);
    qInfo("isExcluded: 1,000,000 paths x 5 patterns in %lld ms", timer.elapsed());
}

QTEST_GUILESS_MAIN(TestExclude)
#include "tst_exclude.moc"
