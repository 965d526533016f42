#pragma once

#include <QMainWindow>

namespace baricadr::gui {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace baricadr::gui
