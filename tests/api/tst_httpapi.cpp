// The HTTP layer in process, over real loopback sockets: routing, 404/405/413, bad bodies,
// lenient flags, auth (real `htpasswd -B` files), TLS (a real self-signed certificate) and a
// deferred answer whose client has gone. The service behind it is a FakeService (fakeservice.h):
// the engine's behaviour is tested through the real `baricadr serve` in tst_serve_api.
#include "api/httpapi.h"
#include "fakeservice.h"
#include "httptest.h"
#include "testenv.h"
#include "version.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;
using namespace baricadr::test;

class TestHttpApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void originalRoutesAnswer();
    void errors_data();
    void errors();
    void flagsAreLenient();
    void taskJsonHasOriginalAndNewFields();
    void taskListPaging();
    void taskNotFoundMessages();
    void headOnReadingRoutes();
    void bodyTooLarge();
    void bodyRefusedBeforeItIsRead_data();
    void bodyRefusedBeforeItIsRead();
    void refusedBodyIsReadToTheEnd();
    void keepAliveAfterDeferredAnswer();
    void deferredAnswer();
    void clientGoneBeforeDeferredAnswer();
    void metricsIsPrometheusText();

    void basicAuth();
    void bearerAuth();
    void nonBcryptHtpasswdRefused();
    void tls();

private:
    quint16 start(const HttpApiOptions &options = {});

    std::unique_ptr<FakeService> m_service;
    std::unique_ptr<HttpApi> m_api;
    std::unique_ptr<HttpTester> m_http;
    QTemporaryDir m_dir;
};

void TestHttpApi::init()
{
    m_service = std::make_unique<FakeService>();
    m_api = std::make_unique<HttpApi>(m_service.get());
}

void TestHttpApi::cleanup()
{
    m_http.reset();
    m_api.reset();
    m_service.reset();
}

quint16 TestHttpApi::start(const HttpApiOptions &options)
{
    const Status s = m_api->configure(options);
    if (!s.ok()) {
        qWarning() << s.error().message;
        return 0;
    }
    const quint16 port = m_api->listen(QHostAddress::LocalHost, 0);
    const QString scheme = options.tlsCertFile.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
    m_http = std::make_unique<HttpTester>(QStringLiteral("%1://127.0.0.1:%2").arg(scheme).arg(port));
    return port;
}

