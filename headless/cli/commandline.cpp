#include "cli/commandline.h"

#include "api/httpapi.h"
#include "version.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace baricadr {

namespace {

struct ListenAddress
{
    QHostAddress host;
    quint16 port = 0;
};

// "HOST:PORT", "[v6]:PORT" or ":PORT" (loopback).
bool parseListen(const QString &text, ListenAddress *out, QString *error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0) {
        *error = QStringLiteral("--listen: expected HOST:PORT, got \"%1\"").arg(text);
        return false;
    }
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535) {
        *error = QStringLiteral("--listen: invalid port in \"%1\"").arg(text);
        return false;
    }
    if (host.isEmpty() || host == QLatin1String("localhost"))
        out->host = QHostAddress(QHostAddress::LocalHost);
    else if (!out->host.setAddress(host)) {
        *error = QStringLiteral("--listen: invalid address \"%1\"").arg(host);
        return false;
    }
    out->port = static_cast<quint16>(port);
    return true;
}

int runServe(QCoreApplication &app, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the Baricadr REST service."));
    parser.addHelpOption();
    const QCommandLineOption listenOpt(QStringLiteral("listen"), QStringLiteral("Address to listen on."),
                                       QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:9100"));
    parser.addOption(listenOpt);
    parser.process(args);

    ListenAddress listen;
    QString error;
    if (!parseListen(parser.value(listenOpt), &listen, &error)) {
        std::fprintf(stderr, "baricadr: %s\n", qPrintable(error));
        return 2;
    }

    HttpApi api;
    const quint16 port = api.listen(listen.host, listen.port);
    if (port == 0) {
        std::fprintf(stderr, "baricadr: %s\n", qPrintable(api.errorString()));
        return 1;
    }
    std::fprintf(stderr, "baricadr %s listening on %s:%u\n", BARICADR_VERSION,
                 qPrintable(listen.host.toString()), port);
    return app.exec();
}

} // namespace

int runCommandLine(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("baricadr"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BARICADR_VERSION));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() >= 2 && args.at(1) == QLatin1String("serve"))
        return runServe(app, QStringList{args.at(0)} + args.mid(2));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Baricadr: pull files from a remote backup on demand, "
                                                    "freeze cold ones.\n\nCommands:\n  serve  run the REST service"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("serve"));
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "baricadr: unknown command \"%s\" (try --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return 2;
    }
    parser.showHelp(0);
}

} // namespace baricadr
