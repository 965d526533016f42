#include "i18n.h"
#include "mainwindow.h"
#include "version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLocale>
#include <QUrl>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("baricadr-gui"));
    QApplication::setOrganizationName(QStringLiteral("baricadr"));
    QApplication::setApplicationVersion(QStringLiteral(BARICADR_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("Baricadr"));

    // --lang is read before the parser so that --help itself is translated.
    QLocale locale = QLocale::system();
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"--lang" && i + 1 < args.size())
            locale = QLocale(args[i + 1]);
        else if (args[i].startsWith(u"--lang="))
            locale = QLocale(args[i].mid(7));
    }
    QLocale::setDefault(locale);
    baricadr::gui::installTranslations(locale);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Browse Baricadr repositories, preview and launch freezes and pulls."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lang(
        QStringLiteral("lang"),
        QApplication::translate("main", "Interface language (en, fr), default: the system's."),
        QStringLiteral("code"));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QApplication::translate("main", "Open this baricadr.conf or repos.yml (local mode)."),
        QStringLiteral("file"));
    const QCommandLineOption server(
        QStringLiteral("server"),
        QApplication::translate("main", "Connect to this Baricadr service (remote mode)."),
        QStringLiteral("url"));
    parser.addOptions({lang, config, server});
    parser.process(app);

    baricadr::gui::MainWindow window;
    window.show();
    if (parser.isSet(config))
        window.openConfiguration(parser.value(config));
    else if (parser.isSet(server))
        window.connectToServer(QUrl::fromUserInput(parser.value(server)), QString(), QString());
    else
        window.restoreLastSession();
    return app.exec();
}
