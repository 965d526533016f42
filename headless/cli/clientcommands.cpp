#include "cli/clientcommands.h"

#include "client/remoteservice.h"
#include "notify/humansize.h"
#include "service/json.h"
#include "util/jsonnumbers.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QProcessEnvironment>
#include <QTimer>

#include <cstdio>
#include <optional>
#include <unistd.h>

namespace baricadr {

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

void out(const QString &text)
{
    std::fputs(qPrintable(text), stdout);
    std::fputc('\n', stdout);
}

void err(const QString &text)
{
    std::fprintf(stderr, "baricadr: %s\n", qPrintable(text));
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument doc =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    std::fputs(doc.toJson(QJsonDocument::Indented).constData(), stdout);
}

// The CLI is a one-shot client: waiting in a local event loop for one answer is what it is for.
template<typename T> Result<T> wait(QFuture<Result<T>> future)
{
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<Result<T>> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
    }
    if (future.isCanceled() || future.resultCount() == 0)
        return Error(ErrorCode::Internal, QStringLiteral("no answer"));
    return future.result();
}

// An action's one-line outcome, as text or as {"info": …} with --json.
void printInfo(const QString &info, bool asJson)
{
    if (asJson)
        printJson(QJsonObject{{QStringLiteral("info"), info}});
    else
        out(info);
}

// A list answer: one JSON array with --json, else one printed line per item.
template<typename List, typename ToJson, typename ToLine>
void printList(const List &items, bool asJson, ToJson toJson, ToLine toLine)
{
    if (asJson) {
        QJsonArray a;
        for (const auto &item : items)
            a.append(toJson(item));
        printJson(a);
        return;
    }
    for (const auto &item : items)
        out(toLine(item));
}

int fail(const Error &e)
{
    err(e.message);
    return 1;
}

QString humanBytes(double bytes)
{
    return bytes < 1024 ? QStringLiteral("%1 B").arg(qint64(bytes)) : humanSize(qint64(bytes), 1);
}

QString humanDuration(qint64 secs)
{
    return secs >= 3600 ? QStringLiteral("%1:%2:%3")
                              .arg(secs / 3600)
                              .arg(secs / 60 % 60, 2, 10, QLatin1Char('0'))
                              .arg(secs % 60, 2, 10, QLatin1Char('0'))
                        : QStringLiteral("%1:%2").arg(secs / 60).arg(secs % 60, 2, 10, QLatin1Char('0'));
}

class Command
{
public:
    Command(const QString &name, const QString &description, const QStringList &args)
        : m_name(name)
        , m_args(args)
    {
        m_parser.setApplicationDescription(description);
        m_parser.addHelpOption();
        m_parser.addOption(m_server);
        m_parser.addOption(m_json);
    }

    QCommandLineParser &parser() { return m_parser; }

    // Parses; on --help prints and exits; on a usage error returns false (exit code 2).
    bool parse(int minPositional, int maxPositional)
    {
        if (!m_parser.parse(m_args)) {
            err(m_parser.errorText() + QStringLiteral(" (try: baricadr %1 --help)").arg(m_name));
            return false;
        }
        if (m_parser.isSet(QStringLiteral("help")))
            m_parser.showHelp(0);
        const qsizetype n = m_parser.positionalArguments().size();
        if (n < minPositional || n > maxPositional) {
            err(QStringLiteral("wrong number of arguments (try: baricadr %1 --help)").arg(m_name));
            return false;
        }
        return true;
    }

    // parse() and then the service: the exit code to return when either fails, else nothing.
    std::optional<int> prepare(int minPositional, int maxPositional)
    {
        if (!parse(minPositional, maxPositional))
            return 2;
        if (!service())
            return 1;
        return std::nullopt;
    }

    bool json() const { return m_parser.isSet(m_json); }
    QStringList positional() const { return m_parser.positionalArguments(); }

    // Relative paths are taken from the current directory, as a user means them.
    QString path(int i) const
    {
        const QString p = positional().value(i);
        return p.startsWith(u'/') ? p : QFileInfo(p).absoluteFilePath();
    }

