#pragma once

#include <QObject>

class QSocketNotifier;

namespace baricadr {

// Turns SIGTERM/SIGINT into a Qt signal on the main thread (the self-pipe trick: the handler
// only writes one byte to a socket pair; a QSocketNotifier reads it in the event loop).
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace baricadr
