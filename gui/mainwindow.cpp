#include "mainwindow.h"

#include <QLabel>

namespace baricadr::gui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Baricadr"));
    setCentralWidget(new QLabel(tr("No repository configuration open."), this));
    resize(1000, 650);
}

} // namespace baricadr::gui
