#pragma once

#include "notify/mailer.h"
#include "tasks/task.h"

#include <QFuture>
#include <QList>
#include <QStringList>

namespace baricadr {

// Composes and sends the mails about finished tasks, in the words of the original Baricadr:
// to the task's email when it finished (the files pulled/frozen and their total size, "(DRY RUN)"
// marked), failed (the error) or was cancelled; to the admins (MAIL_ADMIN) when a scheduled task
// failed.
class Notifier
{
public:
    explicit Notifier(Mailer *mailer); // not owned; admins come from its settings
    // `files` is the complete list of affected paths when the engine has it (from the task log);
    // otherwise the capped list stored with the task is used and the rest counted.
    QFuture<Status> notify(const TaskInfo &task, const QStringList &files = {});

    // Pure: the mails a task calls for (none while it is unfinished or when nobody is to be told).
    static QList<MailMessage> compose(const TaskInfo &task, const QStringList &admins,
                                      const QStringList &files = {});

private:
    Mailer *m_mailer;
};

} // namespace baricadr
