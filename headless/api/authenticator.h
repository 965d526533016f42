#pragma once

#include "util/result.h"

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>

namespace baricadr {

// Built-in authentication of the REST API (the original relied on a reverse proxy):
//  - HTTP Basic against an htpasswd file whose hashes are bcrypt ("$2y$", "$2b$", "$2a$"), as
//    `htpasswd -B` writes them, checked with libcrypt's crypt_r;
//  - bearer tokens, one per line in a tokens file (blank lines and "#" comments ignored).
// Both optional; with neither configured, authentication is off.
class Authenticator
{
public:
    // Loads the files; an unreadable file, a malformed line or a hash scheme other than bcrypt is
    // an error naming the file and line (ErrorCode::Config): the service refuses to start.
    static Result<Authenticator> load(const QString &htpasswdFile, const QString &tokensFile);

    bool enabled() const { return !m_users.isEmpty() || !m_tokenDigests.isEmpty(); }
    int userCount() const { return int(m_users.size()); }
    int tokenCount() const { return int(m_tokenDigests.size()); }

    // True when the Authorization header value carries valid credentials. The answer never says
    // which part was wrong. Successful Basic checks are remembered (as a SHA-256 digest of the
    // header) so that bcrypt's deliberate slowness is paid once per client, not per request.
    bool check(const QByteArray &authorization);

private:
    QHash<QByteArray, QByteArray> m_users; // user → bcrypt hash
    QSet<QByteArray> m_tokenDigests;       // SHA-256 of each token
    QSet<QByteArray> m_verified;           // SHA-256 of Authorization headers that passed
};

} // namespace baricadr