    // The service, from ~/.config/baricadr/client.conf, the environment and --server.
    RemoteService *service()
    {
        if (m_service)
            return m_service.get();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (m_parser.isSet(m_server))
            env.insert(QStringLiteral("BARICADR_SERVER"), m_parser.value(m_server));
        const QString file = env.value(QStringLiteral("BARICADR_CLIENT_CONF"));
        const auto config = ClientConfig::load(file, env);
        if (!config.ok()) {
            err(config.error().message);
            return nullptr;
        }
        m_service = std::make_unique<RemoteService>(*config);
        return m_service.get();
    }

private:
    QString m_name;
    QStringList m_args;
    QCommandLineParser m_parser;
    QCommandLineOption m_server{
        QStringLiteral("server"),
        QStringLiteral("Service URL (default: server in ~/.config/baricadr/client.conf, "
                       "BARICADR_SERVER, else http://127.0.0.1:9100). Credentials come from "
                       "that file or BARICADR_USER/BARICADR_PASSWORD/BARICADR_TOKEN."),
        QStringLiteral("URL")};
    QCommandLineOption m_json{QStringLiteral("json"), QStringLiteral("Print the answer as JSON.")};
    std::unique_ptr<RemoteService> m_service;
};

// Follows a task until it ends. On a terminal: a live progress bar on stderr; otherwise a plain
// line whenever the status changes (and every 10 s while running). Returns the final task.
Result<TaskInfo> follow(RemoteService &service, const QString &id)
{
    const bool tty = ::isatty(STDERR_FILENO);
    QString lastStatus;
    QElapsedTimer sinceLine;
    sinceLine.start();
    bool barShown = false;
    for (;;) {
        const Result<TaskInfo> r = wait(service.task(id));
        if (!r.ok())
            return r;
        const TaskInfo &t = *r;
        const QString status = toString(t.status);
        if (isFinal(t.status)) {
            if (barShown)
                std::fputs("\n", stderr);
            return r;
        }
        const TaskProgress &p = t.progress;
        if (tty) {
            const double fraction = p.totalBytes > 0   ? double(p.bytes) / double(p.totalBytes)
                                    : p.totalFiles > 0 ? double(p.files) / double(p.totalFiles)
                                                       : 0.0;
            constexpr int width = 30;
            const int filled = int(fraction * width);
            QString bar = QString(filled, u'#') + QString(width - filled, u'-');
            QString line = QStringLiteral("\r%1 [%2] %3%  %4/%5  %6/%7 files  %8/s")
                               .arg(status, -9)
                               .arg(bar)
                               .arg(int(fraction * 100), 3)
                               .arg(humanBytes(double(p.bytes)), humanBytes(double(p.totalBytes)))
                               .arg(p.files)
                               .arg(p.totalFiles)
                               .arg(humanBytes(p.speed));
            if (p.etaSeconds)
                line += QStringLiteral("  ETA %1").arg(humanDuration(*p.etaSeconds));
            std::fprintf(stderr, "%s\x1b[K", qPrintable(line));
            std::fflush(stderr);
            barShown = true;
        } else if (status != lastStatus || sinceLine.elapsed() > 10000) {
            std::fprintf(stderr, "task %s %s: %lld/%lld files, %s/%s\n", qPrintable(id), qPrintable(status),
                         static_cast<long long>(p.files), static_cast<long long>(p.totalFiles),
                         qPrintable(humanBytes(double(p.bytes))),
                         qPrintable(humanBytes(double(p.totalBytes))));
            std::fflush(stderr);
            sinceLine.restart();
        }
        lastStatus = status;
        QEventLoop loop;
        QTimer::singleShot(tty ? 300 : 1000, &loop, &QEventLoop::quit);
        loop.exec();
    }
}

