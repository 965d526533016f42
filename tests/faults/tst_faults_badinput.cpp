// Hostile and broken requests against a real `baricadr serve` (its real engine, a real loopback
// SFTP backup): each gets a 4xx answer with a JSON {"error": …} naming the problem, the service
// stays up, and nothing outside the repo is touched — a sentinel file next to the repo keeps its
// content, mtime and (old) atime, so even reading it would show — and nothing is written to the
// backup. The repo holds symlinks that leave it (to a directory and to a file outside), and the
// backup holds real directories where the repo has those symlinks, so a pull that followed a
// local symlink would write outside the repo.
// (The same request shapes against the HTTP layer alone, with a fake service behind it, are in
// tests/api/tst_httpapi.cpp::errors; this runs them through the whole product.)
#include "faultsupport.h"
#include "servedaemon.h"

#include <QCryptographicHash>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace baricadr;
using namespace baricadr::test;

namespace {

struct Stamp
{
    QByteArray content;
    qint64 atimeNs = -1;
    qint64 mtimeNs = -1;
    bool operator==(const Stamp &o) const
    {
        return content == o.content && atimeNs == o.atimeNs && mtimeNs == o.mtimeNs;
    }
};

Stamp stamp(const QString &path)
{
    Stamp s;
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return s;
    s.atimeNs = qint64(st.st_atim.tv_sec) * 1000000000LL + st.st_atim.tv_nsec;
    s.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    s.content = readFileNoAtime(path);
    return s;
}

// Names, sizes and content hashes of every file under `root`.
QByteArray treeDigest(const QString &root)
{
    QStringList rows;
    for (const QString &rel : filesUnder(root)) {
        const QByteArray c = readFileNoAtime(root + u'/' + rel);
        rows << rel + u' ' +
                    QString::fromLatin1(QCryptographicHash::hash(c, QCryptographicHash::Sha1).toHex());
    }
    rows.sort();
    return rows.join(u'\n').toUtf8();
}

// One raw HTTP exchange on a fresh connection ("Connection: close"): the bytes the server sent
// before closing (or before `timeoutMs`).
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 15000)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(5000))
        return "NO CONNECTION";
    s.write(request);
    QByteArray out;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && s.state() == QAbstractSocket::ConnectedState) {
        if (s.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            out += s.readAll();
        // A complete answer with a Content-Length is enough (the server may keep the socket).
        const qsizetype headerEnd = out.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            const QByteArray head = out.left(headerEnd).toLower();
            const qsizetype cl = head.indexOf("content-length:");
            if (cl >= 0) {
                const qsizetype eol = head.indexOf("\r\n", cl);
                const qint64 len = head.mid(cl + 15, eol < 0 ? -1 : eol - cl - 15).trimmed().toLongLong();
                if (out.size() - headerEnd - 4 >= len)
                    break;
            }
        }
    }
    out += s.readAll();
    return out;
}

int statusOf(const QByteArray &raw)
{
    if (!raw.startsWith("HTTP/1."))
        return 0;
    return raw.mid(9, 3).toInt();
}

QJsonObject jsonOf(const QByteArray &raw)
{
    const qsizetype headerEnd = raw.indexOf("\r\n\r\n");
    return QJsonDocument::fromJson(headerEnd < 0 ? QByteArray() : raw.mid(headerEnd + 4)).object();
}

} // namespace

class TestFaultsBadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void badBodies_data();
    void badBodies();
    void badRawRequests_data();
    void badRawRequests();
    void hugeBody();
    void symlinksLeavingTheRepo_data();
    void symlinksLeavingTheRepo();
    void wholeRepoFreezeAndPullStayInside();

private:
    QString repo() const { return m_dir.filePath(QStringLiteral("repo")); }
    QString outside() const { return m_dir.filePath(QStringLiteral("outside")); }
    QString backup() const { return m_dir.filePath(QStringLiteral("served/backup")); }
    void checkNothingOutsideTouched();

    QTemporaryDir m_dir;
    std::unique_ptr<SftpServer> m_sftp;
    std::unique_ptr<ServeDaemon> m_serve;
    std::unique_ptr<HttpTester> m_http;
    Stamp m_sentinel;
    QByteArray m_backupDigest;
};

