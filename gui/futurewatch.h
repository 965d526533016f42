#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace baricadr::gui {

// Runs `f(result)` on `context`'s thread when `future` finishes. A watcher owned by `context`
// (not QFuture::then(context)) so that nothing runs once the window or dialog is gone. A cancelled
// or empty future yields a default-constructed T (for Result<T>: an error, never a crash).
template<typename T, typename F> void onResult(QFuture<T> future, QObject *context, F &&f)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, fn = std::forward<F>(f)]() mutable {
                         const QFuture<T> done = watcher->future();
                         watcher->deleteLater();
                         if (done.isCanceled() || done.resultCount() == 0)
                             fn(T());
                         else
                             fn(done.result());
                     });
    watcher->setFuture(future);
}

} // namespace baricadr::gui