int reportTask(const TaskInfo &t, bool asJson)
{
    if (asJson) {
        printJson(json::toJson(t));
    } else {
        const char *verb = t.type == TaskType::Pull     ? "pulled"
                           : t.type == TaskType::Freeze ? "frozen"
                                                        : "verified";
        QString line = QStringLiteral("Task %1 %2").arg(t.id, toString(t.status));
        if (t.status == TaskStatus::Finished)
            line += QStringLiteral(": %1 file(s), %2 %3%4")
                        .arg(t.result.files)
                        .arg(humanBytes(double(t.result.bytes)), s(verb),
                             t.options.dryRun ? QStringLiteral(" (DRY RUN)") : QString());
        if (!t.error.isEmpty())
            line += QStringLiteral(": ") + t.error;
        out(line);
    }
    return t.status == TaskStatus::Finished ? 0 : 1;
}

// Prints the id (or follows the task with --wait).
int submitted(Command &cmd, const Result<QString> &id, bool waitForIt)
{
    if (!id.ok())
        return fail(id.error());
    if (!waitForIt) {
        if (cmd.json())
            printJson(QJsonObject{{QStringLiteral("task"), *id}});
        else
            out(*id);
        return 0;
    }
    const Result<TaskInfo> t = follow(*cmd.service(), *id);
    if (!t.ok())
        return fail(t.error());
    return reportTask(*t, cmd.json());
}

const QCommandLineOption kWait{
    QStringLiteral("wait"),
    QStringLiteral("Follow the task until it ends (progress on a terminal); exit code 1 if it fails.")};
const QCommandLineOption kDryRun{QStringLiteral("dry-run"),
                                 QStringLiteral("Only report what would be done.")};
const QCommandLineOption kEmail{QStringLiteral("email"), QStringLiteral("Mail the result to this address."),
                                QStringLiteral("ADDRESS")};

int cmdPull(Command &cmd)
{
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"),
                                       QStringLiteral("File or directory inside a repo."));
    cmd.parser().addOptions({kDryRun, kWait, kEmail});
    if (const auto rc = cmd.prepare(1, 1))
        return *rc;
    RemoteService *service = cmd.service();
    PullRequest r{cmd.path(0), cmd.parser().value(kEmail), cmd.parser().isSet(kDryRun)};
    return submitted(cmd, wait(service->submitPull(r)), cmd.parser().isSet(kWait));
}

int cmdFreeze(Command &cmd)
{
    const QCommandLineOption force(
        QStringLiteral("force"),
        QStringLiteral("Ignore the last-access age (the remote is still verified)."));
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"),
                                       QStringLiteral("File or directory inside a freezable repo."));
    cmd.parser().addOptions({kDryRun, force, kWait, kEmail});
    if (const auto rc = cmd.prepare(1, 1))
        return *rc;
    RemoteService *service = cmd.service();
    FreezeRequest r{cmd.path(0), cmd.parser().value(kEmail), cmd.parser().isSet(kDryRun),
                    cmd.parser().isSet(force)};
    return submitted(cmd, wait(service->submitFreeze(r)), cmd.parser().isSet(kWait));
}

int cmdVerify(Command &cmd)
{
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Directory inside a repo."));
    cmd.parser().addOptions({kWait, kEmail});
    if (const auto rc = cmd.prepare(1, 1))
        return *rc;
    RemoteService *service = cmd.service();
    return submitted(cmd, wait(service->submitVerify(cmd.path(0), cmd.parser().value(kEmail))),
                     cmd.parser().isSet(kWait));
}