void TestHttpApi::originalRoutesAnswer()
{
    QVERIFY(start());
    HttpAnswer a = m_http->get(QStringLiteral("/version"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"version").toString(), QStringLiteral(BARICADR_VERSION));

    // barique looks these names up, and substitutes <task_id>.
    a = m_http->get(QStringLiteral("/endpoints"));
    QCOMPARE(a.status, 200);
    const QJsonObject ep = a.object();
    const QList<QPair<QString, QString>> expected = {
        {u"pull"_qs, u"/pull"_qs},
        {u"freeze"_qs, u"/freeze"_qs},
        {u"list"_qs, u"/list"_qs},
        {u"tree"_qs, u"/tree"_qs},
        {u"task_list"_qs, u"/tasks"_qs},
        {u"task_show"_qs, u"/tasks/status/<task_id>"_qs},
        {u"task_log"_qs, u"/tasks/log/<task_id>"_qs},
        {u"task_remove"_qs, u"/tasks/remove/<task_id>"_qs},
        {u"zombie"_qs, u"/zombie"_qs},
        {u"version"_qs, u"/version"_qs},
        {u"endpoints"_qs, u"/endpoints"_qs},
    };
    for (const auto &[name, rule] : expected)
        QCOMPARE(ep.value(name).toString(), rule);

    a = m_http->post(QStringLiteral("/pull"), {{u"path"_qs, u"/repo/x"_qs}});
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object(), (QJsonObject{{u"task"_qs, u"pull-1"_qs}}));

    a = m_http->post(QStringLiteral("/freeze"), {{u"path"_qs, u"/repo/x"_qs}, {u"force"_qs, true}});
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"task").toString(), QStringLiteral("freeze-1"));
    QVERIFY(m_service->lastFreeze.force);

    a = m_http->post(QStringLiteral("/list"), {{u"path"_qs, u"/repo"_qs}});
    QCOMPARE(a.status, 200);
    QCOMPARE(a.array().size(), 2);
    QCOMPARE(a.array().at(0).toObject(), (QJsonObject{{u"Path"_qs, u"a.txt"_qs}}));
    QCOMPARE(m_service->lastList.maxDepth, 1); // absent → 1

    a = m_http->post(QStringLiteral("/tree"), {{u"path"_qs, u"/repo"_qs}, {u"max_depth"_qs, 0}});
    QCOMPARE(a.status, 200);
    QCOMPARE(a.array().at(0).toObject(), (QJsonObject{{u"Path"_qs, u"a.txt"_qs}, {u"missing"_qs, true}}));
    QCOMPARE(m_service->lastList.maxDepth, 0);

    // barique sends GET with a JSON body.
    a = m_http->raw("GET", QStringLiteral("/tasks/status/pull-1"), "{}");
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"task_id").toString(), QStringLiteral("pull-1"));

    a = m_http->get(QStringLiteral("/tasks/log/pull-1"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"logs").toString(), QStringLiteral("line 1\nline 2\n"));

    a = m_http->get(QStringLiteral("/tasks/remove/pull-1"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object(), (QJsonObject{{u"info"_qs, u"Task pull-1 removed."_qs}, {u"error"_qs, u""_qs}}));

    a = m_http->get(QStringLiteral("/zombie"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"task").toString(), QStringLiteral("zombie-1"));

    a = m_http->post(QStringLiteral("/tasks/freeze-1/thaw"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"task").toString(), QStringLiteral("pull-2"));

    a = m_http->get(QStringLiteral("/repos"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.array().at(0).toObject().value(u"root").toString(), QStringLiteral("/repo"));

    a = m_http->get(QStringLiteral("/health"));
    QCOMPARE(a.status, 200);
    QCOMPARE(a.object().value(u"status").toString(), QStringLiteral("ok"));
}

void TestHttpApi::errors_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    QTest::newRow("missing path") << QByteArray("POST") << u"/pull"_qs << QByteArray("{}") << 400
                                  << u"Missing \"path\""_qs;
    QTest::newRow("no body") << QByteArray("POST") << u"/freeze"_qs << QByteArray() << 400
                             << u"Missing \"path\""_qs;
    QTest::newRow("outside repos") << QByteArray("POST") << u"/pull"_qs << QByteArray(R"({"path": "/etc"})")
                                   << 400 << u"Could not find baricadr repository for path \"/etc/\""_qs;
    QTest::newRow("malformed json") << QByteArray("POST") << u"/pull"_qs << QByteArray(R"({"path": )") << 400
                                    << u"Malformed JSON"_qs;
    QTest::newRow("array body") << QByteArray("POST") << u"/pull"_qs << QByteArray(R"(["/repo"])") << 400
                                << u"must be a JSON object"_qs;
    QTest::newRow("path wrong type") << QByteArray("POST") << u"/pull"_qs << QByteArray(R"({"path": 12})")
                                     << 400 << u"\"path\" must be a string, not a number"_qs;
    QTest::newRow("email wrong type")
        << QByteArray("POST") << u"/pull"_qs << QByteArray(R"({"path": "/repo", "email": ["a@b"]})") << 400
        << u"\"email\" must be a string"_qs;
    QTest::newRow("dry_run object") << QByteArray("POST") << u"/pull"_qs
                                    << QByteArray(R"({"path": "/repo", "dry_run": {}})") << 400
                                    << u"\"dry_run\" must be a boolean"_qs;
    QTest::newRow("max_depth bad") << QByteArray("POST") << u"/list"_qs
                                   << QByteArray(R"({"path": "/repo", "max_depth": "deep"})") << 400
                                   << u"\"max_depth\" must be an integer (0 = unlimited), not \"deep\""_qs;
    QTest::newRow("max_depth a list")
        << QByteArray("POST") << u"/tree"_qs << QByteArray(R"({"path": "/repo", "max_depth": [2]})") << 400
        << u"\"max_depth\" must be an integer (0 = unlimited), not an array"_qs;
    QTest::newRow("NUL in path") << QByteArray("POST") << u"/pull"_qs
                                 << QByteArray(R"({"path": "/repo/a\u0000b"})") << 400 << u"NUL"_qs;
    QTest::newRow("raw NUL byte") << QByteArray("POST") << u"/pull"_qs
                                  << QByteArray("{\"path\": \"/repo\0\"}", 17) << 400 << u"Malformed JSON"_qs;
    // A typo must not turn a dry run into a real freeze (the original ignored unknown fields).
    QTest::newRow("typo dryrun") << QByteArray("POST") << u"/freeze"_qs
                                 << QByteArray(R"({"path": "/repo", "dryrun": true})") << 400
                                 << u"Unknown field \"dryrun\" (did you mean \"dry_run\"?)"_qs;
    QTest::newRow("typo forse") << QByteArray("POST") << u"/freeze"_qs
                                << QByteArray(R"({"path": "/repo", "dry_run": true, "forse": true})") << 400
                                << u"(did you mean \"force\"?)"_qs;
    QTest::newRow("unknown field")
        << QByteArray("POST") << u"/list"_qs << QByteArray(R"({"path": "/repo", "recursive": true})") << 400
        << u"Unknown field \"recursive\" (this route takes: path, missing, max_depth, "
           "from_root, full)"_qs;
    QTest::newRow("thaw, malformed JSON") << QByteArray("POST") << u"/tasks/freeze-1/thaw"_qs
                                          << QByteArray("{\"oops") << 400 << u"Malformed JSON"_qs;
    QTest::newRow("invalid UTF-8") << QByteArray("POST") << u"/pull"_qs
                                   << QByteArray("{\"path\": \"/repo/\xff\xfe\"}") << 400
                                   << u"not valid UTF-8"_qs;
    QTest::newRow("path too long") << QByteArray("POST") << u"/pull"_qs
                                   << QByteArray("{\"path\": \"/repo" + QByteArray(5000, 'a') + "\"}") << 400
                                   << u"too long"_qs;
    QTest::newRow("10k-deep path") << QByteArray("POST") << u"/pull"_qs
                                   << QByteArray("{\"path\": \"" + QByteArray("/a").repeated(10000) + "\"}")
                                   << 400 << u"too long"_qs;
    QTest::newRow("unknown route") << QByteArray("GET") << u"/nowhere"_qs << QByteArray() << 404
                                   << u"Not found"_qs;
    QTest::newRow("unknown deep route")
        << QByteArray("GET") << u"/tasks/status/a/b"_qs << QByteArray() << 404 << u"Not found"_qs;
    QTest::newRow("wrong method") << QByteArray("GET") << u"/pull"_qs << QByteArray() << 405
                                  << u"not allowed"_qs;
    QTest::newRow("wrong method put")
        << QByteArray("PUT") << u"/tasks"_qs << QByteArray() << 405 << u"not allowed"_qs;
    QTest::newRow("bad limit") << QByteArray("GET") << u"/tasks?limit=abc"_qs << QByteArray() << 400
                               << u"limit"_qs;
    QTest::newRow("bad status") << QByteArray("GET") << u"/tasks?status=sleeping"_qs << QByteArray() << 400
                                << u"Unknown task status"_qs;
    QTest::newRow("remote failure") << QByteArray("POST") << u"/freeze/preview"_qs
                                    << QByteArray(R"({"path": "/repo"})") << 502 << u"rclone said no"_qs;
}

