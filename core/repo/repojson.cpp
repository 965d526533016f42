#include "repo/repojson.h"

#include "config/reposloader.h"

#include <QJsonArray>

namespace baricadr {

QJsonObject publicSettings(const RepoConfig &repo)
{
    static const QString hidden = QStringLiteral("***");
    QJsonObject o;
    o.insert(QStringLiteral("local_path"), repo.root);
    o.insert(QStringLiteral("backend"), backendName(repo.backend));
    switch (repo.backend) {
    case Backend::Sftp:
        o.insert(QStringLiteral("url"), QString(repo.host + u':' + repo.remotePrefix));
        if (repo.port > 0)
            o.insert(QStringLiteral("port"), repo.port);
        o.insert(QStringLiteral("user"), repo.user);
        if (!repo.password.isEmpty())
            o.insert(QStringLiteral("password"), hidden);
        if (!repo.keyFile.isEmpty())
            o.insert(QStringLiteral("key_file"), repo.keyFile);
        break;
    case Backend::S3:
        o.insert(QStringLiteral("provider"), repo.provider);
        o.insert(QStringLiteral("endpoint"), repo.endpoint);
        o.insert(QStringLiteral("path"), repo.s3Path);
        if (!repo.accessKeyId.isEmpty())
            o.insert(QStringLiteral("access_key_id"), hidden);
        if (!repo.secretAccessKey.isEmpty())
            o.insert(QStringLiteral("secret_access_key"), hidden);
        if (!repo.region.isEmpty())
            o.insert(QStringLiteral("region"), repo.region);
        break;
    case Backend::Local:
        o.insert(QStringLiteral("path"), repo.localPath);
        break;
    case Backend::Rclone:
        o.insert(QStringLiteral("remote"), repo.rcloneRemote);
        o.insert(QStringLiteral("rclone_config"), repo.rcloneConfig);
        break;
    }
    o.insert(QStringLiteral("exclude"), QJsonArray::fromStringList(repo.exclude));
    o.insert(QStringLiteral("freezable"), repo.freezable);
    o.insert(QStringLiteral("freeze_age"), repo.freezeAge);
    o.insert(QStringLiteral("auto_freeze"), repo.autoFreeze);
    o.insert(QStringLiteral("auto_freeze_interval"), repo.autoFreezeInterval);
    if (repo.chownUid)
        o.insert(QStringLiteral("chown_uid"), qint64(*repo.chownUid));
    if (repo.chownGid)
        o.insert(QStringLiteral("chown_gid"), qint64(*repo.chownGid));
    o.insert(QStringLiteral("disable_atime_test"), repo.disableAtimeTest);
    o.insert(QStringLiteral("verify"), verifyModeName(repo.verify));
    if (repo.watermarkHigh)
        o.insert(QStringLiteral("freeze_watermark_high"), *repo.watermarkHigh);
    if (repo.watermarkLow)
        o.insert(QStringLiteral("freeze_watermark_low"), *repo.watermarkLow);
    o.insert(QStringLiteral("freeze_min_age"), repo.freezeMinAge);
    o.insert(QStringLiteral("verify_interval"), repo.verifyInterval);
    return o;
}

} // namespace baricadr
