#pragma once

#include "service/baricadrservice.h"
#include "util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUrlQuery>

namespace baricadr {

// Parsing and validation of the REST API's request bodies, apart from the routes so that tests
// and the fuzzer (tests/fuzz/fuzz_http_body.cpp) run exactly what the API runs, without a server.
// Every function turns any bytes into a request or an InvalidInput error with a message a user
// can act on. The path is checked for presence, type, NUL and length here; the service normalises
// it and finds its repo.
namespace apirequests {

constexpr int kMaxPathLength = 4096;

// The JSON object of a request body. An empty body is an empty object (barique sends GET
// requests with or without one).
Result<QJsonObject> bodyObject(const QByteArray &body);
Result<QString> requiredPath(const QJsonObject &body);

// POST /pull {path, email?, dry_run?}
Result<PullRequest> pull(const QByteArray &body);
// POST /freeze {path, email?, dry_run?, force?}
Result<FreezeRequest> freeze(const QByteArray &body);
// POST /freeze/preview {path, force?}: always a dry run
Result<FreezeRequest> freezePreview(const QByteArray &body);
// POST /list {path, missing?, max_depth?, from_root?, full?}
Result<ListRequest> list(const QByteArray &body);
// POST /tree {path, max_depth?}
Result<ListRequest> tree(const QByteArray &body);

struct PathRequest
{
    QString path;
    QString text; // email (verify) or comment (pins)
};
// POST /verify {path, email?}
Result<PathRequest> verify(const QByteArray &body);
// POST /pins {path, comment?}
Result<PathRequest> pinAdd(const QByteArray &body);
// DELETE /pins {path} or ?path=
Result<PathRequest> pinRemove(const QByteArray &body, const QUrlQuery &query);
// POST /tasks/<id>/cancel {graceful?}
Result<bool> cancelGraceful(const QByteArray &body);

} // namespace apirequests
} // namespace baricadr