void TestHttpApi::errors()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    QVERIFY(start());
    const HttpAnswer a = m_http->raw(method, path, body);
    QCOMPARE(a.status, status);
    QVERIFY2(a.header("Content-Type").startsWith("application/json"), a.header("Content-Type").constData());
    QVERIFY2(a.errorText().contains(error), qPrintable(a.errorText()));
    if (status == 405)
        QVERIFY(!a.header("Allow").isEmpty());
    if (error.startsWith(u"Unknown field")) { // refused before anything was asked of the service
        QVERIFY(m_service->lastFreeze.path.isEmpty());
        QVERIFY(m_service->lastPull.path.isEmpty());
    }
    // The service is still there.
    QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200);
}

void TestHttpApi::flagsAreLenient()
{
    QVERIFY(start());
    const QList<QPair<QJsonValue, bool>> cases = {
        {true, true}, {false, false}, {u"True"_qs, true}, {u"yes"_qs, true},     {u"1"_qs, true},
        {1, true},    {0, false},     {u"no"_qs, false},  {QJsonValue(), false},
    };
    for (const auto &[value, expected] : cases) {
        const HttpAnswer a =
            m_http->post(QStringLiteral("/pull"), {{u"path"_qs, u"/repo/x"_qs}, {u"dry_run"_qs, value}});
        QCOMPARE(a.status, 200);
        QVERIFY2(m_service->lastPull.dryRun == expected,
                 qPrintable(QJsonDocument(QJsonArray{value}).toJson()));
    }
    // A value that is neither a true nor a false spelling is refused: the original read it as
    // false, so a typo in "dry_run" would have meant a real freeze.
    for (const QJsonValue &bad : {QJsonValue(u"maybe"_qs), QJsonValue(2), QJsonValue(u"flase"_qs)}) {
        m_service->lastFreeze = {};
        const HttpAnswer r =
            m_http->post(QStringLiteral("/freeze"), {{u"path"_qs, u"/repo/x"_qs}, {u"dry_run"_qs, bad}});
        QCOMPARE(r.status, 400);
        const QString error = r.object().value(u"error").toString();
        QVERIFY2(error.contains(u"\"dry_run\" must be a boolean"), qPrintable(error));
        QVERIFY(m_service->lastFreeze.path.isEmpty()); // nothing submitted
    }
    const HttpAnswer a = m_http->post(QStringLiteral("/list"), {{u"path"_qs, u"/repo"_qs},
                                                                {u"missing"_qs, u"True"_qs},
                                                                {u"full"_qs, true},
                                                                {u"from_root"_qs, u"true"_qs},
                                                                {u"max_depth"_qs, u"3"_qs}});
    QCOMPARE(a.status, 200);
    QVERIFY(m_service->lastList.missing);
    QVERIFY(m_service->lastList.full);
    QVERIFY(m_service->lastList.fromRoot);
    QCOMPARE(m_service->lastList.maxDepth, 3);
    for (const QJsonValue &falsy : {QJsonValue(0), QJsonValue(), QJsonValue(false), QJsonValue(u""_qs)}) {
        QCOMPARE(m_http->post(QStringLiteral("/list"), {{u"path"_qs, u"/repo"_qs}, {u"max_depth"_qs, falsy}})
                     .status,
                 200);
        QCOMPARE(m_service->lastList.maxDepth, 0);
    }
    // The original's int(value): true is 1, 2.5 is 2, a negative depth is no limit for rclone.
    const QList<std::pair<QJsonValue, int>> asInt{
        {QJsonValue(true), 1}, {QJsonValue(2.5), 2}, {QJsonValue(-1), 0}, {QJsonValue(u" 2 "_qs), 2}};
    for (const auto &[value, depth] : asInt) {
        QCOMPARE(m_http->post(QStringLiteral("/list"), {{u"path"_qs, u"/repo"_qs}, {u"max_depth"_qs, value}})
                     .status,
                 200);
        QCOMPARE(m_service->lastList.maxDepth, depth);
    }
}

