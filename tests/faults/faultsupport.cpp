#include "faultsupport.h"

#include "store/databaseuri.h"
#include "store/taskstore.h"

namespace baricadr::test {

QHash<QString, qint64> journalOf(const QString &sqlitePath, const QStringList &taskIds, QString *error)
{
    QHash<QString, qint64> out;
    auto store = TaskStore::open(DatabaseUri::sqlite(sqlitePath));
    if (!store) {
        *error = store.error().message;
        return out;
    }
    for (const QString &id : taskIds) {
        const auto rows = (*store)->journalForTask(id);
        if (!rows) {
            *error = rows.error().message;
            return out;
        }
        for (const JournalEntry &e : *rows) {
            if (out.contains(e.relPath))
                *error = QStringLiteral("%1 journaled twice").arg(e.relPath);
            out.insert(e.relPath, e.size);
        }
    }
    return out;
}

} // namespace baricadr::test
