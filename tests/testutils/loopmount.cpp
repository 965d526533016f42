#include "loopmount.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>

#include <unistd.h>

namespace baricadr::test {

LoopMount::~LoopMount()
{
    unmount();
    if (!m_image.isEmpty())
        QFile::remove(m_image);
}

QString LoopMount::unavailableReason()
{
    if (::geteuid() != 0)
        return QStringLiteral("loop mounts need root (run the test as root to exercise real noatime/relatime/"
                              "strictatime mounts)");
    for (const char *tool : {"mkfs.ext4", "mount", "umount", "truncate"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty() &&
            QStandardPaths::findExecutable(QLatin1String(tool),
                                           {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")})
                .isEmpty())
            return QStringLiteral("%1 is not installed").arg(QLatin1String(tool));
    }
    if (!QFile::exists(QStringLiteral("/dev/loop-control")))
        return QStringLiteral("no /dev/loop-control: loop devices are not available here");
    return QString();
}

bool LoopMount::run(const QString &program, const QStringList &args)
{
    QString exe = QStandardPaths::findExecutable(program);
    if (exe.isEmpty())
        exe = QStandardPaths::findExecutable(program, {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
    if (exe.isEmpty()) {
        m_error = program + QStringLiteral(": not found");
        return false;
    }
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(exe, args);
    if (!p.waitForStarted(10000) || !p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished(5000);
        m_error = program + QStringLiteral(": did not finish");
        return false;
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("%1 %2: exit %3: %4")
                      .arg(program, args.join(u' '))
                      .arg(p.exitCode())
                      .arg(QString::fromLocal8Bit(p.readAll()).trimmed());
        return false;
    }
    return true;
}

bool LoopMount::mount(const QString &workDir, const QString &options, int sizeMiB)
{
    m_image = workDir + QStringLiteral("/img");
    m_mountPoint = workDir + QStringLiteral("/mnt");
    if (!QDir().mkpath(m_mountPoint)) {
        m_error = QStringLiteral("cannot create ") + m_mountPoint;
        return false;
    }
    if (!run(QStringLiteral("truncate"), {QStringLiteral("-s"), QString::number(sizeMiB) + u'M', m_image}))
        return false;
    if (!run(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), QStringLiteral("-F"), m_image}))
        return false;
    if (!run(QStringLiteral("mount"),
             {QStringLiteral("-o"), QStringLiteral("loop,") + options, m_image, m_mountPoint}))
        return false;
    m_mounted = true;
    return true;
}

bool LoopMount::unmount()
{
    if (!m_mounted)
        return true;
    if (!run(QStringLiteral("umount"), {m_mountPoint})) {
        // Busy (a test left a file open): detach lazily so the loop device is freed on close.
        if (!run(QStringLiteral("umount"), {QStringLiteral("-l"), m_mountPoint}))
            return false;
    }
    m_mounted = false;
    return true;
}

} // namespace baricadr::test