void TestHttpApi::taskJsonHasOriginalAndNewFields()
{
    QVERIFY(start());
    const QJsonObject t = m_http->get(QStringLiteral("/tasks/status/pull-1")).object();
    for (const char *field : {"path", "type", "task_id", "status", "created", "started", "finished", "error",
                              "progress", "result"})
        QVERIFY2(t.contains(QLatin1String(field)), field);
    QCOMPARE(t.value(u"created").toString(), QStringLiteral("Wed, 17 Feb 2021 15:11:56 GMT"));
    QVERIFY(t.value(u"started").isNull());
    QVERIFY(t.value(u"error").isNull());
    QCOMPARE(t.value(u"type").toString(), QStringLiteral("pull"));
    QCOMPARE(t.value(u"status").toString(), QStringLiteral("finished"));
    const QJsonObject result = t.value(u"result").toObject();
    QCOMPARE(result.value(u"files").toInt(), 2);
    QCOMPARE(result.value(u"bytes").toInt(), 30);
    QCOMPARE(result.value(u"dry_run").toBool(), false);
    QCOMPARE(result.value(u"affected_count").toInt(), 2);
    QCOMPARE(result.value(u"affected").toArray().size(), 2);
}

void TestHttpApi::taskListPaging()
{
    QVERIFY(start());
    HttpAnswer a = m_http->get(QStringLiteral("/tasks"));
    QCOMPARE(a.status, 200);
    QCOMPARE(m_service->lastQuery.limit, -1);
    const QJsonObject row = a.array().at(0).toObject();
    for (const char *field : {"task_id", "type", "path", "status", "created", "started", "finished"})
        QVERIFY2(row.contains(QLatin1String(field)), field);
    a = m_http->get(QStringLiteral("/tasks?limit=10&offset=20&status=finished&type=freeze"));
    QCOMPARE(a.status, 200);
    QCOMPARE(m_service->lastQuery.limit, 10);
    QCOMPARE(m_service->lastQuery.offset, 20);
    QCOMPARE(m_service->lastQuery.status, std::optional<TaskStatus>(TaskStatus::Finished));
    QCOMPARE(m_service->lastQuery.type, std::optional<TaskType>(TaskType::Freeze));
}

