// A process that pulls, for the kill -9 test: pullhelper LOCAL_ROOT PORT USER PREFIX TASKID BWLIMIT
// [REL_PATH] (password in BARICADR_TEST_PASSWORD). Prints "progress <bytes>" lines, exits 0 when done.
#include "pull/puller.h"

#include <QCoreApplication>
#include <QTextStream>

using namespace baricadr;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments();
    if (a.size() != 7 && a.size() != 8)
        return 2;
    RepoConfig repo;
    repo.root = a[1];
    repo.backend = Backend::Sftp;
    repo.host = QStringLiteral("127.0.0.1");
    repo.port = a[2].toInt();
    repo.user = a[3];
    repo.password = qEnvironmentVariable("BARICADR_TEST_PASSWORD");
    repo.remotePrefix = a[4];
    RcloneOptions opts;
    opts.extraFlags = {QStringLiteral("--bwlimit"), a[6]};
    Puller puller(opts);
    QTextStream out(stdout);
    QObject::connect(&puller, &Puller::progress, &app,
                     [&out](const TaskProgress &p) { out << "progress " << p.bytes << Qt::endl; });
    QObject::connect(&puller, &Puller::finished, &app,
                     [&app](const Result<PullOutcome> &r) { app.exit(r.ok() ? 0 : 1); });
    PullOptions po;
    po.taskId = a[5];
    puller.start(repo, a.size() == 8 ? a[7] : QString(), po);
    return app.exec();
}