int cmdPreview(Command &cmd)
{
    const QCommandLineOption force(QStringLiteral("force"),
                                   QStringLiteral("Preview a forced freeze (ignore the last-access age)."));
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"),
                                       QStringLiteral("File or directory inside a freezable repo."));
    cmd.parser().addOption(force);
    if (const auto rc = cmd.prepare(1, 1))
        return *rc;
    RemoteService *service = cmd.service();
    const Result<FreezePlan> plan =
        wait(service->previewFreeze(FreezeRequest{cmd.path(0), {}, true, cmd.parser().isSet(force)}));
    if (!plan.ok())
        return fail(plan.error());
    if (cmd.json()) {
        printJson(json::toJson(*plan));
        return 0;
    }
    out(QStringLiteral("A freeze would free %1 in %2 file(s); %3 file(s) kept.")
            .arg(humanBytes(double(plan->bytesToFreeze)))
            .arg(plan->toFreeze.size())
            .arg(plan->kept.size()));
    QMap<QString, int> reasons;
    for (const KeptFile &k : plan->kept)
        ++reasons[toString(k.reason)];
    for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
        out(QStringLiteral("  kept, %1: %2").arg(it.key()).arg(it.value()));
    if (!plan->histogram.empty()) {
        out(QStringLiteral("Bytes by last access:"));
        for (const AgeBucket &b : plan->histogram)
            out(QStringLiteral("  %1 days: %2 in %3 file(s), %4 freezable")
                    .arg(b.maxDays < 0 ? QStringLiteral("%1+").arg(b.minDays)
                                       : QStringLiteral("%1-%2").arg(b.minDays).arg(b.maxDays),
                         10)
                    .arg(humanBytes(double(b.bytes)))
                    .arg(b.files)
                    .arg(humanBytes(double(b.freezableBytes))));
    }
    return 0;
}

const QCommandLineOption kMaxDepth{QStringLiteral("max-depth"),
                                   QStringLiteral("Depth to list (default 1, 0 = all)."), QStringLiteral("N"),
                                   QStringLiteral("1")};

bool parseDepth(Command &cmd, int *depth)
{
    bool ok = false;
    *depth = cmd.parser().value(kMaxDepth).toInt(&ok);
    if (!ok || *depth < 0) {
        err(QStringLiteral("--max-depth must be a non-negative integer"));
        return false;
    }
    return true;
}

int cmdList(Command &cmd)
{
    const QCommandLineOption missing(QStringLiteral("missing"),
                                     QStringLiteral("Only files missing locally."));
    const QCommandLineOption full(QStringLiteral("full"),
                                  QStringLiteral("Size, modification time and type too."));
    const QCommandLineOption fromRoot(QStringLiteral("from-root"),
                                      QStringLiteral("Paths relative to the repo root."));
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"),
                                       QStringLiteral("Directory or file inside a repo."));
    cmd.parser().addOptions({missing, kMaxDepth, full, fromRoot});
    int depth = 1;
    if (!cmd.parse(1, 1) || !parseDepth(cmd, &depth))
        return 2;
    RemoteService *service = cmd.service();
    if (!service)
        return 1;
    const bool isFull = cmd.parser().isSet(full);
    const auto entries = wait(service->list(
        ListRequest{cmd.path(0), cmd.parser().isSet(missing), depth, cmd.parser().isSet(fromRoot), isFull}));
    if (!entries.ok())
        return fail(entries.error());
    printList(
        *entries, cmd.json(), [isFull](const ListEntry &e) { return json::listEntry(e, isFull); },
        [isFull](const ListEntry &e) {
            if (!isFull || e.full.isEmpty())
                return e.path;
            return QStringLiteral("%1  %2  %3")
                .arg(json::toInt64(e.full.value(QStringLiteral("Size")), 0), 12)
                .arg(e.full.value(QStringLiteral("ModTime")).toString(), -35)
                .arg(e.path);
        });
    return 0;
}