// Monitoring probes use HEAD: the GET's status and headers, no body, and the connection stays
// usable. Never on a GET that acts (removing a task, the zombie cleanup).
void TestHttpApi::headOnReadingRoutes()
{
    QVERIFY(start());
    const HttpAnswer get = m_http->get(QStringLiteral("/health"));
    QCOMPARE(get.status, 200);
    HttpAnswer head = m_http->raw("HEAD", QStringLiteral("/health"));
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    QCOMPARE(head.header("Content-Length"), QByteArray::number(get.body.size()));
    QCOMPARE(m_http->raw("HEAD", QStringLiteral("/tasks/status/pull-1")).status, 200);
    QCOMPARE(m_http->raw("HEAD", QStringLiteral("/tasks/status/nope")).status, 404);

    head = m_http->raw("HEAD", QStringLiteral("/tasks/remove/pull-1"));
    QCOMPARE(head.status, 405);
    QCOMPARE(head.header("Allow"), QByteArray("GET"));
    QCOMPARE(m_service->removed, QStringList());
    QCOMPARE(m_http->raw("HEAD", QStringLiteral("/zombie")).status, 405);
    head = m_http->raw("HEAD", QStringLiteral("/pull"));
    QCOMPARE(head.status, 405);
    QCOMPARE(head.header("Allow"), QByteArray("POST"));
    QCOMPARE(m_http->raw("OPTIONS", QStringLiteral("/tasks")).header("Allow"), QByteArray("GET, HEAD"));

    // The same connection after HEADs: the next GET's answer is whole.
    const HttpAnswer after = m_http->get(QStringLiteral("/version"));
    QCOMPARE(after.status, 200);
    QVERIFY(after.object().contains(u"version"));
}

void TestHttpApi::taskNotFoundMessages()
{
    QVERIFY(start());
    HttpAnswer a = m_http->get(QStringLiteral("/tasks/status/nope"));
    QCOMPARE(a.status, 404);
    QCOMPARE(a.object(),
             (QJsonObject{{u"error"_qs, u"Task not found in Baricadr database. Maybe it is too old."_qs}}));
    a = m_http->get(QStringLiteral("/tasks/log/nope"));
    QCOMPARE(a.status, 404);
    QCOMPARE(a.errorText(), QStringLiteral("Task not found in Baricadr database. Maybe it is too old."));
    a = m_http->get(QStringLiteral("/tasks/log/nolog"));
    QCOMPARE(a.status, 404);
    QCOMPARE(a.errorText(), QStringLiteral("Task log not found, maybe it is too old."));
    a = m_http->get(QStringLiteral("/tasks/remove/nope"));
    QCOMPARE(a.status, 404);
    QCOMPARE(a.object(),
             (QJsonObject{{u"info"_qs, u""_qs}, {u"error"_qs, u"Task not found in Baricadr database."_qs}}));
    a = m_http->post(QStringLiteral("/tasks/nope/thaw"));
    QCOMPARE(a.status, 404);
}

void TestHttpApi::bodyTooLarge()
{
    HttpApiOptions options;
    options.maxBodyBytes = 1000;
    QVERIFY(start(options));
    const HttpAnswer a = m_http->raw("POST", QStringLiteral("/pull"),
                                     "{\"path\": \"/repo\", \"x\": \"" + QByteArray(5000, 'x') + "\"}");
    QCOMPARE(a.status, 413);
    QVERIFY(a.errorText().contains(u"too large"));
    QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200);
}

namespace {

// One connection driven by hand: `parts` written one after the other (`pauseMs` apart), then
// what the server sends is read until it has sent `until` times "HTTP/1.1 ", closes, or
// `waitMs` pass. Returns everything read.
QByteArray rawSession(quint16 port, const QList<QByteArray> &parts, int until = 1, int pauseMs = 100,
                      int waitMs = 10000)
{
    QTcpSocket socket;
    QByteArray answer;
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { answer += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000))
        return "not connected";
    for (const QByteArray &part : parts) {
        socket.write(part);
        (void)QTest::qWaitFor(
            [&] { return socket.bytesToWrite() == 0 || socket.state() != QAbstractSocket::ConnectedState; },
            waitMs);
        QTest::qWait(pauseMs);
    }
    (void)QTest::qWaitFor(
        [&] {
            return answer.count("HTTP/1.1 ") >= until || socket.state() == QAbstractSocket::UnconnectedState;
        },
        waitMs);
    return answer;
}

