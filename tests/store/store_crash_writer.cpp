// Writes tasks and freeze-journal rows to the store given as argv[1] as fast as it can, printing
// "J <rel_path>" on stdout right after each journal write is committed, until it is killed.
#include "store/taskstore.h"

#include <QCoreApplication>
#include <QUuid>

#include <cstdio>

using namespace baricadr;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: store_crash_writer DATABASE_URI PREFIX\n");
        return 2;
    }
    auto uri = DatabaseUri::parse(QString::fromLocal8Bit(argv[1]));
    if (!uri) {
        std::fprintf(stderr, "%s\n", qPrintable(uri.error().message));
        return 2;
    }
    auto store = TaskStore::open(*uri);
    if (!store) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().message));
        return 1;
    }
    const QString prefix = QString::fromLocal8Bit(argv[2]);
    std::printf("READY\n");
    std::fflush(stdout);
    for (qint64 round = 0; round < 10'000'000; ++round) {
        TaskInfo task;
        task.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        task.type = TaskType::Freeze;
        task.path = QStringLiteral("/data/repo/") + prefix;
        task.repoRoot = QStringLiteral("/data/repo");
        task.status = TaskStatus::Freezing;
        task.created = QDateTime::currentDateTimeUtc();
        if (!(*store)->insertTask(task))
            return 1;
        QList<JournalEntry> batch;
        for (int i = 0; i < 4; ++i) {
            JournalEntry e;
            e.taskId = task.id;
            e.repoRoot = task.repoRoot;
            e.relPath = QStringLiteral("%1/r%2/f%3").arg(prefix).arg(round).arg(i);
            e.size = round * 10 + i;
            e.remoteSize = e.size;
            e.frozenAt = QDateTime::currentDateTimeUtc();
            if (i < 2) { // one row per transaction
                if (!(*store)->recordFrozen(e))
                    return 1;
                std::printf("J %s\n", qPrintable(e.relPath));
                std::fflush(stdout);
            } else {
                batch.append(e);
            }
        }
        if (!(*store)->recordFrozen(batch)) // both or none
            return 1;
        for (const JournalEntry &e : batch)
            std::printf("J %s\n", qPrintable(e.relPath));
        std::fflush(stdout);
        task.status = TaskStatus::Finished;
        task.finished = QDateTime::currentDateTimeUtc();
        task.result.files = 4;
        if (!(*store)->updateTask(task))
            return 1;
    }
    return 0;
}
