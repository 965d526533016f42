#pragma once

#include "repo/repoconfig.h"

#include <QJsonObject>

namespace baricadr {

// A repo's settings for users (API, CLI --json, GUI), with the original's repos.yml key names:
// "local_path" (the canonical root), "backend", the backend's keys and the common keys.
// Secrets are never included: "password", "access_key_id" and "secret_access_key" appear as
// "***" when set and are absent otherwise.
QJsonObject publicSettings(const RepoConfig &repo);

} // namespace baricadr