void TestFaultsBadInput::initTestCase()
{
    // Outside the repo: a sentinel file, last read 400 days ago.
    QVERIFY(writeFile(outside(), QStringLiteral("sentinel.txt"), "do not touch\n"));
    QVERIFY(setAtimeDaysAgo(outside() + QStringLiteral("/sentinel.txt"), 400));
    // The repo: the original layout, unread for 400 days, freezable, plus three ways out.
    QVERIFY(createOriginalLayout(repo()));
    QVERIFY(QFile::link(QStringLiteral("../outside"), repo() + QStringLiteral("/escape_dir")));
    QVERIFY(QFile::link(outside(), repo() + QStringLiteral("/subdir/escape_abs")));
    QVERIFY(
        QFile::link(outside() + QStringLiteral("/sentinel.txt"), repo() + QStringLiteral("/escape_file")));
    // The backup holds the same files, and real directories where the repo has the links: what a
    // pull would write through the links if it followed them.
    QVERIFY(createOriginalLayout(backup()));
    QVERIFY(writeFile(backup(), QStringLiteral("escape_dir/planted.txt"), "planted\n"));
    QVERIFY(writeFile(backup(), QStringLiteral("subdir/escape_abs/planted.txt"), "planted\n"));
    QVERIFY(writeFile(backup(), QStringLiteral("escape_file"), "do not touch\n")); // same size
    QVERIFY(ageTree(repo(), 400));
    m_sentinel = stamp(outside() + QStringLiteral("/sentinel.txt"));
    m_backupDigest = treeDigest(backup());

    m_sftp = std::make_unique<SftpServer>(m_dir.filePath(QStringLiteral("served")), plainCredentials());
    QVERIFY(m_sftp->start());
    m_serve = std::make_unique<ServeDaemon>(m_dir.filePath(QStringLiteral("state")));
    m_serve->setReposYaml(
        sftpRepoYaml(repo(), *m_sftp, QStringLiteral("backup"), "  freezable: true\n  freeze_age: 180\n"));
    QVERIFY2(m_serve->start(), qPrintable(m_serve->log()));
    m_http = std::make_unique<HttpTester>(m_serve->base());
}

void TestFaultsBadInput::cleanupTestCase()
{
    if (m_serve) {
        if (QTest::currentTestFailed())
            qWarning().noquote() << m_serve->log();
        QCOMPARE(m_serve->stop(), 0); // it never crashed
    }
}

void TestFaultsBadInput::init()
{
    QVERIFY2(m_serve->isRunning(), qPrintable(m_serve->log()));
}

void TestFaultsBadInput::cleanup()
{
    checkNothingOutsideTouched();
}

void TestFaultsBadInput::checkNothingOutsideTouched()
{
    QVERIFY2(m_serve->isRunning(), qPrintable(m_serve->currentLog()));
    QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200);
    QVERIFY(stamp(outside() + QStringLiteral("/sentinel.txt")) == m_sentinel);
    QCOMPARE(filesUnder(outside()), QSet<QString>{QStringLiteral("sentinel.txt")});
    QCOMPARE(treeDigest(backup()), m_backupDigest); // nothing written to the remote
}

void TestFaultsBadInput::badBodies_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("route");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    const QByteArray r = repo().toUtf8();
    const QByteArray escape = r + "/../outside/sentinel.txt";
    QTest::newRow("malformed json") << QByteArray("POST") << u"/freeze"_qs << QByteArray("{\"path\": ") << 400
                                    << u"Malformed JSON"_qs;
    QTest::newRow("not an object") << QByteArray("POST") << u"/pull"_qs << QByteArray("\"" + r + "\"") << 400
                                   << u"Malformed JSON"_qs;
    QTest::newRow("path a number") << QByteArray("POST") << u"/freeze"_qs << QByteArray("{\"path\": 7}")
                                   << 400 << u"\"path\" must be a string"_qs;
    QTest::newRow("path an array") << QByteArray("POST") << u"/pull"_qs
                                   << QByteArray("{\"path\": [\"" + r + "\"]}") << 400
                                   << u"\"path\" must be a string"_qs;
    QTest::newRow("force an object") << QByteArray("POST") << u"/freeze"_qs
                                     << QByteArray("{\"path\": \"" + r + "\", \"force\": {}}") << 400
                                     << u"\"force\""_qs;
    QTest::newRow("max_depth a string")
        << QByteArray("POST") << u"/list"_qs << QByteArray("{\"path\": \"" + r + "\", \"max_depth\": \"x\"}")
        << 400 << u"\"max_depth\""_qs;
    QTest::newRow("10k-deep path") << QByteArray("POST") << u"/freeze"_qs
                                   << QByteArray("{\"path\": \"" + r + QByteArray("/a").repeated(10000) +
                                                 "\"}")
                                   << 400 << u"too long"_qs;
    for (const char *route : {"/freeze", "/pull", "/list", "/tree", "/freeze/preview", "/pins", "/verify"})
        QTest::newRow(QByteArray(QByteArray("'..' escape ") + route).constData())
            << QByteArray("POST") << QString::fromLatin1(route)
            << QByteArray("{\"path\": \"" + escape + "\"}") << 400
            << u"Could not find baricadr repository for path"_qs;
    QTest::newRow("'..' escape pin delete")
        << QByteArray("DELETE") << u"/pins"_qs << QByteArray("{\"path\": \"" + escape + "\"}") << 404
        << u"is not pinned"_qs; // normalised first: names the path outside, which nothing pins
    QTest::newRow("escaped NUL") << QByteArray("POST") << u"/freeze"_qs
                                 << QByteArray("{\"path\": \"" + r + "/file.txt\\u0000/../../outside\"}")
                                 << 400 << u"NUL"_qs;
    QTest::newRow("raw NUL") << QByteArray("POST") << u"/pull"_qs
                             << (QByteArray("{\"path\": \"") + r + QByteArray("/file.txt\0\"}", 11)) << 400
                             << u"Malformed JSON"_qs;
    QTest::newRow("invalid UTF-8") << QByteArray("POST") << u"/freeze"_qs
                                   << QByteArray("{\"path\": \"" + r + "/\xc3\x28\xff\"}") << 400
                                   << u"not valid UTF-8"_qs;
    QTest::newRow("overlong UTF-8 slash")
        << QByteArray("POST") << u"/freeze"_qs
        << QByteArray("{\"path\": \"" + r + "/..\xc0\xaf..\xc0\xafoutside\"}") << 400
        << u"not valid UTF-8"_qs;
    QTest::newRow("unknown route") << QByteArray("POST") << u"/delete_everything"_qs << QByteArray("{}")
                                   << 404 << u"Not found"_qs;
    QTest::newRow("wrong method") << QByteArray("DELETE") << u"/freeze"_qs << QByteArray() << 405
                                  << u"not allowed"_qs;
    QTest::newRow("task id traversal")
        << QByteArray("GET") << u"/tasks/log/..%2F..%2Frepos.yml"_qs << QByteArray() << 404 << u""_qs;
}

