#pragma once

#include "util/result.h"

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace baricadr {

// Where a client (CLI, GUI in remote mode) finds the service and how it authenticates.
// Read from ~/.config/baricadr/client.conf (INI, [client] group or top level):
//   server = https://host:9100
//   user = alice
//   password = …        (the file should be private: the CLI warns when others can read it)
//   token = …           (bearer token; used instead of user/password when set)
//   ca_file = /path/ca.pem  (trust this certificate for TLS, e.g. a self-signed one)
// then BARICADR_SERVER, BARICADR_USER, BARICADR_PASSWORD, BARICADR_TOKEN, BARICADR_CA_FILE
// from the environment override the file. Credentials never come from the command line.
struct ClientConfig
{
    QUrl server = QUrl(QStringLiteral("http://127.0.0.1:9100"));
    QString user;
    QString password; // secret
    QString token;    // secret
    QString caFile;
    QString sourceFile; // the file read, empty when none

    static QString defaultPath(); // $XDG_CONFIG_HOME/baricadr/client.conf
    // A missing file is fine; an unreadable or invalid one (bad server URL) is an error.
    static Result<ClientConfig> load(const QString &path, const QProcessEnvironment &env);
};

} // namespace baricadr
