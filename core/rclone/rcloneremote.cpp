#include "rcloneremote.h"

#include "rclone/obscure.h"

namespace baricadr {

namespace {

// "a/b" + "c" -> "a/b/c"; "" + "c" -> "c"; "/" + "c" -> "/c"; "a/" + "" -> "a"
QString joinRemote(const QString &base, const QString &rel)
{
    if (rel.isEmpty())
        return base.size() > 1 && base.endsWith(u'/') ? base.chopped(1) : base;
    if (base.isEmpty())
        return rel;
    if (base.endsWith(u'/') || base.endsWith(u':'))
        return base + rel;
    return base + u'/' + rel;
}

} // namespace

RcloneRemote::RcloneRemote(const RepoConfig &repo)
    : m_repo(repo)
{}

QString RcloneRemote::remoteRoot() const
{
    switch (m_repo.backend) {
    case Backend::Sftp:
        return m_repo.remotePrefix;
    case Backend::S3:
        return m_repo.s3Path;
    case Backend::Local:
        return m_repo.localPath;
    case Backend::Rclone:
        return m_repo.rcloneRemote;
    }
    return QString();
}

QString RcloneRemote::spec(const QString &relPath) const
{
    if (m_repo.backend == Backend::Rclone)
        return joinRemote(m_repo.rcloneRemote, relPath);
    return kRemoteName + u':' + joinRemote(remoteRoot(), relPath);
}

QProcessEnvironment RcloneRemote::environment() const
{
    QProcessEnvironment env;
    const QProcessEnvironment sys = QProcessEnvironment::systemEnvironment();
    for (const QString &name :
         {QStringLiteral("PATH"), QStringLiteral("HOME"), QStringLiteral("TMPDIR"), QStringLiteral("LANG")}) {
        if (sys.contains(name))
            env.insert(name, sys.value(name));
    }
    if (!env.contains(QStringLiteral("PATH")))
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));

    const QString p = QStringLiteral("RCLONE_CONFIG_") + kRemoteName.toString().toUpper() + u'_';
    const auto set = [&env, &p](const char *key, const QString &value) {
        if (!value.isEmpty())
            env.insert(p + QLatin1StringView(key), value);
    };
    switch (m_repo.backend) {
    case Backend::Sftp:
        env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
        set("TYPE", QStringLiteral("sftp"));
        set("HOST", m_repo.host);
        if (m_repo.port > 0)
            set("PORT", QString::number(m_repo.port));
        set("USER", m_repo.user);
        if (!m_repo.password.isEmpty())
            set("PASS", rclone::obscure(m_repo.password));
        set("KEY_FILE", m_repo.keyFile);
        // Without these, rclone probes the server and the first files report "hash unsupported".
        set("SHELL_TYPE", QStringLiteral("unix"));
        set("MD5SUM_COMMAND", QStringLiteral("md5sum"));
        set("SHA1SUM_COMMAND", QStringLiteral("sha1sum"));
        break;
    case Backend::S3:
        env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
        set("TYPE", QStringLiteral("s3"));
        set("PROVIDER", m_repo.provider.isEmpty() ? QStringLiteral("Other") : m_repo.provider);
        set("ENDPOINT", m_repo.endpoint);
        set("REGION", m_repo.region);
        set("ACCESS_KEY_ID", m_repo.accessKeyId);
        set("SECRET_ACCESS_KEY", m_repo.secretAccessKey);
        set("ENV_AUTH", QStringLiteral("false"));
        break;
    case Backend::Local:
        env.insert(QStringLiteral("RCLONE_CONFIG"), QStringLiteral("/dev/null"));
        set("TYPE", QStringLiteral("local"));
        break;
    case Backend::Rclone:
        // The admin's own rclone.conf defines the remote (and its secrets).
        if (!m_repo.rcloneConfig.isEmpty())
            env.insert(QStringLiteral("RCLONE_CONFIG"), m_repo.rcloneConfig);
        break;
    }
    return env;
}

QString RcloneRemote::describeForLog(const QString &relPath) const
{
    switch (m_repo.backend) {
    case Backend::Sftp: {
        QString where = QStringLiteral("sftp://");
        if (!m_repo.user.isEmpty())
            where += m_repo.user + u'@';
        where += m_repo.host;
        if (m_repo.port > 0)
            where += u':' + QString::number(m_repo.port);
        const QString path = joinRemote(m_repo.remotePrefix, relPath);
        return where + (path.startsWith(u'/') ? path : QString(u'/' + path));
    }
    case Backend::S3: {
        QString endpoint = m_repo.endpoint;
        endpoint.remove(QStringLiteral("https://")).remove(QStringLiteral("http://"));
        while (endpoint.endsWith(u'/'))
            endpoint.chop(1);
        return QStringLiteral("s3://") + endpoint + u'/' + joinRemote(m_repo.s3Path, relPath);
    }
    case Backend::Local:
        return QStringLiteral("local:") + joinRemote(m_repo.localPath, relPath);
    case Backend::Rclone:
        return QStringLiteral("rclone:") + joinRemote(m_repo.rcloneRemote, relPath);
    }
    return QString();
}

} // namespace baricadr