void TestFaultsBadInput::badBodies()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, route);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    const HttpAnswer a = m_http->raw(method, route, body);
    QVERIFY2(a.status == status,
             qPrintable(QStringLiteral("%1: %2").arg(a.status).arg(QString::fromUtf8(a.body))));
    QVERIFY2(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type").constData());
    QVERIFY2(a.object().contains(u"error"), a.body.constData());
    QVERIFY2(a.errorText().contains(error), qPrintable(a.errorText()));
}

void TestFaultsBadInput::badRawRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status"); // 0: the server may just close the connection

    const QByteArray close = " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    QTest::newRow("NUL in the URL") << QByteArray("GET /tasks/status/%00" + close) << 404;
    QTest::newRow("invalid UTF-8 in the URL") << QByteArray("GET /tasks/status/%FF%FE" + close) << 404;
    QTest::newRow("10k-deep URL") << QByteArray("GET " + QByteArray("/a").repeated(10000) + close) << 404;
    QTest::newRow("dot-dot URL") << QByteArray("GET /tasks/log/../../../etc/passwd" + close) << 404;
    QTest::newRow("unknown method") << QByteArray("BREW /pull" + close) << 0;
    QTest::newRow("not HTTP at all") << QByteArray(
                                            "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n")
                                     << 0;
    QTest::newRow("body shorter than announced")
        << QByteArray("POST /freeze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 100000\r\nConnection: close\r\n\r\n{\"path\": \"/")
        << 0;
    QTest::newRow("negative length") << QByteArray("POST /pull HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n"
                                                   "Connection: close\r\n\r\n{}")
                                     << 0;
}

void TestFaultsBadInput::badRawRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const QByteArray answer = rawExchange(m_serve->port(), request, 5000);
    if (status != 0 || statusOf(answer) != 0) {
        if (status != 0)
            QVERIFY2(statusOf(answer) == status, answer.left(300).constData());
        const int got = statusOf(answer);
        QVERIFY2(got >= 400 && got < 500, answer.left(300).constData());
        QVERIFY2(!jsonOf(answer).value(u"error").toString().isEmpty(), answer.left(300).constData());
    }
}

void TestFaultsBadInput::hugeBody()
{
    // 64 MiB of JSON (one long string): refused with 413, the service keeps going.
    QByteArray body = "{\"path\": \"" + repo().toUtf8() + "/";
    body += QByteArray(64 * 1024 * 1024, 'a');
    body += "\"}";
    const HttpAnswer a = m_http->raw("POST", QStringLiteral("/freeze"), body, 120000);
    QVERIFY2(a.status == 413, qPrintable(QStringLiteral("%1 %2").arg(a.status).arg(a.error)));
    QVERIFY2(a.errorText().contains(QStringLiteral("too large")), qPrintable(a.errorText()));
    // 2,000 nested arrays: a JSON error, not a stack overflow.
    const QByteArray deep = QByteArray(2000, '[') + QByteArray(2000, ']');
    const HttpAnswer d = m_http->raw("POST", QStringLiteral("/pull"), deep);
    QCOMPARE(d.status, 400);
    QVERIFY(!d.errorText().isEmpty());
}

