#include "mainwindow.h"
#include "version.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("baricadr-gui"));
    QApplication::setOrganizationName(QStringLiteral("baricadr"));
    QApplication::setApplicationVersion(QStringLiteral(BARICADR_VERSION));
    baricadr::gui::MainWindow window;
    window.show();
    return app.exec();
}
