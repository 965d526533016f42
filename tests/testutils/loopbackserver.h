#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace baricadr::test {

// One server process for a test fixture (rclone serve sftp, s3rver, …) listening on 127.0.0.1:
// started with an argument list (never a shell), killed with the test process if the test
// crashes (PR_SET_PDEATHSIG), and considered up once its output shows `readyMarker`.
class LoopbackServer
{
public:
    struct Launch
    {
        QString program;
        // The arguments for a given port (a fresh free port is tried on each attempt).
        std::function<QStringList(quint16 port)> arguments;
        std::optional<QProcessEnvironment> environment; // unset: inherit
        QByteArray readyMarker;                         // looked for in stdout+stderr
        int readyTimeoutMs = 15000;
        int attempts = 5; // a port free a moment ago may be taken when the server binds it
    };

    ~LoopbackServer();

    // Starts on a free loopback port (or on `port` when not 0, one attempt) and waits for the
    // marker, then checks that the port accepts a TCP connection. False if it could not;
    // log() says why.
    bool start(const Launch &launch, quint16 port = 0);
    void stop(); // SIGTERM, then SIGKILL after 5 s
    void kill(); // SIGKILL at once (the server "goes away")

    bool isRunning() const;
    quint16 port() const { return m_port; }
    qint64 pid() const;
    // Everything the server printed so far.
    QString log() const;

private:
    bool startOnPort(const Launch &launch, quint16 port);
    void collect();

    std::unique_ptr<QProcess> m_process;
    quint16 m_port = 0;
    QByteArray m_log;
};

} // namespace baricadr::test
