#include "service/json.h"

#include "util/jsonnumbers.h"

#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace baricadr::json {

namespace {

QString key(const char *k)
{
    return QString::fromLatin1(k);
}

QJsonValue count(qint64 n)
{
    return n < 0 ? QJsonValue() : QJsonValue(double(n));
}

qint64 toCount(const QJsonValue &v)
{
    return json::toInt64(v, -1);
}

bool isRunning(TaskStatus s)
{
    return s == TaskStatus::Started || s == TaskStatus::Pulling || s == TaskStatus::Freezing ||
           s == TaskStatus::Verifying;
}

// Python's str() of a JSON scalar, lower-cased, as the original compared it.
QString pythonStrLower(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (std::floor(d) == d && std::abs(d) < 1e15)
            return QString::number(qint64(d)); // JSON 1 is an int for Python
        return QString::number(d);
    }
    case QJsonValue::String:
        return v.toString().toLower();
    default:
        return QStringLiteral("none");
    }
}

} // namespace

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

QString httpDateString(const QDateTime &time)
{
    if (!time.isValid())
        return QString();
    // RFC 7231 IMF-fixdate, formatted by hand: QLocale's pattern formatting costs more than the
    // rest of a task's JSON, and the task list prints three dates per task.
    static constexpr const char kDays[7][4] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char kMonths[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    char buf[40];
    const int n =
        std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[d.dayOfWeek() - 1],
                      d.day(), kMonths[d.month() - 1], d.year(), t.hour(), t.minute(), t.second());
    return QString::fromLatin1(buf, std::clamp(n, 0, int(sizeof buf) - 1));
}

QJsonValue httpDate(const QDateTime &time)
{
    if (!time.isValid())
        return QJsonValue(QJsonValue::Null);
    return httpDateString(time);
}

