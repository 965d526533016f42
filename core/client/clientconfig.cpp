#include "client/clientconfig.h"

#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace baricadr {

QString ClientConfig::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/baricadr/client.conf");
}

Result<ClientConfig> ClientConfig::load(const QString &path, const QProcessEnvironment &env)
{
    ClientConfig config;
    const QString file = path.isEmpty() ? defaultPath() : path;
    QString serverText;
    if (QFileInfo::exists(file)) {
        if (!QFileInfo(file).isReadable())
            return Error(ErrorCode::Config,
                         QStringLiteral("%1: cannot read the client configuration").arg(file));
        QSettings ini(file, QSettings::IniFormat);
        if (ini.status() != QSettings::NoError)
            return Error(ErrorCode::Config, QStringLiteral("%1: not a valid INI file").arg(file));
        const auto get = [&ini](const char *k) {
            const QString name = QString::fromLatin1(k);
            const QString grouped = QStringLiteral("client/") + name;
            return ini.contains(grouped) ? ini.value(grouped).toString() : ini.value(name).toString();
        };
        serverText = get("server");
        config.user = get("user");
        config.password = get("password");
        config.token = get("token");
        config.caFile = get("ca_file");
        config.sourceFile = file;
    }
    const auto override = [&env](const char *name, QString *target) {
        const QString k = QString::fromLatin1(name);
        if (!env.value(k).isEmpty()) // set but empty = unset, as shells mean it
            *target = env.value(k);
    };
    override("BARICADR_SERVER", &serverText);
    override("BARICADR_USER", &config.user);
    override("BARICADR_PASSWORD", &config.password);
    override("BARICADR_TOKEN", &config.token);
    override("BARICADR_CA_FILE", &config.caFile);
    if (!serverText.isEmpty()) {
        const QUrl url(serverText, QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty())
            return Error(
                ErrorCode::Config,
                QStringLiteral("%1: server must be an http:// or https:// URL, got \"%2\"")
                    .arg(config.sourceFile.isEmpty() ? QStringLiteral("BARICADR_SERVER") : config.sourceFile,
                         serverText));
        config.server = url;
    }
    return config;
}

} // namespace baricadr
