// docs/openapi.yaml against the live `baricadr serve`: every documented operation is a live route
// (same operationId as the /endpoints name, same path, the method answered), and every live
// route and method is documented.
#include "httptest.h"
#include "serveprocess.h"

#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

using namespace baricadr::test;

class TestOpenApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void documentedRoutesAreLiveAndLiveRoutesAreDocumented();
};

namespace {
// "/tasks/status/{task_id}" → "/tasks/status/<task_id>"
QString toRule(QString path)
{
    return path.replace(QRegularExpression(QStringLiteral("\\{([a-z_]+)\\}")), QStringLiteral("<\\1>"));
}
QString concrete(QString rule)
{
    return rule.replace(QRegularExpression(QStringLiteral("<[a-z_]+>")), QStringLiteral("no-such-task"));
}
// The live server knows the route and the method: anything but its "no route" 404 and 405.
bool answered(const HttpAnswer &a)
{
    return a.status != 405 && a.status != 0 && !(a.status == 404 && a.errorText().startsWith(u"Not found:"));
}
} // namespace

void TestOpenApi::documentedRoutesAreLiveAndLiveRoutesAreDocumented()
{
    const QString file = sourceDir() + QStringLiteral("/docs/openapi.yaml");
    YAML::Node doc;
    try {
        doc = YAML::LoadFile(file.toStdString());
    } catch (const YAML::Exception &e) {
        QFAIL(e.what());
    }
    QCOMPARE(QString::fromStdString(doc["openapi"].as<std::string>()).left(2), QStringLiteral("3."));

    QMap<QString, QString> documented; // operationId → rule
    QSet<QString> documentedOps;       // "METHOD rule"
    for (const auto &path : doc["paths"]) {
        const QString rule = toRule(QString::fromStdString(path.first.as<std::string>()));
        for (const auto &op : path.second) {
            const QString method = QString::fromStdString(op.first.as<std::string>()).toUpper();
            if (method == QLatin1String("PARAMETERS"))
                continue;
            QVERIFY2(op.second["operationId"], qPrintable(method + u' ' + rule + u" has no operationId"));
            documented.insert(QString::fromStdString(op.second["operationId"].as<std::string>()), rule);
            documentedOps.insert(method + u' ' + rule);
            QVERIFY2(op.second["responses"], qPrintable(method + u' ' + rule + u" has no responses"));
        }
    }

    ServeProcess serve;
    QVERIFY2(serve.start(), qPrintable(serve.log()));
    HttpTester http(serve.base());
    const HttpAnswer endpoints = http.get(QStringLiteral("/endpoints"));
    QCOMPARE(endpoints.status, 200);
    QMap<QString, QString> live;
    const QJsonObject endpointMap = endpoints.object();
    for (auto it = endpointMap.constBegin(); it != endpointMap.constEnd(); ++it)
        live.insert(it.key(), it.value().toString());
    QCOMPARE(documented, live);

    for (const QString &op : documentedOps) {
        const QString method = op.section(u' ', 0, 0);
        const QString rule = op.section(u' ', 1);
        const HttpAnswer a = http.raw(method.toLatin1(), concrete(rule), "{}");
        QVERIFY2(answered(a), qPrintable(op + u" → " + QString::number(a.status) + u' ' + a.errorText()));
    }
    const QSet<QString> liveRules(live.cbegin(), live.cend());
    for (const QString &rule : liveRules) {
        for (const char *method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
            const HttpAnswer a = http.raw(method, concrete(rule), "{}");
            if (answered(a))
                QVERIFY2(documentedOps.contains(QLatin1String(method) + u' ' + rule),
                         qPrintable(QLatin1String(method) + u' ' + rule +
                                    u" is live but not in docs/openapi.yaml"));
        }
    }
    QCOMPARE(serve.stop(), 0);
}

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
