#include "util/paths.h"

#include <QTest>

using namespace baricadr;

class TestPaths : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void normalize_data();
    void normalize();
    void refusesNulAndEmpty();
    void contains_data();
    void contains();
    void relativeAndJoin();
};

void TestPaths::normalize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "/data/a/b"
                           << ""
                           << "/data/a/b";
    QTest::newRow("trailing slash") << "/data/a/"
                                    << ""
                                    << "/data/a";
    QTest::newRow("double slash") << "/data//a///b"
                                  << ""
                                  << "/data/a/b";
    QTest::newRow("dot") << "/data/./a/."
                         << ""
                         << "/data/a";
    QTest::newRow("dotdot") << "/data/a/../b"
                            << ""
                            << "/data/b";
    QTest::newRow("escaping dotdot") << "/data/repo/../../etc/passwd"
                                     << ""
                                     << "/etc/passwd";
    QTest::newRow("above root") << "/../../x"
                                << ""
                                << "/x";
    QTest::newRow("root") << "/"
                          << ""
                          << "/";
    QTest::newRow("relative") << "sub/file.txt"
                              << "/srv"
                              << "/srv/sub/file.txt";
    QTest::newRow("relative dotdot") << "../x"
                                     << "/srv/a"
                                     << "/srv/x";
    QTest::newRow("spaces and quotes") << "/d/a'b $(touch x) \"c\".txt"
                                       << ""
                                       << "/d/a'b $(touch x) \"c\".txt";
}

void TestPaths::normalize()
{
    QFETCH(QString, input);
    QFETCH(QString, cwd);
    QFETCH(QString, expected);
    const auto result = paths::normalize(input, cwd);
    QVERIFY(result.ok());
    QCOMPARE(result.value(), expected);
}

void TestPaths::refusesNulAndEmpty()
{
    const auto nul = paths::normalize(QStringLiteral("/data/a") + QChar(u'\0') + QStringLiteral("b"));
    QVERIFY(!nul.ok());
    QCOMPARE(nul.error().code, ErrorCode::InvalidInput);
    QVERIFY(nul.error().message.contains(QLatin1String("NUL")));
    QVERIFY(!paths::normalize(QString()).ok());
}

void TestPaths::contains_data()
{
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("expected");
    QTest::newRow("same") << "/data/a"
                          << "/data/a" << true;
    QTest::newRow("child") << "/data/a"
                           << "/data/a/x" << true;
    QTest::newRow("deep child") << "/data/a"
                                << "/data/a/x/y/z" << true;
    QTest::newRow("sibling prefix") << "/data/a"
                                    << "/data/ab" << false;
    QTest::newRow("sibling prefix child") << "/data/a"
                                          << "/data/ab/x" << false;
    QTest::newRow("parent") << "/data/a"
                            << "/data" << false;
    QTest::newRow("root contains all") << "/"
                                       << "/data" << true;
}

void TestPaths::contains()
{
    QFETCH(QString, root);
    QFETCH(QString, path);
    QFETCH(bool, expected);
    QCOMPARE(paths::contains(root, path), expected);
}

void TestPaths::relativeAndJoin()
{
    QCOMPARE(paths::relative(QStringLiteral("/data/a"), QStringLiteral("/data/a")), QString());
    QCOMPARE(paths::relative(QStringLiteral("/data/a"), QStringLiteral("/data/a/x/y")),
             QStringLiteral("x/y"));
    QCOMPARE(paths::relative(QStringLiteral("/"), QStringLiteral("/x/y")), QStringLiteral("x/y"));
    QCOMPARE(paths::join(QStringLiteral("/data/a"), QStringLiteral("x/y")), QStringLiteral("/data/a/x/y"));
    QCOMPARE(paths::join(QStringLiteral("/data/a"), QString()), QStringLiteral("/data/a"));
    QCOMPARE(paths::join(QStringLiteral("/"), QStringLiteral("x")), QStringLiteral("/x"));
}

QTEST_GUILESS_MAIN(TestPaths)
#include "tst_paths.moc"
