#include "tasks/tasklog.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QSet>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace baricadr {

Q_LOGGING_CATEGORY(lcTaskLog, "baricadr.task.log")

namespace {

// The background writer of TaskLog::setPath(): one thread, one FIFO queue. Lines of one log are
// written in the order they were queued; each batch of a log is one open-append-close. Blocking
// on the queue's condition variable is the only wait (no polling).
class LogWriter
{
public:
    static LogWriter &instance()
    {
        static LogWriter writer;
        return writer;
    }

    void append(const QString &path, QByteArray bytes)
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_thread.joinable())
                m_thread = std::thread([this] { run(); });
            m_queue.emplace_back(path, std::move(bytes));
            m_pending.insert(path, ++m_queued);
        }
        m_wake.notify_one();
    }

    // Until every line queued so far (path empty), or every line of `path`, is written.
    void sync(const QString &path = QString())
    {
        std::unique_lock lock(m_mutex);
        quint64 target = m_queued;
        if (!path.isEmpty()) {
            const auto it = m_pending.constFind(path);
            if (it == m_pending.constEnd())
                return; // nothing of this log waits: no need to wait for the others
            target = *it;
        }
        m_written.wait(lock, [&] { return m_done >= target; });
    }

    ~LogWriter()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        if (m_thread.joinable())
            m_thread.join(); // after writing what is queued
    }

private:
    LogWriter() = default;

    void run()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and everything is written
            std::deque<std::pair<QString, QByteArray>> batch;
            batch.swap(m_queue);
            lock.unlock();
            // One open per log per batch, lines of each log in order.
            QList<QString> order;
            QHash<QString, QByteArray> bytes;
            for (auto &[path, text] : batch) {
                auto it = bytes.find(path);
                if (it == bytes.end()) {
                    order.append(path);
                    bytes.emplace(path, std::move(text));
                } else {
                    it->append(text);
                }
            }
            for (const QString &path : std::as_const(order))
                write(path, bytes.value(path));
            lock.lock();
            m_done += batch.size();
            for (const QString &path : std::as_const(order)) {
                const auto it = m_pending.constFind(path);
                if (it != m_pending.constEnd() && *it <= m_done)
                    m_pending.erase(it); // no later line of it is queued
            }
            m_written.notify_all();
        }
    }

    void write(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
            // The directory may not exist yet (first log, or removed meanwhile).
            const QString dir = QFileInfo(path).absolutePath();
            if (!QDir().mkpath(dir)) {
                warnOnce(path, QStringLiteral("Cannot create the task log directory %1").arg(dir));
                return;
            }
            if (!file.open(QIODevice::WriteOnly | QIODevice::Append)) {
                warnOnce(path, QStringLiteral("Cannot open task log %1: %2").arg(path, file.errorString()));
                return;
            }
        }
        if (file.write(bytes) != bytes.size() || !file.flush())
            warnOnce(path, QStringLiteral("Cannot write task log %1: %2").arg(path, file.errorString()));
    }

    void warnOnce(const QString &path, const QString &message)
    {
        if (m_warned.size() > 1000)
            m_warned.clear(); // bounded; at worst a log is reported again
        if (m_warned.contains(path))
            return;
        m_warned.insert(path);
        qCWarning(lcTaskLog).noquote() << message;
    }

    std::mutex m_mutex; // guards the queue, the counters and m_stop
    std::condition_variable m_wake;
    std::condition_variable m_written;
    std::deque<std::pair<QString, QByteArray>> m_queue;
    quint64 m_queued = 0;              // lines handed over so far; a line's number is m_queued after it
    quint64 m_done = 0;                // lines written (whole batches, in queue order)
    QHash<QString, quint64> m_pending; // logs with queued lines: the number of their last one
    bool m_stop = false;
    QSet<QString> m_warned; // writer thread only
    std::thread m_thread;
};

} // namespace

QString TaskLog::fileName(const QDateTime &created, const QString &taskId)
{
    return created.toUTC().toString(QStringLiteral("yyyy-MM-dd_HH-mm-ss")) + u'_' + taskId + u".log";
}

QString TaskLog::pathFor(const QString &logDir, const QDateTime &created, const QString &taskId)
{
    return QDir(logDir).filePath(fileName(created, taskId));
}

void TaskLog::sync()
{
    LogWriter::instance().sync();
}

Result<QString> TaskLog::read(const QString &path)
{
    if (!path.isEmpty())
        LogWriter::instance().sync(path); // this log's lines only: not behind a burst of others
    QFile f(path);
    if (path.isEmpty() || !f.exists())
        return Error(ErrorCode::NotFound, QStringLiteral("Task log not found, maybe it is too old."));
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Io, QStringLiteral("Cannot read task log %1: %2").arg(path, f.errorString()));
    return QString::fromUtf8(f.readAll());
}

Status TaskLog::remove(const QString &path)
{
    if (!path.isEmpty()) // no queued line re-creates it afterwards (the caller stopped writing)
        LogWriter::instance().sync(path);
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

void TaskLog::setPath(const QString &path)
{
    close();
    m_path = path;
    m_background = true;
}

Status TaskLog::open(const QString &path)
{
    close();
    m_path = path;
    m_background = false;
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
    // A last line of defence (no message is ever built with a secret in it): a secret is masked
    // where it stands as a word of its own. Masking it inside other words would turn a short or
    // everyday password ("p", "data") into holes across every path of the log, and those holes
    // would spell the password out.
    const auto wordChar = [](QChar c) { return c.isLetterOrNumber() || c == u'_'; };
    for (const QString &s : m_secrets) {
        qsizetype from = 0;
        while ((from = text.indexOf(s, from)) >= 0) {
            const qsizetype end = from + s.size();
            const bool alone = (from == 0 || !wordChar(text.at(from - 1))) &&
                               (end == text.size() || !wordChar(text.at(end)));
            if (alone) {
                text.replace(from, s.size(), QStringLiteral("***"));
                from += 3;
            } else {
                from = end;
            }
        }
    }
    return text;
}

void TaskLog::write(const QString &text)
{
    if (!m_file.isOpen() && !(m_background && !m_path.isEmpty()))
        return;
    const QString stamp = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    QByteArray out;
    const QStringList lines = redact(text).split(u'\n');
    for (const QString &line : lines)
        out += (stamp + u' ' + line + u'\n').toUtf8();
    if (m_background) {
        LogWriter::instance().append(m_path, std::move(out));
        return;
    }
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
