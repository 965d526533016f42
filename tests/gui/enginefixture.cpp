#include "enginefixture.h"

#include "repo/exclude.h"
#include "testtree.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QtDebug>

#include <optional>

namespace baricadr::test {

namespace {
QString yamlQuote(const QString &s)
{
    QString out = s;
    out.replace(u'\\', QStringLiteral("\\\\"));
    out.replace(u'"', QStringLiteral("\\\""));
    return u'"' + out + u'"';
}
} // namespace

EngineFixture::EngineFixture(const QString &tempTemplate)
    : m_dir(tempTemplate.isEmpty() ? QDir::tempPath() + QStringLiteral("/baricadr-gui-XXXXXX") : tempTemplate)
{}

EngineFixture::~EngineFixture() = default;

bool EngineFixture::start(const SftpServer::Options &options)
{
    if (!m_dir.isValid()) {
        qWarning() << "EngineFixture: no temporary directory";
        return false;
    }
    m_server = std::make_unique<SftpServer>(path(QStringLiteral("server")), options);
    if (!m_server->start())
        return false;
    const QString data = path(QStringLiteral("engine-data"));
    const QString logs = path(QStringLiteral("engine-logs"));
    if (!QDir().mkpath(data) || !QDir().mkpath(logs)) {
        qWarning() << "EngineFixture: cannot create" << data << logs;
        return false;
    }
    qputenv("BARICADR_DATA_DIR", QFile::encodeName(data));
    qputenv("TASK_LOG_DIR", QFile::encodeName(logs));
    qunsetenv("DATABASE_URI");
    qunsetenv("SQLALCHEMY_DATABASE_URI");
    return true;
}

QString EngineFixture::path(const QString &name) const
{
    return m_dir.filePath(name);
}

QString EngineFixture::remoteDir(const QString &remoteSubdir) const
{
    return m_server->root() + u'/' + remoteSubdir;
}

RepoConfig EngineFixture::repoConfig(const RepoSpec &spec, quint16 port) const
{
    RepoConfig repo = m_server->repoFor(spec.root, spec.remoteSubdir);
    if (port)
        repo.port = port;
    repo.exclude = splitExcludeList(spec.exclude);
    repo.freezeAge = spec.freezeAge;
    repo.freezable = true;
    return repo;
}

QString EngineFixture::writeRepos(const QList<RepoSpec> &repos, const QString &fileName, quint16 port) const
{
    QString yml;
    for (const RepoSpec &spec : repos) {
        QDir().mkpath(spec.root);
        const RepoConfig repo = repoConfig(spec, port);
        yml += QStringLiteral("%1:\n"
                              "    backend: sftp\n"
                              "    url: %2\n"
                              "    port: %3\n"
                              "    user: %4\n"
                              "    password: %5\n"
                              "    freezable: true\n"
                              "    freeze_age: %6\n"
                              "    disable_atime_test: true\n")
                   .arg(yamlQuote(repo.root), yamlQuote(repo.host + u':' + repo.remotePrefix))
                   .arg(repo.port)
                   .arg(yamlQuote(repo.user), yamlQuote(repo.password))
                   .arg(spec.freezeAge);
        if (!spec.exclude.isEmpty())
            yml += QStringLiteral("    exclude: %1\n").arg(yamlQuote(spec.exclude));
    }
    const QString file = path(fileName);
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(yml.toUtf8()) <= 0)
        qWarning() << "EngineFixture: cannot write" << file << f.errorString();
    return file;
}

void EngineFixture::resetEngineState() const
{
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).removeRecursively();
    for (const QString &dir : {path(QStringLiteral("engine-data")), path(QStringLiteral("engine-logs"))}) {
        QDir(dir).removeRecursively();
        QDir().mkpath(dir);
    }
}

bool makeAgedOriginalLayout(const QString &local, const QString &remote)
{
    QDir(local).removeRecursively();
    QDir(remote).removeRecursively();
    if (!createOriginalLayout(remote) || !createOriginalLayout(local))
        return false;
    // Backups keep mtimes: the remote copies are as old as the local ones.
    for (const QString &rel : originalLayoutFiles()) {
        if (!setTimes(remote + u'/' + rel, 1.6e9, 1.6e9) || !setTimes(local + u'/' + rel, 1.6e9, 1.6e9))
            return false;
    }
    return ageTree(local, 400) && setAtimeDaysAgo(local + QStringLiteral("/subdir/subfile.txt"), 3) &&
           writeFile(local, QStringLiteral("file2.txt"), "changed locally, longer\n") &&
           setAtimeDaysAgo(local + QStringLiteral("/file2.txt"), 400) &&
           writeFile(local, QStringLiteral("results/new.txt"), "not backed up\n") &&
           setAtimeDaysAgo(local + QStringLiteral("/results/new.txt"), 400) &&
           QFile::remove(local + QStringLiteral("/subdir/subsubdir2/subsubfile.txt"));
}

QStringList agedLayoutColdFiles()
{
    return {QStringLiteral("file.txt"), QStringLiteral("subdir/subsubdir/subsubfile.txt"),
            QStringLiteral("subdir/subsubdir2/subsubsubdir/subsubsubdir2/a file")};
}

Result<FreezeOutcome> dryRunFreeze(const RepoConfig &repo, const QString &relPath)
{
    FreezeJobRequest request;
    request.repo = repo;
    request.relPath = relPath;
    request.taskId = QStringLiteral("gui-test-dry-run");
    request.dryRun = true;
    request.listRecentlyAccessed = true;
    FreezeJob job(request);
    std::optional<Result<FreezeOutcome>> outcome;
    QEventLoop loop;
    QObject::connect(&job, &FreezeJob::finished, &loop, [&](const Result<FreezeOutcome> &r) {
        outcome = r;
        loop.quit();
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    job.start();
    if (!outcome)
        loop.exec();
    if (!outcome)
        return Error(ErrorCode::Internal, QStringLiteral("the dry-run freeze did not end within 2 minutes"));
    return *outcome;
}

} // namespace baricadr::test
