// The loopback SFTP fixture itself: starts, serves files and symlinks, refuses a wrong password,
// goes away on kill() and comes back on the same port.
#include "sftpserver.h"
#include "testtree.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace baricadr;
using namespace baricadr::test;

class TestSftpServer : public QObject
{
    Q_OBJECT

    // rclone lsf against the fixture, credentials in the environment (obscured by rclone itself
    // reading stdin, so this test does not depend on the product's obscure implementation).
    static QPair<int, QString> lsf(const SftpServer &s, const QString &password,
                                   const QString &path = QString())
    {
        QProcess obscure;
        obscure.setProcessEnvironment(QProcessEnvironment());
        obscure.start(QStringLiteral("rclone"), {QStringLiteral("obscure"), QStringLiteral("-")});
        obscure.write(password.toUtf8());
        obscure.closeWriteChannel();
        obscure.waitForFinished(10000);
        const QString obscured = QString::fromUtf8(obscure.readAllStandardOutput()).trimmed();

        QProcessEnvironment env;
        env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_TYPE"), QStringLiteral("sftp"));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_HOST"), QStringLiteral("127.0.0.1"));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_PORT"), QString::number(s.port()));
        env.insert(QStringLiteral("RCLONE_CONFIG_T_USER"), s.user());
        env.insert(QStringLiteral("RCLONE_CONFIG_T_PASS"), obscured);
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("rclone"),
                {QStringLiteral("lsf"), QStringLiteral("-R"), QStringLiteral("--retries"),
                 QStringLiteral("1"), QStringLiteral("--low-level-retries"), QStringLiteral("1"),
                 QStringLiteral("--contimeout"), QStringLiteral("5s"), QStringLiteral("T:") + path});
        p.waitForFinished(30000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError())};
    }

private Q_SLOTS:
    void servesFilesAndLinks()
    {
        SftpServer server;
        QVERIFY(createOriginalLayout(server.root() + QStringLiteral("/backup"), true));
        QVERIFY2(server.start(), qPrintable(server.serverLog()));
        QVERIFY(server.port() > 0);
        const auto [rc, out] = lsf(server, server.password(), QStringLiteral("backup"));
        QCOMPARE(rc, 0);
        QVERIFY2(out.contains(QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("subdir/rel_link.rclonelink")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("subdir/abs_link.rclonelink")), qPrintable(out));

        const RepoConfig repo = server.repoFor(QStringLiteral("/tmp/x-local"), QStringLiteral("backup"));
        QCOMPARE(repo.port, int(server.port()));
        QCOMPARE(repo.remotePrefix, QStringLiteral("backup"));
        QCOMPARE(repo.password, server.password());
    }

    void wrongPasswordRefused()
    {
        SftpServer server;
        QVERIFY(server.start());
        const auto [rc, out] = lsf(server, QStringLiteral("wrong"));
        QVERIFY(rc != 0);
        QVERIFY2(out.contains(QStringLiteral("unable to authenticate")), qPrintable(out));
    }

    void credentialsNotOnCommandLine()
    {
        SftpServer server;
        QVERIFY(server.start());
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(server.pid()));
        QVERIFY(cmdline.open(QIODevice::ReadOnly));
        const QByteArray args = cmdline.readAll();
        QVERIFY(args.contains("serve"));
        QVERIFY(!args.contains(server.password().toUtf8()));
    }

    void killAndRestartOnSamePort()
    {
        SftpServer server;
        QVERIFY(writeFile(server.root(), QStringLiteral("f.txt"), "x"));
        QVERIFY(server.start());
        const quint16 port = server.port();
        server.kill();
        QVERIFY(!server.isRunning());
        QVERIFY(lsf(server, server.password()).first != 0);
        QVERIFY2(server.restart(), qPrintable(server.serverLog()));
        QCOMPARE(server.port(), port);
        const auto [rc, out] = lsf(server, server.password());
        QCOMPARE(rc, 0);
        QVERIFY(out.contains(QStringLiteral("f.txt")));
    }
};

QTEST_GUILESS_MAIN(TestSftpServer)
#include "tst_sftpserver.moc"
