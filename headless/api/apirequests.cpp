#include "api/apirequests.h"

#include "service/json.h"
#include "util/suggest.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QUtf8StringView>

namespace baricadr::apirequests {

namespace {

QString k(const char *s)
{
    return QString::fromLatin1(s);
}

} // namespace

Result<QJsonObject> bodyObject(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return QJsonObject();
    if (!QUtf8StringView(body).isValidUtf8())
        return Error(ErrorCode::InvalidInput, QStringLiteral("The request body is not valid UTF-8"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("Malformed JSON in the request body: %1 (at byte %2)")
                         .arg(parseError.errorString())
                         .arg(parseError.offset));
    if (!doc.isObject())
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("The request body must be a JSON object, got %1")
                         .arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("a scalar")));
    return doc.object();
}

Result<QString> requiredPath(const QJsonObject &body)
{
    const QJsonValue v = body.value(k("path"));
    if (v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty()))
        return Error(ErrorCode::InvalidInput, QStringLiteral("Missing \"path\""));
    if (!v.isString())
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("\"path\" must be a string, not %1").arg(json::typeName(v)));
    const QString path = v.toString();
    if (path.contains(QChar(0)))
        return Error(ErrorCode::InvalidInput, QStringLiteral("\"path\" contains a NUL character"));
    if (path.size() > kMaxPathLength)
        return Error(ErrorCode::InvalidInput,
                     QStringLiteral("\"path\" is too long (%1 characters, at most %2)")
                         .arg(path.size())
                         .arg(kMaxPathLength));
    return path;
}

// A field this route does not take is refused, never ignored: a typo such as "dryrun" or "forse"
// would otherwise run a real freeze where a dry run, or an unforced one, was meant.
static Status knownFieldsOnly(const QJsonObject &body, const QStringList &known)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (known.contains(it.key()))
            continue;
        const QString field = it.key().left(64);
        const QString near = closestName(field, known);
        return Error(ErrorCode::InvalidInput,
                     near.isEmpty()
                         ? QStringLiteral("Unknown field \"%1\" (this route takes: %2)")
                               .arg(field, known.join(QStringLiteral(", ")))
                         : QStringLiteral("Unknown field \"%1\" (did you mean \"%2\"?)").arg(field, near));
    }
    return {};
}

// Each field in turn; the first bad one is the answer.
#define BODY_OR_RETURN(var, bytes)                                                                           \
    const Result<QJsonObject> var##Result = bodyObject(bytes);                                               \
    if (!var##Result.ok())                                                                                   \
        return var##Result.error();                                                                          \
    const QJsonObject &var = var##Result.value();

#define KNOWN_FIELDS_OR_RETURN(body, ...)                                                                    \
    if (const Status known = knownFieldsOnly(body, {__VA_ARGS__}); !known.ok())                              \
        return known.error();

#define FIELD_OR_RETURN(type, var, expr)                                                                     \
    const Result<type> var##Result = (expr);                                                                 \
    if (!var##Result.ok())                                                                                   \
        return var##Result.error();                                                                          \
    const type &var = var##Result.value();

Result<PullRequest> pull(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(QString, email, json::optionalString(body, k("email")));
    FIELD_OR_RETURN(bool, dryRun, json::flag(body, k("dry_run")));
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("email"), k("dry_run"));
    return PullRequest{path, email, dryRun};
}

Result<FreezeRequest> freeze(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(QString, email, json::optionalString(body, k("email")));
    FIELD_OR_RETURN(bool, dryRun, json::flag(body, k("dry_run")));
    FIELD_OR_RETURN(bool, force, json::flag(body, k("force")));
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("email"), k("dry_run"), k("force"));
    return FreezeRequest{path, email, dryRun, force};
}

Result<FreezeRequest> freezePreview(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(bool, force, json::flag(body, k("force")));
    // A preview never acts: the fields of POST /freeze are taken too (and ignored) so that the
    // same body can be previewed, then sent.
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("force"), k("dry_run"), k("email"));
    return FreezeRequest{path, QString(), true, force};
}

Result<ListRequest> list(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(bool, missing, json::flag(body, k("missing")));
    FIELD_OR_RETURN(int, maxDepth, json::maxDepth(body));
    FIELD_OR_RETURN(bool, fromRoot, json::flag(body, k("from_root")));
    FIELD_OR_RETURN(bool, full, json::flag(body, k("full")));
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("missing"), k("max_depth"), k("from_root"), k("full"));
    return ListRequest{path, missing, maxDepth, fromRoot, full};
}

Result<ListRequest> tree(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(int, maxDepth, json::maxDepth(body));
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("max_depth"));
    return ListRequest{path, false, maxDepth, false, false};
}

Result<PathRequest> verify(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(QString, email, json::optionalString(body, k("email")));
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("email"));
    return PathRequest{path, email};
}

Result<PathRequest> pinAdd(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    FIELD_OR_RETURN(QString, path, requiredPath(body));
    FIELD_OR_RETURN(QString, comment, json::optionalString(body, k("comment")));
    KNOWN_FIELDS_OR_RETURN(body, k("path"), k("comment"));
    return PathRequest{path, comment};
}

Result<PathRequest> pinRemove(const QByteArray &bytes, const QUrlQuery &query)
{
    BODY_OR_RETURN(body, bytes);
    QJsonObject args = body;
    if (!args.contains(k("path")) && query.hasQueryItem(k("path")))
        args.insert(k("path"), query.queryItemValue(k("path"), QUrl::FullyDecoded));
    FIELD_OR_RETURN(QString, path, requiredPath(args));
    KNOWN_FIELDS_OR_RETURN(body, k("path"));
    return PathRequest{path, QString()};
}

Result<bool> cancelGraceful(const QByteArray &bytes)
{
    BODY_OR_RETURN(body, bytes);
    KNOWN_FIELDS_OR_RETURN(body, k("graceful"));
    return json::flag(body, k("graceful"));
}

#undef BODY_OR_RETURN
#undef KNOWN_FIELDS_OR_RETURN
#undef FIELD_OR_RETURN

} // namespace baricadr::apirequests