void TestFaultsBadInput::symlinksLeavingTheRepo_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QString>("rel");
    QTest::addColumn<bool>("force");
    for (const char *rel : {"escape_dir", "escape_dir/sentinel.txt", "subdir/escape_abs", "escape_file"}) {
        for (const char *route : {"/freeze", "/pull", "/freeze/preview", "/list", "/pins"})
            QTest::newRow(QByteArray(QByteArray(route) + " " + rel).constData())
                << QString::fromLatin1(route) << QString::fromLatin1(rel) << true;
    }
}

void TestFaultsBadInput::symlinksLeavingTheRepo()
{
    // A path that goes through a symlink leading out of the repo is either refused (4xx with a
    // JSON error), or handled without ever following the link: a task may run, but nothing
    // outside the repo is read, written or removed (checked in cleanup()).
    QFETCH(QString, route);
    QFETCH(QString, rel);
    QFETCH(bool, force);
    QJsonObject body{{u"path"_qs, QString(repo() + u'/' + rel)}};
    if (force && route.startsWith(u"/freeze")) // the other routes refuse a field they do not take
        body.insert(u"force"_qs, true);
    const HttpAnswer a = m_http->post(route, body);
    qInfo().noquote() << route << rel << "→" << a.status << QString::fromUtf8(a.body.left(300));
    QVERIFY2(a.status == 200 || (a.status >= 400 && a.status < 500), a.body.constData());
    // A task that would have to go through the link is refused when it is asked, not failed
    // (or finished having done nothing) later.
    if (rel.startsWith(u"escape_dir/") && route != u"/list" && route != u"/pins") {
        QCOMPARE(a.status, 400);
        QVERIFY2(a.errorText().contains(u"goes through the symbolic link"), a.body.constData());
    }
    if (a.status != 200) {
        QVERIFY2(!a.errorText().isEmpty(), a.body.constData());
        return;
    }
    const QString task = a.object().value(u"task").toString();
    if (!task.isEmpty()) {
        const QJsonObject t = waitTaskDone(*m_http, task);
        QVERIFY2(!isUnfinished(t.value(u"status").toString()), "the task never ended");
        qInfo().noquote() << "  task" << t.value(u"status").toString() << t.value(u"error").toString();
        // A pull of the link itself: the backup's files under that name cannot be placed
        // through it; the task says so rather than "finished" with nothing done.
        if (route == u"/pull" && rel == u"escape_dir") {
            QCOMPARE(t.value(u"status").toString(), QStringLiteral("failed"));
            QVERIFY2(t.value(u"error").toString().contains(u"nothing was pulled"),
                     qPrintable(t.value(u"error").toString()));
        }
    }
    if (route == u"/pins") // leave the pin list as it was
        m_http->raw("DELETE", route, QJsonDocument(body).toJson());
}

void TestFaultsBadInput::wholeRepoFreezeAndPullStayInside()
{
    // A forced freeze of the whole repo (every file cold and backed up), then a pull of the whole
    // repo: the links may be frozen (they are files of the repo; the backup has them) and pulled
    // back as links, but the sentinel they point to is never read, removed or replaced, and the
    // backup's real directories behind the links' names are never written through them.
    HttpAnswer a = m_http->post(QStringLiteral("/freeze"), {{u"path"_qs, repo()}, {u"force"_qs, true}});
    QCOMPARE(a.status, 200);
    QJsonObject t = waitTaskDone(*m_http, a.object().value(u"task").toString());
    QVERIFY2(t.value(u"status").toString() == u"finished", qPrintable(QJsonDocument(t).toJson()));
    for (const QString &rel : originalLayoutFiles())
        QVERIFY2(!lexists(repo() + u'/' + rel), qPrintable(rel)); // backed up and cold: frozen
    checkNothingOutsideTouched();

    a = m_http->post(QStringLiteral("/pull"), {{u"path"_qs, repo()}});
    QCOMPARE(a.status, 200);
    t = waitTaskDone(*m_http, a.object().value(u"task").toString());
    qInfo().noquote() << "whole-repo pull:" << t.value(u"status").toString() << t.value(u"error").toString();
    QVERIFY(!isUnfinished(t.value(u"status").toString()));
    // The backup's files behind the links' names could not be placed: counted, not hidden.
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("finished"));
    QVERIFY2(t.value(u"result").toObject().value(u"problems").toInt() >= 2,
             qPrintable(QJsonDocument(t).toJson()));
    for (const QString &rel : originalLayoutFiles())
        QVERIFY2(lexists(repo() + u'/' + rel), qPrintable(rel)); // everything came back
    QVERIFY(!lexists(outside() + QStringLiteral("/planted.txt")));
}

QTEST_GUILESS_MAIN(TestFaultsBadInput)
#include "tst_faults_badinput.moc"
