// Fills a task store with finished tasks for the API benchmark (tests/bench/api.sh).
//   bench_api_seed DATABASE_URI REPO_ROOT COUNT
// Prints the id of the task in the middle of the list (the one the status benchmark asks for).
#include "store/databaseuri.h"
#include "store/taskstore.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QUuid>

using namespace baricadr;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream err(stderr);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        err << "usage: bench_api_seed DATABASE_URI REPO_ROOT COUNT\n";
        return 2;
    }
    auto uri = DatabaseUri::parse(args[1]);
    if (!uri) {
        err << uri.error().message << '\n';
        return 1;
    }
    auto store = TaskStore::open(*uri);
    if (!store) {
        err << store.error().message << '\n';
        return 1;
    }
    bool ok = false;
    const int count = args[3].toInt(&ok);
    if (!ok || count < 1) {
        err << "COUNT must be a positive integer, got " << args[3] << '\n';
        return 2;
    }
    const QString root = args[2];
    const QDateTime base = QDateTime::currentDateTimeUtc().addSecs(-count);
    QString middle;
    for (int i = 0; i < count; ++i) {
        TaskInfo t;
        t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        t.type = i % 3 == 0 ? TaskType::Freeze : TaskType::Pull;
        t.path = root + QStringLiteral("/dir%1/file%2.dat").arg(i / 100).arg(i);
        t.repoRoot = root;
        t.status = TaskStatus::Finished;
        t.created = base.addSecs(i);
        t.started = t.created;
        t.finished = t.created.addSecs(1);
        t.result.files = 1;
        t.result.bytes = 4096;
        t.result.affected = {QStringLiteral("dir%1/file%2.dat").arg(i / 100).arg(i)};
        t.result.affectedCount = 1;
        if (auto st = (*store)->insertTask(t); !st) {
            err << st.error().message << '\n';
            return 1;
        }
        if (i == count / 2)
            middle = t.id;
    }
    QTextStream(stdout) << middle << '\n';
    return 0;
}