QDateTime parseHttpDate(const QJsonValue &value)
{
    if (!value.isString())
        return {};
    QString s = value.toString();
    if (s.endsWith(QLatin1String(" GMT")))
        s.chop(4);
    QDateTime t = QLocale::c().toDateTime(s, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss"));
    if (!t.isValid())
        return {};
    t.setTimeZone(QTimeZone::utc());
    return t;
}

QJsonObject error(const QString &message)
{
    return QJsonObject{{key("error"), message}};
}

QJsonObject toJson(const TaskProgress &p)
{
    return QJsonObject{
        {key("bytes"), double(p.bytes)},
        {key("total_bytes"), double(p.totalBytes)},
        {key("files"), double(p.files)},
        {key("total_files"), double(p.totalFiles)},
        {key("speed"), p.speed},
        {key("eta"), p.etaSeconds ? QJsonValue(double(*p.etaSeconds)) : QJsonValue()},
    };
}

QJsonObject toJson(const TaskResult &r, bool dryRun, bool withAffected)
{
    QJsonObject o{
        {key("files"), double(r.files)},
        {key("bytes"), double(r.bytes)},
        {key("dry_run"), dryRun},
        {key("kept_files"), double(r.keptFiles)},
        {key("problems"), double(r.problems)},
        {key("affected_count"), double(r.affectedCount)},
    };
    if (withAffected) {
        o.insert(key("affected"), QJsonArray::fromStringList(r.affected));
        o.insert(key("affected_truncated"), r.affectedCount > r.affected.size());
    }
    return o;
}

QJsonObject toJson(const TaskInfo &t, TaskDetail detail)
{
    QJsonObject o{
        {key("task_id"), t.id},
        {key("type"), toString(t.type)},
        {key("path"), t.path},
        {key("status"), toString(t.status)},
        {key("created"), httpDate(t.created)},
        {key("started"), httpDate(t.started)},
        {key("finished"), httpDate(t.finished)},
        {key("error"), t.error.isEmpty() ? QJsonValue() : QJsonValue(t.error)},
        {key("repo"), t.repoRoot},
        {key("dry_run"), t.options.dryRun},
        {key("force"), t.options.force},
        {key("scheduled"), t.scheduled},
        {key("thaw_of"), t.thawOf.isEmpty() ? QJsonValue() : QJsonValue(t.thawOf)},
    };
    o.insert(key("progress"), isRunning(t.status) ? QJsonValue(toJson(t.progress)) : QJsonValue());
    o.insert(key("result"), isFinal(t.status)
                                ? QJsonValue(toJson(t.result, t.options.dryRun, detail == TaskDetail::Full))
                                : QJsonValue());
    return o;
}

TaskInfo taskFromJson(const QJsonObject &o)
{
    TaskInfo t;
    t.id = o.value(key("task_id")).toString();
    t.type = taskTypeFromString(o.value(key("type")).toString()).value_or(TaskType::Pull);
    t.path = o.value(key("path")).toString();
    t.repoRoot = o.value(key("repo")).toString();
    t.status = taskStatusFromString(o.value(key("status")).toString()).value_or(TaskStatus::Waiting);
    t.created = parseHttpDate(o.value(key("created")));
    t.started = parseHttpDate(o.value(key("started")));
    t.finished = parseHttpDate(o.value(key("finished")));
    t.error = o.value(key("error")).toString();
    t.options.dryRun = o.value(key("dry_run")).toBool();
    t.options.force = o.value(key("force")).toBool();
    t.scheduled = o.value(key("scheduled")).toBool();
    t.thawOf = o.value(key("thaw_of")).toString();
    const QJsonObject p = o.value(key("progress")).toObject();
    if (!p.isEmpty()) {
        t.progress.bytes = json::toInt64(p.value(key("bytes")), 0);
        t.progress.totalBytes = json::toInt64(p.value(key("total_bytes")), 0);
        t.progress.files = json::toInt64(p.value(key("files")), 0);
        t.progress.totalFiles = json::toInt64(p.value(key("total_files")), 0);
        t.progress.speed = p.value(key("speed")).toDouble();
        if (p.value(key("eta")).isDouble())
            t.progress.etaSeconds = json::toInt64(p.value(key("eta")), 0);
    }
    const QJsonObject r = o.value(key("result")).toObject();
    if (!r.isEmpty()) {
        t.result.files = json::toInt64(r.value(key("files")), 0);
        t.result.bytes = json::toInt64(r.value(key("bytes")), 0);
        t.result.keptFiles = json::toInt64(r.value(key("kept_files")), 0);
        t.result.problems = json::toInt64(r.value(key("problems")), 0);
        t.result.affectedCount = json::toInt64(r.value(key("affected_count")), 0);
        for (const QJsonValue &a : r.value(key("affected")).toArray())
            t.result.affected.append(a.toString());
    }
    return t;
}

QJsonObject listEntry(const ListEntry &e, bool full)
{
    if (full && !e.full.isEmpty()) {
        QJsonObject o = e.full;
        o.insert(key("Path"), e.path);
        return o;
    }
    return QJsonObject{{key("Path"), e.path}};
}

QJsonObject treeEntry(const ListEntry &e)
{
    return QJsonObject{{key("Path"), e.path}, {key("missing"), e.missing}};
}

ListEntry listEntryFromJson(const QJsonObject &o)
{
    ListEntry e;
    e.path = o.value(key("Path")).toString();
    e.missing = o.value(key("missing")).toBool();
    if (o.size() > 2 || (o.size() == 2 && !o.contains(key("missing"))))
        e.full = o;
    return e;
}

QJsonObject toJson(const FreezePlan &plan, int cap)
{
    QJsonArray files;
    for (const FreezeCandidate &c : plan.toFreeze) {
        if (files.size() >= cap)
            break;
        files.append(QJsonObject{
            {key("path"), c.local.relPath},
            {key("size"), double(c.local.size)},
            {key("atime"),
             httpDate(QDateTime::fromMSecsSinceEpoch(c.local.atimeNs / 1000000, QTimeZone::utc()))},
            {key("mtime"),
             httpDate(QDateTime::fromMSecsSinceEpoch(c.local.mtimeNs / 1000000, QTimeZone::utc()))},
            {key("symlink"), c.local.isSymlink},
        });
    }
    QJsonArray kept;
    QJsonObject keptByReason;
    for (const KeptFile &k : plan.kept) {
        const QString reason = toString(k.reason);
        keptByReason.insert(reason, keptByReason.value(reason).toInt() + 1);
        if (kept.size() >= cap)
            continue;
        kept.append(QJsonObject{
            {key("path"), k.relPath},
            {key("size"), double(k.size)},
            {key("reason"), reason},
            {key("detail"), k.detail},
        });
    }
    QJsonArray histogram;
    for (const AgeBucket &b : plan.histogram) {
        histogram.append(QJsonObject{
            {key("min_days"), b.minDays},
            {key("max_days"), b.maxDays < 0 ? QJsonValue() : QJsonValue(b.maxDays)},
            {key("files"), double(b.files)},
            {key("bytes"), double(b.bytes)},
            {key("freezable_bytes"), double(b.freezableBytes)},
        });
    }
    return QJsonObject{
        {key("bytes_reclaimable"), double(plan.bytesToFreeze)},
        {key("files_count"), double(plan.toFreeze.size())},
        {key("kept_count"), double(plan.kept.size())},
        {key("kept_by_reason"), keptByReason},
        {key("files"), files},
        {key("kept"), kept},
        {key("truncated"), qsizetype(plan.toFreeze.size()) > cap || qsizetype(plan.kept.size()) > cap},
        {key("histogram"), histogram},
    };
}

FreezePlan freezePlanFromJson(const QJsonObject &o)
{
    FreezePlan plan;
    plan.bytesToFreeze = json::toInt64(o.value(key("bytes_reclaimable")), 0);
    for (const QJsonValue &v : o.value(key("files")).toArray()) {
        const QJsonObject f = v.toObject();
        FreezeCandidate c;
        c.local.relPath = f.value(key("path")).toString();
        c.local.size = json::toInt64(f.value(key("size")), 0);
        c.local.atimeNs = parseHttpDate(f.value(key("atime"))).toMSecsSinceEpoch() * 1000000;
        c.local.mtimeNs = parseHttpDate(f.value(key("mtime"))).toMSecsSinceEpoch() * 1000000;
        c.local.isSymlink = f.value(key("symlink")).toBool();
        c.remote.relPath = c.local.relPath;
        plan.toFreeze.push_back(c);
    }
    for (const QJsonValue &v : o.value(key("kept")).toArray()) {
        const QJsonObject f = v.toObject();
        KeptFile k;
        k.relPath = f.value(key("path")).toString();
        k.size = json::toInt64(f.value(key("size")), 0);
        const QString reason = f.value(key("reason")).toString();
        for (int r = 0; r <= int(KeepReason::WatermarkReached); ++r)
            if (toString(KeepReason(r)) == reason)
                k.reason = KeepReason(r);
        k.detail = f.value(key("detail")).toString();
        plan.kept.push_back(k);
    }
    for (const QJsonValue &v : o.value(key("histogram")).toArray()) {
        const QJsonObject b = v.toObject();
        AgeBucket bucket;
        bucket.minDays = b.value(key("min_days")).toInt();
        bucket.maxDays = b.value(key("max_days")).isNull() ? -1 : b.value(key("max_days")).toInt();
        bucket.files = json::toInt64(b.value(key("files")), 0);
        bucket.bytes = json::toInt64(b.value(key("bytes")), 0);
        bucket.freezableBytes = json::toInt64(b.value(key("freezable_bytes")), 0);
        plan.histogram.push_back(bucket);
    }
    return plan;
}

QJsonObject toJson(const Pin &pin)
{
    return QJsonObject{
        {key("path"), pin.path},
        {key("repo"), pin.repoRoot},
        {key("created"), httpDate(pin.created)},
        {key("comment"), pin.comment},
    };
}

Pin pinFromJson(const QJsonObject &o)
{
    Pin p;
    p.path = o.value(key("path")).toString();
    p.repoRoot = o.value(key("repo")).toString();
    p.created = parseHttpDate(o.value(key("created")));
    p.comment = o.value(key("comment")).toString();
    return p;
}

QJsonObject toJson(const RepoInfo &r)
{
    QJsonArray pins;
    for (const Pin &p : r.pins)
        pins.append(toJson(p));
    return QJsonObject{
        {key("root"), r.root},
        {key("settings"), r.settings},
        {key("atime_mode"), r.atimeMode},
        {key("pins"), pins},
        {key("usage"),
         QJsonObject{
             {key("hot_bytes"), count(r.hotBytes)},
             {key("hot_files"), count(r.hotFiles)},
             {key("cold_bytes"), count(r.coldBytes)},
             {key("cold_files"), count(r.coldFiles)},
             {key("local_only_bytes"), count(r.localOnlyBytes)},
             {key("local_only_files"), count(r.localOnlyFiles)},
             {key("remote_only_bytes"), count(r.remoteOnlyBytes)},
             {key("remote_only_files"), count(r.remoteOnlyFiles)},
             {key("scanned"), httpDate(r.scanned)},
         }},
    };
}

RepoInfo repoFromJson(const QJsonObject &o)
{
    RepoInfo r;
    r.root = o.value(key("root")).toString();
    r.settings = o.value(key("settings")).toObject();
    r.atimeMode = o.value(key("atime_mode")).toString();
    for (const QJsonValue &p : o.value(key("pins")).toArray())
        r.pins.append(pinFromJson(p.toObject()));
    const QJsonObject u = o.value(key("usage")).toObject();
    r.hotBytes = toCount(u.value(key("hot_bytes")));
    r.hotFiles = toCount(u.value(key("hot_files")));
    r.coldBytes = toCount(u.value(key("cold_bytes")));
    r.coldFiles = toCount(u.value(key("cold_files")));
    r.localOnlyBytes = toCount(u.value(key("local_only_bytes")));
    r.localOnlyFiles = toCount(u.value(key("local_only_files")));
    r.remoteOnlyBytes = toCount(u.value(key("remote_only_bytes")));
    r.remoteOnlyFiles = toCount(u.value(key("remote_only_files")));
    r.scanned = parseHttpDate(u.value(key("scanned")));
    return r;
}

Result<bool> flag(const QJsonObject &body, const QString &name, bool fallback)
{
    const QJsonValue v = body.value(name);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (v.isArray() || v.isObject())
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("\"%1\" must be a boolean, not %2").arg(name, typeName(v)));
    // The original took "true"/"1"/"yes" (any case, as Python's str() prints the value) as true and
    // anything else as false, so a typo silently meant false — for dry_run, a real freeze. The
    // usual false spellings still mean false; anything else is refused.
    const QString s = pythonStrLower(v);
    if (s == QLatin1String("true") || s == QLatin1String("1") || s == QLatin1String("yes"))
        return true;
    if (s == QLatin1String("false") || s == QLatin1String("0") || s == QLatin1String("no") || s.isEmpty())
        return false;
    return Error(ErrorCode::InvalidInput,
                 QStringLiteral("\"%1\" must be a boolean (true/false, or \"true\"/\"1\"/\"yes\", "
                                "\"false\"/\"0\"/\"no\"), not \"%2\"")
                     .arg(name, v.isString() ? v.toString().left(40) : s));
}