int statusAt(const QByteArray &answer, qsizetype from = 0)
{
    const qsizetype at = answer.indexOf("HTTP/1.1 ", from);
    return at < 0 ? 0 : answer.mid(at + 9, 3).toInt();
}

} // namespace

void TestHttpApi::bodyRefusedBeforeItIsRead_data()
{
    QTest::addColumn<QList<QByteArray>>("parts");
    QTest::addColumn<int>("answers");
    const QByteArray big = "Content-Type: application/json\r\nContent-Length: 10000000000\r\n";
    // The body announced is never sent: an answer can only come from the headers.
    QTest::newRow("announced, not sent")
        << QList<QByteArray>{"POST /pull HTTP/1.1\r\nHost: t\r\n" + big + "\r\n"} << 1;
    QTest::newRow("headers in three writes")
        << QList<QByteArray>{"POST /pull HTTP/1.1\r\nHo", "st: t\r\nContent-Le",
                             "ngth: 10000000000\r\n\r\n{\"path\": \"/repo/x\""}
        << 1;
    QTest::newRow("expect 100-continue")
        << QList<QByteArray>{"PUT /pins HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n" + big + "\r\n"} << 1;
    QTest::newRow("behind an answered request")
        << QList<QByteArray>{"GET /version HTTP/1.1\r\nHost: t\r\n\r\n",
                             "POST /freeze HTTP/1.1\r\nHost: t\r\n" + big + "\r\n"}
        << 2;
    QList<QByteArray> chunked{"POST /pull HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"};
    for (int i = 0; i < 40; ++i)
        chunked << "1000\r\n" + QByteArray(0x1000, 'x') + "\r\n"; // 160 KiB, never the last chunk
    QTest::newRow("chunked, no end") << chunked << 1;
}

// A request announcing more than the limit is answered 413 from its headers alone: the
// service neither waits for nor holds the body.
void TestHttpApi::bodyRefusedBeforeItIsRead()
{
    QFETCH(QList<QByteArray>, parts);
    QFETCH(int, answers);
    HttpApiOptions options;
    options.maxBodyBytes = 1000;
    const quint16 port = start(options);
    QVERIFY(port);
    const QByteArray answer = rawSession(port, parts, answers, 20);
    qsizetype at = 0;
    if (answers == 2) {
        QCOMPARE(statusAt(answer), 200);
        at = answer.indexOf("HTTP/1.1 ", 1);
    }
    QVERIFY2(statusAt(answer, at) == 413, answer.left(400).constData());
    const QByteArray refusal = answer.mid(at);
    QVERIFY2(refusal.contains("Connection: close"), refusal.constData());
    const QJsonObject error = QJsonDocument::fromJson(refusal.mid(refusal.indexOf("\r\n\r\n") + 4)).object();
    QVERIFY2(error.value(u"error").toString().contains(u"too large"), refusal.constData());
    QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200); // still serving
}

// The body the client still sends after its 413 is read and dropped, so that a client that
// sends everything before reading sees the answer, not a reset connection.
void TestHttpApi::refusedBodyIsReadToTheEnd()
{
    HttpApiOptions options;
    options.maxBodyBytes = 1000;
    const quint16 port = start(options);
    QVERIFY(port);
    const QByteArray body = "{\"path\": \"" + QByteArray(4 * 1024 * 1024, 'a') + "\"}";
    QList<QByteArray> parts{
        "POST /pull HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
        QByteArray::number(body.size()) + "\r\n\r\n"};
    for (qsizetype i = 0; i < body.size(); i += 256 * 1024)
        parts << body.mid(i, 256 * 1024);
    const QByteArray answer = rawSession(port, parts, 1, 0);
    QCOMPARE(statusAt(answer), 413);
    QVERIFY2(answer.contains(QByteArray("(" + QByteArray::number(body.size()) + " bytes, at most 1000)")),
             answer.constData());
    // Through a client that sends all of it first (QNetworkAccessManager), the same answer.
    const HttpAnswer a = m_http->raw("POST", QStringLiteral("/pull"), body);
    QCOMPARE(a.status, 413);
    QVERIFY(a.errorText().contains(u"too large"));
}

