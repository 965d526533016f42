#include "api/authenticator.h"

#include <QCryptographicHash>
#include <QFile>

#include <crypt.h>

#include <memory>

namespace baricadr {

namespace {

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

Result<QList<QByteArray>> readLines(const QString &file, const char *key)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Config,
                     QStringLiteral("%1: cannot read %2: %3").arg(QLatin1String(key), file, f.errorString()));
    return f.readAll().split('\n');
}

} // namespace

Result<Authenticator> Authenticator::load(const QString &htpasswdFile, const QString &tokensFile)
{
    Authenticator auth;
    if (!htpasswdFile.isEmpty()) {
        const auto lines = readLines(htpasswdFile, "AUTH_HTPASSWD_FILE");
        if (!lines.ok())
            return lines.error();
        int lineNo = 0;
        for (QByteArray line : *lines) {
            ++lineNo;
            line = line.trimmed();
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            const qsizetype colon = line.indexOf(':');
            const QString where = QStringLiteral("AUTH_HTPASSWD_FILE %1:%2").arg(htpasswdFile).arg(lineNo);
            if (colon <= 0)
                return Error(ErrorCode::Config, where + QStringLiteral(": expected \"user:hash\""));
            const QByteArray user = line.left(colon);
            const QByteArray hash = line.mid(colon + 1);
            if (!(hash.startsWith("$2y$") || hash.startsWith("$2b$") || hash.startsWith("$2a$")) ||
                hash.size() < 60)
                return Error(ErrorCode::Config,
                             where + QStringLiteral(
                                         ": user \"%1\" has a password hash that is not bcrypt; only bcrypt "
                                         "hashes are accepted (create them with `htpasswd -B`)")
                                         .arg(QString::fromUtf8(user)));
            auth.m_users.insert(user, hash);
        }
        if (auth.m_users.isEmpty())
            return Error(ErrorCode::Config,
                         QStringLiteral("AUTH_HTPASSWD_FILE %1: no user defined").arg(htpasswdFile));
    }
    if (!tokensFile.isEmpty()) {
        const auto lines = readLines(tokensFile, "AUTH_TOKENS_FILE");
        if (!lines.ok())
            return lines.error();
        int lineNo = 0;
        for (QByteArray line : *lines) {
            ++lineNo;
            line = line.trimmed();
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            if (line.size() < 16)
                return Error(
                    ErrorCode::Config,
                    QStringLiteral("AUTH_TOKENS_FILE %1:%2: token too short (at least 16 characters)")
                        .arg(tokensFile)
                        .arg(lineNo));
            auth.m_tokenDigests.insert(sha256(line));
        }
        if (auth.m_tokenDigests.isEmpty())
            return Error(ErrorCode::Config,
                         QStringLiteral("AUTH_TOKENS_FILE %1: no token defined").arg(tokensFile));
    }
    return auth;
}

bool Authenticator::check(const QByteArray &authorization)
{
    if (authorization.startsWith("Bearer ")) {
        const QByteArray token = authorization.mid(7).trimmed();
        return !token.isEmpty() && m_tokenDigests.contains(sha256(token));
    }
    if (!authorization.startsWith("Basic ") || m_users.isEmpty())
        return false;
    const QByteArray digest = sha256(authorization);
    if (m_verified.contains(digest))
        return true;
    const QByteArray decoded = QByteArray::fromBase64(authorization.mid(6).trimmed());
    const qsizetype colon = decoded.indexOf(':');
    if (colon < 0)
        return false;
    const QByteArray user = decoded.left(colon);
    const QByteArray password = decoded.mid(colon + 1);
    // An unknown user still costs one bcrypt run, so timing does not tell users apart.
    static const QByteArray kDummy = "$2y$05$abcdefghijklmnopqrstuuQ8eQ3bB5m0l3Eu9Yh9fUwzW1Yq2Uj7a";
    const auto it = m_users.constFind(user);
    const QByteArray &hash = it == m_users.constEnd() ? kDummy : it.value();
    auto data = std::make_unique<crypt_data>();
    const char *out = crypt_r(password.constData(), hash.constData(), data.get());
    const bool ok = it != m_users.constEnd() && out && constantTimeEquals(QByteArray(out), hash);
    if (ok) {
        if (m_verified.size() > 4096)
            m_verified.clear();
        m_verified.insert(digest);
    }
    return ok;
}

} // namespace baricadr