Result<QString> optionalString(const QJsonObject &body, const QString &name)
{
    const QJsonValue v = body.value(name);
    if (v.isUndefined() || v.isNull())
        return QString();
    if (!v.isString())
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("\"%1\" must be a string, not %2").arg(name, typeName(v)));
    QString s = v.toString();
    if (s.contains(QChar(0)))
        return Error(ErrorCode::InvalidInput, QStringLiteral("\"%1\" contains a NUL character").arg(name));
    return s;
}

Result<int> maxDepth(const QJsonObject &body)
{
    const QString name = QStringLiteral("max_depth");
    if (!body.contains(name))
        return 1;
    const QJsonValue v = body.value(name);
    const auto bad = [&] {
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("\"max_depth\" must be an integer (0 = unlimited), not %1")
                         .arg(v.isString() ? u'"' + v.toString().left(40) + u'"' : typeName(v)));
    };
    // As the original read it, int(value) handed to rclone --max-depth: true is 1, 2.5 is 2, a
    // negative depth is no limit (rclone's reading); falsy values are 0 = unlimited.
    const auto depth = [](double d) {
        const double t = std::trunc(d);
        return t < 0 || t > 1e6 ? 0 : int(t); // deeper than any tree: no limit
    };
    switch (v.type()) {
    case QJsonValue::Null:
        return 0;
    case QJsonValue::Bool:
        return v.toBool() ? 1 : 0;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (!std::isfinite(d))
            return bad();
        return depth(d);
    }
    case QJsonValue::String: {
        const QString s = v.toString().trimmed();
        if (s.isEmpty())
            return 0;
        bool ok = false;
        const qlonglong n = s.toLongLong(&ok);
        if (!ok)
            return bad();
        return depth(double(n));
    }
    default:
        return bad();
    }
}

} // namespace baricadr::json
