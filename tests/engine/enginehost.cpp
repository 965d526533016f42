// A process that runs the engine the way `baricadr serve` does (Application from the settings in
// the environment) and submits one pull: tst_engine_crash kills it with SIGKILL mid-pull.
// Prints "READY" once the engine runs, then "TASK <id>".
#include "config/settings.h"
#include "service/application.h"
#include "service/localservice.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTimer>

#include <cstdio>

using namespace baricadr;

int main(int argc, char **argv)
{
    QCoreApplication qapp(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: enginehost PATH_TO_PULL\n");
        return 2;
    }
    const auto settings = Settings::load(QString(), false, QProcessEnvironment::systemEnvironment());
    if (!settings) {
        std::fprintf(stderr, "%s\n", qPrintable(settings.error().message));
        return 1;
    }
    auto app = Application::create(*settings);
    if (!app) {
        std::fprintf(stderr, "%s\n", qPrintable(app.error().message));
        return 1;
    }
    std::printf("READY\n");
    std::fflush(stdout);
    const auto id =
        (*app)->localService()->submit(TaskType::Pull, QString::fromLocal8Bit(argv[1]), {}, false, false);
    if (!id) {
        std::fprintf(stderr, "%s\n", qPrintable(id.error().message));
        return 1;
    }
    std::printf("TASK %s\n", qPrintable(*id));
    std::fflush(stdout);
    return qapp.exec();
}
