// Pure parsers of rclone output and the in-process password obscuring.
#include "rclone/obscure.h"
#include "rclone/parsers.h"

#include <QProcess>
#include <QtTest>

using namespace baricadr;
using namespace baricadr::rclone;

class TestRcloneParsers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aesFips197Vector()
    {
        // FIPS-197 appendix C.3 (AES-256).
        const QByteArray key =
            QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        const QByteArray plain = QByteArray::fromHex("00112233445566778899aabbccddeeff");
        QCOMPARE(aes256EncryptBlock(key, plain).toHex(), QByteArray("8ea2b7ca516745bfeafc49904b496089"));
    }

    void obscureRoundTrip_data()
    {
        QTest::addColumn<QString>("password");
        QTest::newRow("simple") << QStringLiteral("bar");
        QTest::newRow("empty") << QString();
        QTest::newRow("shell chars") << QStringLiteral("a'b $(touch x) \"c\"; `rm -rf /` \\ %s");
        QTest::newRow("unicode") << QStringLiteral("mötördß 密码 🔑");
        QTest::newRow("long") << QString(200, u'x');
    }
    void obscureRoundTrip()
    {
        QFETCH(QString, password);
        const QString o = obscure(password);
        QCOMPARE(reveal(o), password);
        QVERIFY(!o.contains(u'='));
        if (!password.isEmpty())
            QVERIFY(!o.contains(password));
        QVERIFY(obscure(password) != o); // random IV
    }

    // rclone itself must reveal what we obscured (the test passes the obscured form on argv,
    // which is fine for a test password).
    void obscureMatchesRclone_data() { obscureRoundTrip_data(); }
    void obscureMatchesRclone()
    {
        QFETCH(QString, password);
        if (password.isEmpty())
            QSKIP("rclone reveal needs an argument");
        QProcess p;
        QProcessEnvironment env;
        env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("rclone"), {QStringLiteral("reveal"), obscure(password)});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()).chopped(1), password);
    }

    void fixedIvIsDeterministic()
    {
        const QByteArray iv(16, '\x01');
        QCOMPARE(obscure(QStringLiteral("bar"), iv), obscure(QStringLiteral("bar"), iv));
        QVERIFY(reveal(QStringLiteral("!!notbase64")).isNull());
        QVERIFY(reveal(QStringLiteral("AAAA")).isNull());
    }

    void linkNames_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("link");
        QTest::newRow("plain") << "a/b.txt"
                               << "a/b.txt" << false;
        QTest::newRow("link") << "subdir/rel_link.rclonelink"
                              << "subdir/rel_link" << true;
        QTest::newRow("top link") << "x.rclonelink"
                                  << "x" << true;
        QTest::newRow("bare suffix") << ".rclonelink"
                                     << ".rclonelink" << false;
        QTest::newRow("dir/bare suffix") << "d/.rclonelink"
                                         << "d/.rclonelink" << false;
        QTest::newRow("suffix inside") << "a.rclonelink.txt"
                                       << "a.rclonelink.txt" << false;
    }
    void linkNames()
    {
        QFETCH(QString, in);
        QFETCH(QString, path);
        QFETCH(bool, link);
        const LinkName l = splitLinkName(in);
        QCOMPARE(l.path, path);
        QCOMPARE(l.isSymlink, link);
    }

    void rfc3339_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << true << qint64(0);
        QTest::newRow("seconds") << "2026-11-26T10:00:10Z" << true << qint64(1795687210) * 1000000000;
        QTest::newRow("nanos") << "2020-01-02T03:04:05.123456789Z" << true << qint64(1577934245123456789);
        QTest::newRow("millis") << "2020-01-02T03:04:05.5Z" << true << qint64(1577934245500000000);
        QTest::newRow("offset +") << "2020-01-02T04:04:05.000000001+01:00" << true
                                  << qint64(1577934245000000001);
        QTest::newRow("offset -") << "2020-01-01T22:34:05-04:30" << true << qint64(1577934245) * 1000000000;
        QTest::newRow("too many digits")
            << "2020-01-02T03:04:05.1234567891Z" << true << qint64(1577934245123456789);
        QTest::newRow("before epoch") << "1969-12-31T23:59:59Z" << true << qint64(-1000000000);
        QTest::newRow("no zone") << "2020-01-02T03:04:05" << false << qint64(0);
        QTest::newRow("garbage") << "yesterday" << false << qint64(0);
        QTest::newRow("empty") << "" << false << qint64(0);
        QTest::newRow("bad month") << "2020-13-02T03:04:05Z" << false << qint64(0);
        QTest::newRow("trailing") << "2020-01-02T03:04:05Zx" << false << qint64(0);
        QTest::newRow("dot no digits") << "2020-01-02T03:04:05.Z" << false << qint64(0);
    }
    void rfc3339()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, ns);
        const auto r = parseRfc3339Ns(text);
        QCOMPARE(r.has_value(), valid);
        if (valid)
            QCOMPARE(*r, ns);
    }

    void lsjsonLines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("size");
        QTest::addColumn<bool>("isDir");
        QTest::addColumn<bool>("isLink");
        QTest::addColumn<QString>("hash");
        const int E = int(LsjsonLine::Kind::Entry), S = int(LsjsonLine::Kind::Structural),
                  G = int(LsjsonLine::Kind::Garbage);
        QTest::newRow("open") << QByteArray("[") << S << "" << qint64(-1) << false << false << "";
        QTest::newRow("close") << QByteArray("]") << S << "" << qint64(-1) << false << false << "";
        QTest::newRow("empty list") << QByteArray("[]") << S << "" << qint64(-1) << false << false << "";
        QTest::newRow("blank") << QByteArray("   ") << S << "" << qint64(-1) << false << false << "";
        QTest::newRow("file,") << QByteArray("{\"Path\":\"a/"
                                             "b.txt\",\"Name\":\"b.txt\",\"Size\":3,\"ModTime\":\"2026-11-"
                                             "26T10:00:10Z\",\"IsDir\":false},")
                               << E << "a/b.txt" << qint64(3) << false << false << "";
        QTest::newRow("last file")
            << QByteArray("{\"Path\":\"a b\",\"Name\":\"a "
                          "b\",\"Size\":0,\"ModTime\":\"2026-11-26T10:00:10Z\",\"IsDir\":false}")
            << E << "a b" << qint64(0) << false << false << "";
        QTest::newRow("dir") << QByteArray("{\"Path\":\"sub\",\"Name\":\"sub\",\"Size\":-1,\"ModTime\":"
                                           "\"2026-11-26T10:00:10Z\",\"IsDir\":true},")
                             << E << "sub" << qint64(-1) << true << false << "";
        QTest::newRow("link") << QByteArray("{\"Path\":\"subdir/"
                                            "rel_link.rclonelink\",\"Name\":\"rel_link.rclonelink\",\"Size\":"
                                            "14,\"ModTime\":\"2026-11-26T10:00:10Z\",\"IsDir\":false},")
                              << E << "subdir/rel_link" << qint64(14) << false << true << "";
        QTest::newRow("hash") << QByteArray(
                                     "{\"Path\":\"h\",\"Size\":3,\"ModTime\":\"2026-11-26T10:00:10Z\","
                                     "\"IsDir\":false,\"Hashes\":{\"sha1\":\"55ca\",\"md5\":\"764e\"}}")
                              << E << "h" << qint64(3) << false << false << "764e";
        QTest::newRow("big size") << QByteArray("{\"Path\":\"big\",\"Size\":1099511627776,\"IsDir\":false}")
                                  << E << "big" << qint64(1099511627776) << false << false << "";
        QTest::newRow("quotes")
            << QByteArray("{\"Path\":\"a'b $(touch x) \\\"c\\\".txt\",\"Size\":1,\"IsDir\":false},") << E
            << "a'b $(touch x) \"c\".txt" << qint64(1) << false << false << "";
        QTest::newRow("garbage") << QByteArray("hello world") << G << "" << qint64(-1) << false << false
                                 << "";
        QTest::newRow("truncated") << QByteArray("{\"Path\":\"a/b.txt\",\"Size\":") << G << "" << qint64(-1)
                                   << false << false << "";
        QTest::newRow("no path") << QByteArray("{\"Name\":\"x\",\"Size\":1}") << G << "" << qint64(-1)
                                 << false << false << "";
        QTest::newRow("path not string")
            << QByteArray("{\"Path\":5}") << G << "" << qint64(-1) << false << false << "";
        QTest::newRow("array") << QByteArray("[1,2]") << G << "" << qint64(-1) << false << false << "";
        QTest::newRow("binary") << QByteArray("{\x01\xff\xfe\x00") << G << "" << qint64(-1) << false << false
                                << "";
    }
    void lsjsonLines()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, kind);
        QFETCH(QString, path);
        QFETCH(qint64, size);
        QFETCH(bool, isDir);
        QFETCH(bool, isLink);
        QFETCH(QString, hash);
        const LsjsonLine l = parseLsjsonLine(line, true);
        QCOMPARE(int(l.kind), kind);
        if (l.kind == LsjsonLine::Kind::Garbage)
            QVERIFY(!l.error.isEmpty());
        if (l.kind != LsjsonLine::Kind::Entry)
            return;
        QCOMPARE(l.entry.relPath, path);
        QCOMPARE(l.entry.size, size);
        QCOMPARE(l.entry.isDir, isDir);
        QCOMPARE(l.entry.isSymlink, isLink);
        QCOMPARE(l.entry.hash, hash);
        QVERIFY(!l.object.isEmpty());
    }

    // 200,000 generated lines, parsed one at a time: constant memory, every line accounted for.
    void lsjsonStreamManyLines()
    {
        qint64 entries = 0, garbage = 0, bytes = 0;
        for (int i = 0; i < 200000; ++i) {
            QByteArray line;
            if (i % 50000 == 7)
                line = "}{ garbage";
            else
                line = "{\"Path\":\"d" + QByteArray::number(i / 100) + "/f" + QByteArray::number(i) +
                       ".dat\",\"Name\":\"x\",\"Size\":" + QByteArray::number(i) +
                       ",\"MimeType\":\"application/"
                       "octet-stream\",\"ModTime\":\"2026-01-02T03:04:05.123456789Z\",\"IsDir\":false},";
            const LsjsonLine l = parseLsjsonLine(line);
            if (l.kind == LsjsonLine::Kind::Entry) {
                ++entries;
                bytes += l.entry.size;
                QCOMPARE(l.entry.mtimeNs % 1000000000, qint64(123456789));
            } else {
                ++garbage;
            }
        }
        QCOMPARE(garbage, qint64(4));
        QCOMPARE(entries, qint64(200000 - 4));
        QVERIFY(bytes > 0);
    }

    void logLines_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("message");
        const int St = int(LogLine::Kind::Stats), C = int(LogLine::Kind::FileCopied),
                  FE = int(LogLine::Kind::FileError), M = int(LogLine::Kind::Message),
                  P = int(LogLine::Kind::PlainText);
        QTest::newRow("copied")
            << QByteArray("{\"level\":\"info\",\"msg\":\"Copied "
                          "(new)\",\"object\":\"a.txt\",\"objectType\":\"*sftp.Object\",\"source\":"
                          "\"operations/operations.go:566\",\"time\":\"2026-11-26T10:02:07.081207+00:00\"}")
            << C << "a.txt"
            << "Copied (new)";
        QTest::newRow("multi") << QByteArray("{\"level\":\"info\",\"msg\":\"Multi-thread Copied "
                                             "(new)\",\"object\":\"big\",\"time\":\"x\"}")
                               << C << "big"
                               << "Multi-thread Copied (new)";
        QTest::newRow("file error") << QByteArray("{\"level\":\"error\",\"msg\":\"Failed to copy: no space "
                                                  "left on device\",\"object\":\"a.txt\"}")
                                    << FE << "a.txt"
                                    << "Failed to copy: no space left on device";
        QTest::newRow("info")
            << QByteArray("{\"level\":\"info\",\"msg\":\"Starting bandwidth limiter at 1Mi Byte/s\"}") << M
            << ""
            << "Starting bandwidth limiter at 1Mi Byte/s";
        QTest::newRow("plain fatal")
            << QByteArray(
                   "2026/11/26 10:00:13 Failed to create file system for \"R:\": NewFs: couldn't connect SSH")
            << P << ""
            << "Failed to create file system for \"R:\": NewFs: couldn't connect SSH";
        QTest::newRow("plain error")
            << QByteArray("2026/11/26 10:04:07 ERROR : : error listing: directory not found") << P << ""
            << ": error listing: directory not found";
        QTest::newRow("garbage") << QByteArray("\xff\xfe{{{") << P << "" << QString::fromUtf8("\xff\xfe{{{");
        QTest::newRow("stats")
            << QByteArray("{\"level\":\"warning\",\"msg\":\"\\nTransferred: "
                          "x\\n\",\"stats\":{\"bytes\":520209,\"errors\":0,\"eta\":3,\"speed\":519834.5,"
                          "\"totalBytes\":3000017,\"totalTransfers\":3,\"transfers\":1}}")
            << St << ""
            << "Transferred: x";
    }
    void logLines()
    {
        QFETCH(QByteArray, line);
        QFETCH(int, kind);
        QFETCH(QString, object);
        QFETCH(QString, message);
        const LogLine l = parseLogLine(line);
        QCOMPARE(int(l.kind), kind);
        QCOMPARE(l.object, object);
        QCOMPARE(l.message, message);
    }

    void statsLine()
    {
        const LogLine l = parseLogLine(
            "{\"level\":\"warning\",\"msg\":\"x\",\"stats\":{\"bytes\":520209,\"errors\":2,\"eta\":3,"
            "\"speed\":519834.5,\"totalBytes\":3000017,\"totalTransfers\":3,\"transfers\":1}}");
        QVERIFY(l.progress);
        QCOMPARE(l.progress->bytes, qint64(520209));
        QCOMPARE(l.progress->totalBytes, qint64(3000017));
        QCOMPARE(l.progress->files, qint64(1));
        QCOMPARE(l.progress->totalFiles, qint64(3));
        QCOMPARE(l.progress->speed, 519834.5);
        QCOMPARE(l.progress->etaSeconds, std::optional<qint64>(3));
        QCOMPARE(l.errors, qint64(2));
        const LogLine noEta =
            parseLogLine("{\"level\":\"warning\",\"stats\":{\"bytes\":\"x\",\"eta\":null,\"speed\":-1}}");
        QVERIFY(noEta.progress);
        QVERIFY(!noEta.progress->etaSeconds);
        QCOMPARE(noEta.progress->bytes, qint64(0));
        QCOMPARE(noEta.progress->speed, 0.0);
    }

    // Numbers rclone (or whatever sits on its pipe) writes are not trusted: a value no qint64 can
    // hold reads as "unknown", never as a wrapped or undefined count (UBSan checks the cast).
    void outOfRangeNumbers()
    {
        const LogLine huge =
            parseLogLine("{\"level\":\"warning\",\"stats\":{\"bytes\":1.03e90,\"eta\":-1e300,"
                         "\"totalBytes\":9223372036854775808,\"transfers\":-9.3e18,"
                         "\"totalTransfers\":4e18,\"errors\":1e19}}");
        QVERIFY(huge.progress);
        QCOMPARE(huge.progress->bytes, qint64(0));
        QCOMPARE(huge.progress->totalBytes, qint64(0));
        QCOMPARE(huge.progress->files, qint64(0));
        QCOMPARE(huge.progress->totalFiles, qint64(4000000000000000000));
        QVERIFY(!huge.progress->etaSeconds);
        QCOMPARE(huge.errors, qint64(0));
        const LsjsonLine big = parseLsjsonLine("{\"Path\":\"a\",\"Size\":1e400,\"IsDir\":false}", true);
        const LsjsonLine big2 = parseLsjsonLine("{\"Path\":\"a\",\"Size\":-1e30,\"IsDir\":false}", true);
        for (const LsjsonLine &l : {big, big2}) {
            if (l.kind == LsjsonLine::Kind::Entry)
                QCOMPARE(l.entry.size, qint64(-1));
        }
    }

    void classify_data()
    {
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("stderr");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("refused")
            << 1
            << QStringList{QStringLiteral(
                   "2026/11/26 10:00:13 Failed to create file system for \"baricadr_remote:x\": NewFs: "
                   "couldn't connect SSH: dial tcp 127.0.0.1:1: connect: connection refused")}
            << int(ErrorCode::RemoteUnreachable) << "cannot be reached";
        QTest::newRow("auth")
            << 1
            << QStringList{QStringLiteral(
                   "2026/11/26 10:00:13 Failed to create file system for \"R:\": NewFs: couldn't connect "
                   "SSH: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none "
                   "password], no supported methods remain")}
            << int(ErrorCode::RemoteUnreachable) << "refused the credentials";
        QTest::newRow("dir not found")
            << 3 << QStringList{QStringLiteral("2026/11/26 10:04:07 Failed to lsjson: directory not found")}
            << int(ErrorCode::NotFound) << "not found";
        QTest::newRow("usage") << 1
                               << QStringList{QStringLiteral("Error: unknown flag: --frobnicate"),
                                              QStringLiteral("Usage:")}
                               << int(ErrorCode::RcloneFailed) << "unknown flag: --frobnicate";
        QTest::newRow("disk full") << 1
                                   << QStringList{QStringLiteral(
                                          "{\"level\":\"error\",\"msg\":\"Failed to copy: write /r/.s/x: no "
                                          "space left on device\",\"object\":\"x\"}")}
                                   << int(ErrorCode::Io) << "disk is full";
        QTest::newRow("silent") << 2 << QStringList{} << int(ErrorCode::RcloneFailed) << "exit code 2";
        QTest::newRow("stats only") << 2
                                    << QStringList{QStringLiteral(
                                           "{\"level\":\"warning\",\"msg\":\"x\",\"stats\":{\"bytes\":1}}")}
                                    << int(ErrorCode::RcloneFailed) << "exit code 2";
    }
    void classify()
    {
        QFETCH(int, exitCode);
        QFETCH(QStringList, stderr);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const Error e = classifyFailure(exitCode, stderr, QStringLiteral("listing sftp://u@h:1/x"));
        QCOMPARE(int(e.code), code);
        QVERIFY2(e.message.contains(mentions), qPrintable(e.message));
        QVERIFY2(e.message.startsWith(QStringLiteral("listing sftp://u@h:1/x")), qPrintable(e.message));
    }
};

QTEST_GUILESS_MAIN(TestRcloneParsers)
#include "tst_rcloneparsers.moc"