// On a keep-alive connection whose first request was answered later (a listing), the next
// request announcing a body over the limit is still refused from its headers.
void TestHttpApi::keepAliveAfterDeferredAnswer()
{
    HttpApiOptions options;
    options.maxBodyBytes = 1000;
    const quint16 port = start(options);
    QVERIFY(port);
    m_service->deferList = true;
    QTimer::singleShot(300, this, [this] { m_service->finishList(); });
    const QByteArray list = "{\"path\": \"/repo\"}";
    const QByteArray answer =
        rawSession(port,
                   {"POST /list HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
                        QByteArray::number(list.size()) + "\r\n\r\n" + list,
                    "POST /pull HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000000\r\n\r\n"},
                   2, 600);
    QCOMPARE(statusAt(answer), 200);
    QVERIFY2(answer.contains("late.txt"), answer.constData());
    const qsizetype second = answer.indexOf("HTTP/1.1 ", 1);
    QVERIFY2(statusAt(answer, second) == 413, answer.constData());
    QVERIFY2(answer.mid(second).contains("Connection: close"), answer.constData());
}

void TestHttpApi::deferredAnswer()
{
    QVERIFY(start());
    m_service->deferList = true;
    QTimer::singleShot(200, this, [this] { m_service->finishList(); });
    const HttpAnswer a = m_http->post(QStringLiteral("/list"), {{u"path"_qs, u"/repo"_qs}});
    QCOMPARE(a.status, 200);
    QCOMPARE(a.array().at(0).toObject().value(u"Path").toString(), QStringLiteral("late.txt"));
}

void TestHttpApi::clientGoneBeforeDeferredAnswer()
{
    const quint16 port = start();
    QVERIFY(port);
    m_service->deferList = true;
    for (int round = 0; round < 3; ++round) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = R"({"path": "/repo"})";
        socket.write(
            "POST /list HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
            QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(socket.waitForBytesWritten(5000));
        QTRY_COMPARE_WITH_TIMEOUT(m_service->listCalls, round + 1, 5000);
        // The client leaves; the server notices and deletes its socket.
        socket.abort();
        QTest::qWait(200);
        // Now the listing finishes: the answer must be dropped, not written to a dead socket.
        m_service->finishList();
        QTest::qWait(100);
        QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200);
    }
}

void TestHttpApi::metricsIsPrometheusText()
{
    QVERIFY(start());
    m_http->get(QStringLiteral("/nowhere"));
    const HttpAnswer a = m_http->get(QStringLiteral("/metrics"));
    QCOMPARE(a.status, 200);
    QVERIFY(a.header("Content-Type").startsWith("text/plain"));
    const QString text = QString::fromUtf8(a.body);
    QVERIFY2(text.contains(u"baricadr_tasks{type=\"pull\",status=\"finished\"} 1\n"), qPrintable(text));
    QVERIFY(text.contains(u"baricadr_queue_length 0\n"));
    QVERIFY(text.contains(u"baricadr_pulled_bytes 30\n"));
    QVERIFY(text.contains(u"baricadr_repo_bytes{repo=\"/repo\",state=\"hot\"} 10\n"));
    QVERIFY(text.contains(u"baricadr_http_responses_total{code=\"404\"} 1\n"));
    // Every non-comment line is "name{labels} value".
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
        if (!line.startsWith(u'#'))
            QVERIFY2(QRegularExpression(uR"(^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$)"_qs).match(line).hasMatch(),
                     qPrintable(line));
}

static bool htpasswd(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("htpasswd"), args);
    return p.waitForFinished(30000) && p.exitCode() == 0;
}