int cmdTree(Command &cmd)
{
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Directory inside a repo."));
    cmd.parser().addOption(kMaxDepth);
    int depth = 1;
    if (!cmd.parse(1, 1) || !parseDepth(cmd, &depth))
        return 2;
    RemoteService *service = cmd.service();
    if (!service)
        return 1;
    const auto entries = wait(service->tree(cmd.path(0), depth));
    if (!entries.ok())
        return fail(entries.error());
    if (cmd.json()) {
        QJsonArray a;
        for (const ListEntry &e : *entries)
            a.append(json::treeEntry(e));
        printJson(a);
        return 0;
    }
    // Like barique: directories once, files indented under them, '*' after missing ones.
    QList<ListEntry> sorted = *entries;
    std::sort(sorted.begin(), sorted.end(),
              [](const ListEntry &a, const ListEntry &b) { return a.path < b.path; });
    out(cmd.path(0));
    QStringList shown;
    for (const ListEntry &e : sorted) {
        const QStringList parts = e.path.split(u'/');
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QStringList prefix = parts.mid(0, i + 1);
            const bool isFile = i == parts.size() - 1;
            if (!isFile && shown.mid(0, i + 1) == prefix)
                continue;
            out(QString(int(i + 1) * 2, u' ') + parts.at(i) +
                (isFile ? (e.missing ? QStringLiteral(" *") : QString()) : QStringLiteral("/")));
        }
        shown = parts.mid(0, parts.size() - 1);
    }
    return 0;
}

