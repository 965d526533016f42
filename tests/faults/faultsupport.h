#pragma once

// Helpers shared by the fault-injection tests (tests/faults): generated repos whose every file's
// content is known, the backup copy served by a loopback SFTP server, repos.yml text, and waits
// on a task through the real HTTP API.

#include "../api/httptest.h"
#include "sftpserver.h"
#include "testtree.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSet>
#include <QTest>

#include <sys/stat.h>

namespace baricadr::test {

// rel path -> content of a generated tree: `dirs` directories of `perDir` files, sizes varying
// from a few bytes to a few KiB (content names the file, so a truncated or swapped file shows).
inline QHash<QString, QByteArray> makeTree(const QString &root, int dirs, int perDir)
{
    QHash<QString, QByteArray> files;
    for (int d = 0; d < dirs; ++d) {
        for (int f = 0; f < perDir; ++f) {
            const QString rel = QStringLiteral("d%1/f%2.dat").arg(d, 3, 10, QLatin1Char('0')).arg(f);
            QByteArray content = rel.toUtf8() + '\n';
            content += QByteArray((d * 37 + f * 11) % 3000, char('a' + f % 26));
            if (!writeFile(root, rel, content))
                return {};
            files.insert(rel, content);
        }
    }
    return files;
}

// The backup: an exact copy (content, mtimes) as `rclone sync` leaves it.
inline bool copyTree(const QString &from, const QString &to)
{
    return QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), from, to}) == 0;
}

inline bool lexists(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

// repos.yml for one sftp repo at `local` backed by `server`:`remoteSubdir`.
inline QByteArray sftpRepoYaml(const QString &local, const SftpServer &server, const QString &remoteSubdir,
                               const QByteArray &extra = QByteArray())
{
    return local.toUtf8() + ":\n  backend: sftp\n  url: \"127.0.0.1:" + remoteSubdir.toUtf8() +
           "\"\n  port: " + QByteArray::number(server.port()) + "\n  user: " + server.user().toUtf8() +
           "\n  password: \"" + server.password().toUtf8() + "\"\n" + extra;
}

inline SftpServer::Options plainCredentials()
{
    SftpServer::Options o;
    o.user = QStringLiteral("faults");
    o.password = QStringLiteral("fault-pass");
    return o;
}

inline bool isUnfinished(const QString &status)
{
    return status == u"waiting" || status == u"started" || status == u"pulling" || status == u"freezing" ||
           status == u"verifying";
}

// Polls GET /tasks/status/<id> until the task is no longer unfinished (at most `timeoutMs`);
// returns its last JSON (empty when the service never answered).
inline QJsonObject waitTaskDone(HttpTester &http, const QString &id, int timeoutMs = 120000)
{
    QJsonObject last;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const HttpAnswer a = http.get(QStringLiteral("/tasks/status/") + id);
        if (a.status == 200) {
            last = a.object();
            if (!isUnfinished(last.value(u"status").toString()))
                return last;
        }
        QTest::qWait(50);
    }
    return last;
}

// Every regular file under `root` (relative paths), staging dirs included.
inline QSet<QString> filesUnder(const QString &root)
{
    QSet<QString> out;
    for (QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
         it.hasNext();)
        out.insert(QDir(root).relativeFilePath(it.next()));
    return out;
}

} // namespace baricadr::test

namespace baricadr::test {

// True once some process holds an established TCP connection to 127.0.0.1:`port` (a client of
// the loopback server is talking to it): read from /proc/net/tcp, state 01.
inline bool hasEstablishedConnection(quint16 port)
{
    QFile f(QStringLiteral("/proc/net/tcp"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray local = ':' + QByteArray::number(port, 16).toUpper().rightJustified(4, '0');
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> cols = line.simplified().split(' ');
        if (cols.size() > 3 && cols.at(1).endsWith(local) && cols.at(3) == "01")
            return true;
    }
    return false;
}

// The freeze journal rows of `taskIds`, read from the service's SQLite database (the service
// must be stopped): rel path -> size recorded.
QHash<QString, qint64> journalOf(const QString &sqlitePath, const QStringList &taskIds, QString *error);

} // namespace baricadr::test
