#include "cli/commandline.h"

#include "cli/clientcommands.h"
#include "cli/servecommand.h"
#include "version.h"

#include <QCoreApplication>

#include <cstdio>

namespace baricadr {

int runCommandLine(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("baricadr"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BARICADR_VERSION));

    const QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);
    // Each command parses its own options: "baricadr <command> …" reads as "<command> …".
    const QStringList rest = QStringList{args.value(0) + u' ' + command} + args.mid(2);

    if (command == QLatin1String("serve"))
        return runServe(app, rest);
    if (command == QLatin1String("check-config"))
        return runCheckConfig(rest);
    if (isClientCommand(command))
        return runClientCommand(command, rest);
    if (command == QLatin1String("--version") || command == QLatin1String("-v") ||
        command == QLatin1String("version")) {
        std::printf("baricadr %s\n", BARICADR_VERSION);
        return 0;
    }
    const QString help =
        QStringLiteral(
            "Usage: baricadr <command> [options]\n\n"
            "Baricadr keeps a local data repository hot: it pulls files from a remote backup on demand\n"
            "and freezes (deletes locally) files not read for a while, once verified on the remote.\n\n"
            "Commands:\n"
            "  serve [--listen HOST:PORT] [--config FILE]\n      run the REST service\n"
            "  check-config [FILE]\n      check the settings and repos.yml (local, no server)\n") +
        clientCommandsHelp() +
        QStringLiteral(
            "\nEvery command has --help. Client commands talk to a running service: --server URL, or the\n"
            "server and credentials of ~/.config/baricadr/client.conf (BARICADR_SERVER, BARICADR_USER,\n"
            "BARICADR_PASSWORD, BARICADR_TOKEN override it); --json prints machine-readable answers.\n"
            "Exit codes: 0 ok, 1 failed (refused, unreachable, task failed), 2 usage error.\n");
    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        std::fputs(qPrintable(help), command.isEmpty() ? stderr : stdout);
        return command.isEmpty() ? 2 : 0;
    }
    std::fprintf(stderr, "baricadr: unknown command \"%s\" (try: baricadr --help)\n", qPrintable(command));
    return 2;
}

} // namespace baricadr