int cmdTask(Command &cmd)
{
    const QCommandLineOption status(QStringLiteral("status"),
                                    QStringLiteral("list: only tasks in this status."),
                                    QStringLiteral("STATUS"));
    const QCommandLineOption type(QStringLiteral("type"),
                                  QStringLiteral("list: only tasks of this type (pull, freeze, verify)."),
                                  QStringLiteral("TYPE"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("list: at most N tasks."),
                                   QStringLiteral("N"));
    const QCommandLineOption offset(QStringLiteral("offset"), QStringLiteral("list: skip the first N tasks."),
                                    QStringLiteral("N"));
    const QCommandLineOption graceful(QStringLiteral("graceful"),
                                      QStringLiteral("cancel: finish the file in flight first."));
    cmd.parser().addPositionalArgument(QStringLiteral("ACTION"),
                                       QStringLiteral("list, show, log, remove, cancel or thaw."));
    cmd.parser().addPositionalArgument(
        QStringLiteral("ID"), QStringLiteral("Task id (all actions but list)."), QStringLiteral("[ID]"));
    cmd.parser().addOptions({status, type, limit, offset, graceful, kWait});
    if (!cmd.parse(1, 2))
        return 2;
    const QString action = cmd.positional().at(0);
    const QString id = cmd.positional().value(1);
    if ((action == QLatin1String("list")) != id.isEmpty()) {
        err(action == QLatin1String("list") ? QStringLiteral("task list takes no ID")
                                            : QStringLiteral("task %1 needs a task ID").arg(action));
        return 2;
    }
    RemoteService *service = cmd.service();
    if (!service)
        return 1;
    if (action == QLatin1String("list")) {
        TaskQuery q;
        if (cmd.parser().isSet(status)) {
            q.status = taskStatusFromString(cmd.parser().value(status));
            if (!q.status) {
                err(QStringLiteral("unknown status \"%1\"").arg(cmd.parser().value(status)));
                return 2;
            }
        }
        if (cmd.parser().isSet(type)) {
            q.type = taskTypeFromString(cmd.parser().value(type));
            if (!q.type) {
                err(QStringLiteral("unknown type \"%1\"").arg(cmd.parser().value(type)));
                return 2;
            }
        }
        if (cmd.parser().isSet(limit))
            q.limit = cmd.parser().value(limit).toInt();
        if (cmd.parser().isSet(offset))
            q.offset = cmd.parser().value(offset).toInt();
        const auto tasks = wait(service->tasks(q));
        if (!tasks.ok())
            return fail(tasks.error());
        printList(
            *tasks, cmd.json(), [](const TaskInfo &t) { return json::toJson(t, json::TaskDetail::Summary); },
            [](const TaskInfo &t) {
                return QStringLiteral("%1  %2 %3 %4  %5")
                    .arg(t.id)
                    .arg(toString(t.type), -7)
                    .arg(toString(t.status), -10)
                    .arg(json::httpDateString(t.created), -29)
                    .arg(t.path);
            });
        return 0;
    }
    if (action == QLatin1String("show")) {
        const Result<TaskInfo> t = cmd.parser().isSet(kWait) ? follow(*service, id) : wait(service->task(id));
        if (!t.ok())
            return fail(t.error());
        if (cmd.json()) {
            printJson(json::toJson(*t));
            return 0;
        }
        const QJsonObject o = json::toJson(*t);
        for (const char *key : {"task_id", "type", "path", "repo", "status", "created", "started", "finished",
                                "error", "dry_run", "force", "thaw_of"}) {
            const QJsonValue v = o.value(s(key));
            if (!v.isNull())
                out(QStringLiteral("%1 %2")
                        .arg(s(key) + u':', -10)
                        .arg(v.isBool() ? (v.toBool() ? QStringLiteral("yes") : QStringLiteral("no"))
                                        : v.toVariant().toString()));
        }
        if (!isFinal(t->status)) {
            out(QStringLiteral("progress:  %1/%2 files, %3/%4")
                    .arg(t->progress.files)
                    .arg(t->progress.totalFiles)
                    .arg(humanBytes(double(t->progress.bytes)), humanBytes(double(t->progress.totalBytes))));
        } else {
            out(QStringLiteral("result:    %1 file(s), %2")
                    .arg(t->result.files)
                    .arg(humanBytes(double(t->result.bytes))));
            for (const QString &a : t->result.affected)
                out(QStringLiteral("  ") + a);
            if (t->result.affectedCount > t->result.affected.size())
                out(QStringLiteral("  … and %1 more (see the task log)")
                        .arg(t->result.affectedCount - t->result.affected.size()));
        }
        return t->status == TaskStatus::Failed ? 1 : 0;
    }
    if (action == QLatin1String("log")) {
        const auto log = wait(service->taskLog(id));
        if (!log.ok())
            return fail(log.error());
        if (cmd.json())
            printJson(QJsonObject{{QStringLiteral("logs"), *log}});
        else
            std::fputs(qPrintable(*log), stdout);
        return 0;
    }
    if (action == QLatin1String("remove") || action == QLatin1String("cancel")) {
        const bool remove = action == QLatin1String("remove");
        const Result<void> r =
            wait(remove ? service->removeTask(id) : service->cancelTask(id, cmd.parser().isSet(graceful)));
        if (!r.ok())
            return fail(r.error());
        const QString info = QStringLiteral("Task %1 %2.")
                                 .arg(id, remove ? QStringLiteral("removed") : QStringLiteral("cancelled"));
        printInfo(info, cmd.json());
        return 0;
    }
    if (action == QLatin1String("thaw"))
        return submitted(cmd, wait(service->thaw(id)), cmd.parser().isSet(kWait));
    err(QStringLiteral("unknown task action \"%1\" (list, show, log, remove, cancel, thaw)").arg(action));
    return 2;
}

int cmdPin(Command &cmd, bool pin)
{
    const QCommandLineOption comment(QStringLiteral("comment"), QStringLiteral("Why it is pinned."),
                                     QStringLiteral("TEXT"));
    cmd.parser().addPositionalArgument(QStringLiteral("PATH"),
                                       QStringLiteral("File or directory inside a repo."),
                                       pin ? QStringLiteral("[PATH]") : QStringLiteral("PATH"));
    if (pin)
        cmd.parser().addOption(comment);
    if (const auto rc = cmd.prepare(pin ? 0 : 1, 1))
        return *rc;
    RemoteService *service = cmd.service();
    if (pin && cmd.positional().isEmpty()) {
        const auto pins = wait(service->pins());
        if (!pins.ok())
            return fail(pins.error());
        printList(
            *pins, cmd.json(), [](const Pin &p) { return json::toJson(p); },
            [](const Pin &p) {
                return p.comment.isEmpty() ? p.path : QStringLiteral("%1  (%2)").arg(p.path, p.comment);
            });
        return 0;
    }
    const QString path = cmd.path(0);
    const Result<void> r =
        wait(pin ? service->addPin(path, cmd.parser().value(comment)) : service->removePin(path));
    if (!r.ok())
        return fail(r.error());
    const QString info =
        pin ? QStringLiteral("Pinned %1.").arg(path) : QStringLiteral("Unpinned %1.").arg(path);
    printInfo(info, cmd.json());
    return 0;
}

int cmdRepos(Command &cmd)
{
    if (const auto rc = cmd.prepare(0, 0))
        return *rc;
    RemoteService *service = cmd.service();
    const auto repos = wait(service->repos());
    if (!repos.ok())
        return fail(repos.error());
    printList(
        *repos, cmd.json(), [](const RepoInfo &r) { return json::toJson(r); },
        [](const RepoInfo &r) {
            const QJsonObject st = r.settings;
            QString line =
                r.root + QStringLiteral("  backend=%1").arg(st.value(QStringLiteral("backend")).toString());
            if (st.value(QStringLiteral("freezable")).toBool())
                line += QStringLiteral(" freezable freeze_age=%1")
                            .arg(st.value(QStringLiteral("freeze_age")).toInt());
            if (!r.atimeMode.isEmpty())
                line += QStringLiteral(" atime=%1").arg(r.atimeMode);
            if (r.hotBytes >= 0)
                line += QStringLiteral(" hot=%1").arg(humanBytes(double(r.hotBytes)));
            if (r.coldBytes >= 0)
                line += QStringLiteral(" cold=%1").arg(humanBytes(double(r.coldBytes)));
            return line;
        });
    return 0;
}

int cmdZombie(Command &cmd)
{
    if (const auto rc = cmd.prepare(0, 0))
        return *rc;
    RemoteService *service = cmd.service();
    return submitted(cmd, wait(service->cleanupZombies()), false);
}

int cmdPinAdd(Command &cmd)
{
    return cmdPin(cmd, true);
}

int cmdUnpin(Command &cmd)
{
    return cmdPin(cmd, false);
}

struct CommandSpec
{
    const char *name;
    const char *args;
    const char *summary;
    int (*run)(Command &);
};

const CommandSpec kCommands[] = {
    {"pull", "PATH", "pull PATH (a file or directory) from the remote backup", cmdPull},
    {"freeze", "PATH", "freeze cold files under PATH (delete local copies verified on the remote)",
     cmdFreeze},
    {"preview", "PATH", "show what a freeze of PATH would do, without doing it", cmdPreview},
    {"list", "PATH", "list remote files under PATH", cmdList},
    {"tree", "PATH", "draw the remote tree under PATH, '*' after files missing locally", cmdTree},
    {"task", "list|show|log|remove|cancel|thaw [ID]", "list or act on tasks", cmdTask},
    {"pin", "[PATH]", "never freeze PATH (without PATH: list the pins)", cmdPinAdd},
    {"unpin", "PATH", "remove the pin on PATH", cmdUnpin},
    {"verify", "PATH", "check that files frozen under PATH still exist on the remote", cmdVerify},
    {"repos", "", "list the configured repositories", cmdRepos},
    {"zombie", "", "mark interrupted tasks failed", cmdZombie},
};

const CommandSpec *findCommand(const QString &name)
{
    for (const CommandSpec &c : kCommands)
        if (name == QLatin1String(c.name))
            return &c;
    return nullptr;
}

} // namespace

bool isClientCommand(const QString &command)
{
    return findCommand(command) != nullptr;
}

QString clientCommandsHelp()
{
    QString text;
    for (const CommandSpec &c : kCommands)
        text += QStringLiteral("  %1 %2\n      %3\n").arg(s(c.name), s(c.args), s(c.summary));
    return text;
}

int runClientCommand(const QString &command, const QStringList &args)
{
    const CommandSpec *spec = findCommand(command);
    if (!spec) {
        err(QStringLiteral("unknown command \"%1\"").arg(command));
        return 2;
    }
    Command cmd(command, s(spec->summary) + u'.', args);
    return spec->run(cmd);
}

} // namespace baricadr