void TestHttpApi::basicAuth()
{
    const QString file = m_dir.filePath(QStringLiteral("htpasswd"));
    QVERIFY(htpasswd({u"-B"_qs, u"-b"_qs, u"-c"_qs, file, u"alice"_qs, u"wonder land"_qs}));
    QVERIFY(htpasswd({u"-B"_qs, u"-b"_qs, file, u"bob"_qs, u"builder"_qs}));
    HttpApiOptions options;
    options.htpasswdFile = file;
    QVERIFY(start(options));
    QVERIFY(m_api->authEnabled());

    // Public routes.
    QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200);
    QCOMPARE(m_http->get(QStringLiteral("/health")).status, 200);

    // Missing, wrong password, unknown user, garbage: the same answer.
    HttpAnswer none = m_http->get(QStringLiteral("/tasks"));
    QCOMPARE(none.status, 401);
    QCOMPARE(none.object(), (QJsonObject{{u"error"_qs, u"Unauthorized"_qs}}));
    QVERIFY(none.header("WWW-Authenticate").startsWith("Basic"));
    for (const auto &[user, password] : QList<QPair<QByteArray, QByteArray>>{
             {"alice", "wonderland"}, {"carol", "wonder land"}, {"", ""}, {"alice", ""}}) {
        m_http->setBasic(user, password);
        const HttpAnswer a = m_http->get(QStringLiteral("/tasks"));
        QCOMPARE(a.status, 401);
        QCOMPARE(a.body, none.body);
    }
    m_http->setAuthorization("Basic !!!not-base64");
    QCOMPARE(m_http->get(QStringLiteral("/tasks")).status, 401);
    // Unknown routes do not leak their existence either.
    m_http->setAuthorization(QByteArray());
    QCOMPARE(m_http->get(QStringLiteral("/nowhere")).status, 401);

    m_http->setBasic("alice", "wonder land");
    QCOMPARE(m_http->get(QStringLiteral("/tasks")).status, 200);
    QCOMPARE(m_http->post(QStringLiteral("/pull"), {{u"path"_qs, u"/repo/x"_qs}}).status, 200);
    m_http->setBasic("bob", "builder");
    QCOMPARE(m_http->get(QStringLiteral("/endpoints")).status, 200);
}

void TestHttpApi::bearerAuth()
{
    const QString file = m_dir.filePath(QStringLiteral("tokens"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# tokens\n0123456789abcdef-token\n\n");
    f.close();
    HttpApiOptions options;
    options.tokensFile = file;
    QVERIFY(start(options));
    QCOMPARE(m_http->get(QStringLiteral("/tasks")).status, 401);
    m_http->setAuthorization("Bearer 0123456789abcdef-tokeX");
    QCOMPARE(m_http->get(QStringLiteral("/tasks")).status, 401);
    m_http->setAuthorization("Bearer 0123456789abcdef-token");
    QCOMPARE(m_http->get(QStringLiteral("/tasks")).status, 200);
}

void TestHttpApi::nonBcryptHtpasswdRefused()
{
    const QString file = m_dir.filePath(QStringLiteral("htpasswd-md5"));
    QVERIFY(htpasswd({u"-m"_qs, u"-b"_qs, u"-c"_qs, file, u"alice"_qs, u"secret"_qs}));
    HttpApiOptions options;
    options.htpasswdFile = file;
    const Status s = m_api->configure(options);
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, ErrorCode::Config);
    QVERIFY2(s.error().message.contains(file + u":1"), qPrintable(s.error().message));
    QVERIFY(s.error().message.contains(u"bcrypt"));
    QVERIFY(!s.error().message.contains(u"secret"));

    options.htpasswdFile = m_dir.filePath(QStringLiteral("missing"));
    QVERIFY(!m_api->configure(options).ok());
}

void TestHttpApi::tls()
{
    const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    QVERIFY(test::createSelfSignedCertificate(cert, key));
    HttpApiOptions options;
    options.tlsCertFile = cert;
    options.tlsKeyFile = key;
    QVERIFY(start(options));
    QVERIFY(m_api->tlsEnabled());
    // Untrusted certificate: no answer.
    HttpAnswer a = m_http->get(QStringLiteral("/version"));
    QCOMPARE(a.status, 0);
    m_http = std::make_unique<HttpTester>(m_http->base());
    m_http->trust(QSslCertificate::fromPath(cert));
    a = m_http->get(QStringLiteral("/version"));
    QVERIFY2(a.status == 200, qPrintable(a.error));
    QCOMPARE(a.object().value(u"version").toString(), QStringLiteral(BARICADR_VERSION));
    QCOMPARE(m_http->post(QStringLiteral("/pull"), {{u"path"_qs, u"/repo/x"_qs}}).status, 200);
    // The body limit reads the decrypted headers too.
    a = m_http->raw("POST", QStringLiteral("/pull"), QByteArray(3 * 1024 * 1024, 'x'));
    QCOMPARE(a.status, 413);
    QVERIFY(a.errorText().contains(u"too large"));
    QCOMPARE(a.header("Connection"), QByteArray("close")); // from the headers, not after reading
    QCOMPARE(m_http->get(QStringLiteral("/version")).status, 200);

    options.tlsKeyFile = m_dir.filePath(QStringLiteral("missing.pem"));
    HttpApi other(m_service.get());
    QVERIFY(!other.configure(options).ok());
}

QTEST_GUILESS_MAIN(TestHttpApi)
#include "tst_httpapi.moc"
