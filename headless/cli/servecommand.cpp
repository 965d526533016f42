#include "cli/servecommand.h"

#include "api/httpapi.h"
#include "cli/signalwatcher.h"
#include "config/reposloader.h"
#include "config/settings.h"
#include "repo/reporegistry.h"
#include "version.h"

#ifdef BARICADR_HAVE_APPLICATION
#include "service/application.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QProcessEnvironment>

#include <cstdio>

Q_LOGGING_CATEGORY(lcServe, "baricadr.serve")

namespace baricadr {

namespace {

void printError(const QString &message)
{
    // One "baricadr: " prefix per line: settings errors come one per line.
    for (const QString &line : message.split(u'\n', Qt::SkipEmptyParts))
        std::fprintf(stderr, "baricadr: %s\n", qPrintable(line));
}

// Lines journald and a terminal both read well: "baricadr.api: message", no colours.
void installLogging()
{
    qSetMessagePattern(QStringLiteral("%{if-category}%{category}: %{endif}%{message}"));
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\nqt.*.info=false"));
}

QHostAddress parseHost(const QString &host)
{
    if (host.isEmpty() || host == QLatin1String("localhost"))
        return QHostAddress(QHostAddress::LocalHost);
    if (host == QLatin1String("*") || host == QLatin1String("0.0.0.0"))
        return QHostAddress(QHostAddress::AnyIPv4);
    QString h = host;
    if (h.startsWith(u'[') && h.endsWith(u']'))
        h = h.mid(1, h.size() - 2);
    return QHostAddress(h);
}

} // namespace

int runServe(QCoreApplication &app, const QStringList &args)
{
    installLogging();
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run the Baricadr REST service.\n\nSettings: defaults < the INI file (--config) < environment "
        "variables of the same names (BARICADR_REPOS_CONF, DATABASE_URI, TASK_LOG_DIR, "
        "BARICADR_LISTEN, AUTH_HTPASSWD_FILE, AUTH_TOKENS_FILE, TLS_CERT_FILE, TLS_KEY_FILE, "
        "MAX_BODY_BYTES, …; see docs/configuration.md)."));
    parser.addHelpOption();
    const QCommandLineOption listenOpt(
        QStringLiteral("listen"),
        QStringLiteral("Address to listen on (default BARICADR_LISTEN, 127.0.0.1:9100)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption configOpt(
        QStringLiteral("config"),
        QStringLiteral("Settings file (INI, default %1).").arg(QLatin1String(Settings::DefaultConfigFile)),
        QStringLiteral("FILE"));
    parser.addOption(listenOpt);
    parser.addOption(configOpt);
    if (!parser.parse(args)) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (parser.isSet(listenOpt))
        env.insert(QStringLiteral("BARICADR_LISTEN"), parser.value(listenOpt)); // the command line wins
    const auto settings = Settings::load(parser.value(configOpt), parser.isSet(configOpt), env);
    if (!settings.ok()) {
        QString message = settings.error().message;
        // --listen travels as BARICADR_LISTEN: name where the value really came from.
        if (parser.isSet(listenOpt))
            message.replace(QStringLiteral("environment: BARICADR_LISTEN"), QStringLiteral("--listen"));
        printError(message);
        return 1;
    }

#ifdef BARICADR_HAVE_APPLICATION
    // The composition root: repos, store, engine lock, recovery, queue, schedules.
    auto created = Application::create(*settings);
    if (!created.ok()) {
        printError(created.error().message);
        return 1;
    }
    std::unique_ptr<Application> application = std::move(created).value();
    BaricadrService *service = application->service();
    const qsizetype repoCount = application->registry().repos().size();
#else
    // Until the engine lands: validate the repos; the API answers /version, /health, /endpoints.
    const auto registry = RepoRegistry::load(settings->reposConf);
    if (!registry.ok()) {
        printError(registry.error().message);
        return 1;
    }
    BaricadrService *service = nullptr;
    const qsizetype repoCount = registry->repos().size();
#endif

    HttpApi api(service);
    HttpApiOptions options;
    options.htpasswdFile = settings->authHtpasswdFile;
    options.tokensFile = settings->authTokensFile;
    options.tlsCertFile = settings->tlsCertFile;
    options.tlsKeyFile = settings->tlsKeyFile;
    options.maxBodyBytes = settings->maxBodyBytes;
    if (const Status s = api.configure(options); !s.ok()) {
        printError(s.error().message);
        return 1;
    }
    const QHostAddress host = parseHost(settings->listenHost);
    if (host.isNull()) {
        printError(QStringLiteral("BARICADR_LISTEN: invalid address \"%1\"").arg(settings->listenHost));
        return 1;
    }
    const quint16 port = api.listen(host, settings->listenPort);
    if (port == 0) {
        printError(api.errorString());
        return 1;
    }

    const QString hostText =
        host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']' : host.toString();
    std::fprintf(stderr,
                 "baricadr %s listening on %s://%s:%u (repos: %lld from %s, db: %s, auth: %s, tls: %s)\n",
                 BARICADR_VERSION, api.tlsEnabled() ? "https" : "http", qPrintable(hostText), port,
                 static_cast<long long>(repoCount), qPrintable(settings->reposConf),
                 qPrintable(settings->redactedDatabaseUri()), api.authEnabled() ? "on" : "off",
                 api.tlsEnabled() ? "on" : "off");
    std::fflush(stderr);

    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &app, [&](int sig) {
        qCInfo(lcServe) << "signal" << sig << "received: shutting down";
#ifdef BARICADR_HAVE_APPLICATION
        // Running tasks are cancelled (rclone stopped, partial files removed) and recorded.
        application->shutdown();
#endif
        app.quit();
    });
    const int rc = app.exec();
    qCInfo(lcServe) << "stopped";
    return rc;
}

int runCheckConfig(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check the service's settings and repos.yml without starting it (nothing is created or "
        "changed). Exit code 0 when they are valid, 1 otherwise."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("FILE"),
        QStringLiteral("Settings file (default %1).").arg(QLatin1String(Settings::DefaultConfigFile)),
        QStringLiteral("[FILE]"));
    if (!parser.parse(args)) {
        printError(parser.errorText());
        return 2;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        printError(QStringLiteral("check-config takes at most one FILE"));
        return 2;
    }
    const QString file = positional.value(0);
    const auto settings = Settings::load(file, !file.isEmpty(), QProcessEnvironment::systemEnvironment());
    if (!settings.ok()) {
        printError(settings.error().message);
        return 1;
    }
    ReposLoadOptions options;
    options.createMissingDirs = false;
    options.testAtime = false;
    const auto repos = loadReposFile(settings->reposConf, options);
    if (!repos.ok()) {
        printError(repos.error().message);
        return 1;
    }
    std::printf("Settings OK: %s\n", qPrintable(settings->describe()));
    std::printf("%s: %lld repo(s) OK\n", qPrintable(settings->reposConf),
                static_cast<long long>(repos->size()));
    for (const RepoConfig &r : *repos)
        std::printf("  %s (%s%s)\n", qPrintable(r.root), qPrintable(backendName(r.backend)),
                    r.freezable ? qPrintable(QStringLiteral(", freezable after %1 days").arg(r.freezeAge))
                                : "");
    return 0;
}

} // namespace baricadr
