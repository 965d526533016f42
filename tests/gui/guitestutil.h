#pragma once

#include "browse/browsetree.h"
#include "browser/browsemodel.h"
#include "browser/browseproxy.h"
#include "mainwindow.h"

#include <QTreeView>

namespace baricadr::test {

// State of a repo-relative path in the window's tree (-2 when not in the tree).
inline int stateOf(gui::MainWindow &w, const QString &rel)
{
    const BrowseNode *n = w.browseModel()->tree() ? w.browseModel()->tree()->find(rel) : nullptr;
    return n ? int(n->state) : -2;
}

inline QString stateName(int s)
{
    return s >= 0 && s < kFileStateCount ? toString(FileState(s))
           : s == kPendingState          ? QStringLiteral("pending")
                                         : QStringLiteral("absent");
}

// Selects one repo-relative path in the tree view (expanding its parents).
inline bool selectPath(gui::MainWindow &w, const QString &rel)
{
    const QModelIndex src = w.browseModel()->indexForPath(rel);
    if (!src.isValid())
        return false;
    const QModelIndex px = w.browseProxy()->mapFromSource(src);
    if (!px.isValid())
        return false;
    for (QModelIndex p = px.parent(); p.isValid(); p = p.parent())
        w.treeView()->expand(p);
    w.treeView()->selectionModel()->setCurrentIndex(px, QItemSelectionModel::ClearAndSelect |
                                                            QItemSelectionModel::Rows);
    return true;
}

} // namespace baricadr::test
