#include "tasks/tasklog.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>

namespace baricadr {

Q_LOGGING_CATEGORY(lcTaskLog, "baricadr.task.log")

QString TaskLog::fileName(const QDateTime &created, const QString &taskId)
{
    return created.toUTC().toString(QStringLiteral("yyyy-MM-dd_HH-mm-ss")) + u'_' + taskId + u".log";
}

QString TaskLog::pathFor(const QString &logDir, const QDateTime &created, const QString &taskId)
{
    return QDir(logDir).filePath(fileName(created, taskId));
}

Result<QString> TaskLog::read(const QString &path)
{
    QFile f(path);
    if (path.isEmpty() || !f.exists())
        return Error(ErrorCode::NotFound, QStringLiteral("Task log not found, maybe it is too old."));
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Io, QStringLiteral("Cannot read task log %1: %2").arg(path, f.errorString()));
    return QString::fromUtf8(f.readAll());
}

Status TaskLog::remove(const QString &path)
{
    if (path.isEmpty() || !QFileInfo::exists(path))
        return {};
    QFile f(path);
    if (!f.remove())
        return Error(ErrorCode::Io,
                     QStringLiteral("Cannot remove task log %1: %2").arg(path, f.errorString()));
    return {};
}

TaskLog::~TaskLog()
{
    close();
}

Status TaskLog::open(const QString &path)
{
    close();
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return Error(ErrorCode::Io,
                     QStringLiteral("Cannot create the task log directory %1").arg(info.absolutePath()));
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
        return Error(ErrorCode::Io,
                     QStringLiteral("Cannot open task log %1: %2").arg(path, m_file.errorString()));
    m_warned = false;
    return {};
}

void TaskLog::setSecrets(const QStringList &secrets)
{
    m_secrets.clear();
    for (const QString &s : secrets)
        if (!s.isEmpty())
            m_secrets.append(s);
    // Longest first, so a secret containing another is replaced whole.
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

QString TaskLog::redact(QString text) const
{
    for (const QString &s : m_secrets)
        text.replace(s, QStringLiteral("***"));
    return text;
}

void TaskLog::write(const QString &text)
{
    if (!m_file.isOpen())
        return;
    const QString stamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    QByteArray out;
    const QStringList lines = redact(text).split(u'\n');
    for (const QString &line : lines)
        out += (stamp + u' ' + line + u'\n').toUtf8();
    if (m_file.write(out) != out.size() || !m_file.flush()) {
        if (!m_warned)
            qCWarning(lcTaskLog) << "cannot write task log" << m_file.fileName() << m_file.errorString();
        m_warned = true;
    }
}

void TaskLog::close()
{
    if (m_file.isOpen())
        m_file.close();
}

} // namespace baricadr
