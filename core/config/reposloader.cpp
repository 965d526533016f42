#include "config/reposloader.h"

#include "repo/exclude.h"
#include "repo/filesystem.h"
#include "util/paths.h"
#include "util/suggest.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace baricadr {

namespace {

constexpr int MaxErrors = 50;

const char *const commonKeys[] = {
    "exclude",
    "freezable",
    "freeze_age",
    "auto_freeze",
    "auto_freeze_interval",
    "chown_uid",
    "chown_gid",
    "disable_atime_test",
    "verify",
    "freeze_watermark_high",
    "freeze_watermark_low",
    "freeze_min_age",
    "verify_interval",
};
const char *const sftpKeys[] = {"url", "port", "user", "password", "key_file"};
const char *const s3Keys[] = {"provider", "endpoint", "path", "access_key_id", "secret_access_key", "region"};
const char *const localKeys[] = {"path"};
const char *const rcloneKeys[] = {"remote", "rclone_config"};
const char *const secretRepoKeys[] = {"password", "access_key_id", "secret_access_key"};

template<size_t N> QStringList toList(const char *const (&keys)[N])
{
    QStringList out;
    for (const char *k : keys)
        out.append(QLatin1String(k));
    return out;
}

bool isSecretKey(const QString &key)
{
    for (const char *k : secretRepoKeys) {
        if (key == QLatin1String(k))
            return true;
    }
    return false;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

int lineOf(const YAML::Node &node, int fallback)
{
    const YAML::Mark mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : fallback;
}

QString describeNodeType(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return QStringLiteral("a map");
    case YAML::NodeType::Sequence:
        return QStringLiteral("a list");
    case YAML::NodeType::Null:
        return QStringLiteral("an empty value");
    default:
        return QStringLiteral("a value");
    }
}

// One key: value of a repo's settings, with the line of its value (or key when the value has none).
struct Entry
{
    QString key;
    YAML::Node value;
    int keyLine = 0;
    int valueLine = 0;
};

// Only notes where a document starts (to tell one document from several).
// True unless `node` is a quoted scalar whose closing quote is not on the line it starts on.
// YAML lets a quoted value run over lines, so a forgotten closing quote (`exclude: "*.xml`)
// silently swallows the lines after it, other repositories included, up to the next quote.
// Nobody writes a repos.yml value over several lines: such a value is refused.
bool quoteEndsOnItsLine(const std::string &text, const YAML::Node &node)
{
    if (!node.IsScalar())
        return true;
    const YAML::Mark mark = node.Mark();
    if (mark.pos < 0 || size_t(mark.pos) >= text.size())
        return true;
    const char quote = text[size_t(mark.pos)];
    if (quote != '"' && quote != '\'')
        return true;
    for (size_t i = size_t(mark.pos) + 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n' || c == '\r')
            return false;
        if (quote == '"' && c == '\\') {
            ++i; // an escaped character (an escaped line break also continues the value)
            if (i < text.size() && (text[i] == '\n' || text[i] == '\r'))
                return false;
            continue;
        }
        if (c == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                ++i; // '' is a quote inside single quotes
                continue;
            }
            return true;
        }
    }
    return false;
}

struct DocumentProbe : YAML::EventHandler
{
    YAML::Mark start;
    void OnDocumentStart(const YAML::Mark &mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {}
    void OnMapEnd() override {}
};

class Loader
{
public:
    Loader(const QString &source, const ReposLoadOptions &options)
        : m_source(source)
        , m_options(options)
    {}

    Result<QList<RepoConfig>> load(const QByteArray &yaml);

private:
    struct Pending
    {
        RepoConfig repo;
        QString writtenPath; // the key as written in repos.yml
        bool valid = true;
    };

    // Every repository name, setting name and value (list items too) must close its quotes on the
    // line it starts on; false (with the errors) otherwise.
    bool checkQuotes(const std::string &text, const YAML::Node &root)
    {
        const auto check = [&](const YAML::Node &node, const QString &repo, const QString &what) {
            if (quoteEndsOnItsLine(text, node))
                return true;
            error(
                lineOf(node, 1), repo,
                QStringLiteral("%1 opens a quote that does not close on its line (a missing closing quote?): "
                               "a quoted value must end on the line where it starts, else it swallows the "
                               "lines after it")
                    .arg(what));
            return false;
        };
        bool ok = true;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node settings = it->second;
            if (!check(key, QString(), QStringLiteral("the repository path")))
                return false; // what follows was swallowed: nothing more to say about it
            const QString repo = key.IsScalar() ? qs(key.Scalar()) : QString();
            if (!settings.IsMap())
                continue;
            for (auto s = settings.begin(); s != settings.end(); ++s) {
                const YAML::Node name = s->first;
                const YAML::Node value = s->second;
                const QString keyName = name.IsScalar() ? qs(name.Scalar()) : QString();
                ok = check(name, repo, QStringLiteral("the setting name")) && ok;
                if (value.IsSequence()) {
                    for (const YAML::Node &item : value)
                        ok = check(item, repo, keyName) && ok;
                } else {
                    ok = check(value, repo, keyName) && ok;
                }
            }
        }
        return ok;
    }

    void error(int line, const QString &repo, const QString &text)
    {
        if (m_errors.size() >= MaxErrors)
            return;
        QString msg = m_source + u':' + QString::number(line) + QStringLiteral(": ");
        if (!repo.isEmpty())
            msg += repo + QStringLiteral(": ");
        m_errors.append(msg + text);
    }
    void valueError(const Pending &p, const Entry &e, const QString &allowed)
    {
        QString got;
        if (isSecretKey(e.key))
            got = QString();
        else if (e.value.IsScalar())
            got = QStringLiteral(", got \"%1\"").arg(qs(e.value.Scalar()));
        else
            got = QStringLiteral(", got %1").arg(describeNodeType(e.value));
        error(e.valueLine, p.writtenPath, e.key + u' ' + allowed + got);
    }

    std::vector<Entry> entriesOf(const YAML::Node &map, const QString &repo, int repoLine, bool *ok);
    void parseRepo(const QString &writtenPath, const YAML::Node &settings, int line);
    std::optional<QString> scalar(Pending &p, const Entry &e, bool allowEmpty = false);
    std::optional<qint64> integer(Pending &p, const Entry &e, qint64 min, qint64 max, const QString &unit);
    std::optional<bool> boolean(Pending &p, const Entry &e);
    void resolveFilesystem();

    QString m_source;
    ReposLoadOptions m_options;
    QStringList m_errors;
    std::vector<Pending> m_repos;
};

std::vector<Entry> Loader::entriesOf(const YAML::Node &map, const QString &repo, int repoLine, bool *ok)
{
    std::vector<Entry> out;
    QHash<QString, int> seen;
    std::vector<Entry> merged; // from YAML merge keys ("<<: *defaults"): explicit keys win
    for (auto it = map.begin(); it != map.end(); ++it) {
        // Copies: `it->` yields a temporary proxy, so a reference into it would dangle.
        const YAML::Node key = it->first;
        const YAML::Node value = it->second;
        const int keyLine = lineOf(key, repoLine);
        if (!key.IsScalar()) {
            error(keyLine, repo,
                  QStringLiteral("a setting name must be a plain word, got %1").arg(describeNodeType(key)));
            *ok = false;
            continue;
        }
        const QString name = qs(key.Scalar());
        if (name == u"<<" && key.Tag() != "tag:yaml.org,2002:str") {
            std::vector<YAML::Node> sources;
            if (value.IsMap())
                sources.push_back(value);
            else if (value.IsSequence()) {
                for (const auto &n : value)
                    sources.push_back(n);
            }
            for (const YAML::Node &src : sources) {
                if (!src.IsMap()) {
                    error(keyLine, repo, QStringLiteral("a merge key (<<) must refer to a map of settings"));
                    *ok = false;
                    continue;
                }
                for (auto m = src.begin(); m != src.end(); ++m) {
                    const YAML::Node mkey = m->first;
                    const YAML::Node mvalue = m->second;
                    if (!mkey.IsScalar())
                        continue;
                    merged.push_back(Entry{qs(mkey.Scalar()), mvalue, keyLine,
                                           mvalue.IsNull() ? keyLine : lineOf(mvalue, keyLine)});
                }
            }
            if (sources.empty()) {
                error(keyLine, repo, QStringLiteral("a merge key (<<) must refer to a map of settings"));
                *ok = false;
            }
            continue;
        }
        if (seen.contains(name)) {
            error(keyLine, repo,
                  QStringLiteral("duplicate key \"%1\" (already set at line %2)")
                      .arg(name)
                      .arg(seen.value(name)));
            *ok = false;
            continue;
        }
        seen.insert(name, keyLine);
        // An empty value's mark points at the next token, often on the next line: use the key's.
        out.push_back(Entry{name, value, keyLine, value.IsNull() ? keyLine : lineOf(value, keyLine)});
    }
    for (Entry &e : merged) {
        if (!seen.contains(e.key)) {
            seen.insert(e.key, e.keyLine);
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::optional<QString> Loader::scalar(Pending &p, const Entry &e, bool allowEmpty)
{
    if (e.value.IsNull() && !allowEmpty) {
        error(e.valueLine, p.writtenPath, e.key + QStringLiteral(" must not be empty"));
        p.valid = false;
        return std::nullopt;
    }
    if (!e.value.IsScalar() && !(allowEmpty && e.value.IsNull())) {
        valueError(p, e, QStringLiteral("must be a single value"));
        p.valid = false;
        return std::nullopt;
    }
    const QString v = e.value.IsScalar() ? qs(e.value.Scalar()) : QString();
    if (!allowEmpty && v.trimmed().isEmpty()) {
        valueError(p, e, QStringLiteral("must not be empty"));
        p.valid = false;
        return std::nullopt;
    }
    return v;
}

std::optional<qint64> Loader::integer(Pending &p, const Entry &e, qint64 min, qint64 max, const QString &unit)
{
    bool ok = false;
    qint64 v = 0;
    if (e.value.IsScalar())
        v = qs(e.value.Scalar()).trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max) {
        valueError(p, e,
                   QStringLiteral("must be an integer between %1 and %2%3").arg(min).arg(max).arg(unit));
        p.valid = false;
        return std::nullopt;
    }
    return v;
}

std::optional<bool> Loader::boolean(Pending &p, const Entry &e)
{
    if (e.value.IsScalar()) {
        const QString v = qs(e.value.Scalar()).trimmed().toLower();
        if (v == u"true" || v == u"yes" || v == u"on" || v == u"1")
            return true;
        if (v == u"false" || v == u"no" || v == u"off" || v == u"0")
            return false;
    }
    valueError(p, e, QStringLiteral("must be true or false"));
    p.valid = false;
    return std::nullopt;
}

void Loader::parseRepo(const QString &writtenPath, const YAML::Node &settings, int line)
{
    Pending p;
    p.writtenPath = writtenPath;
    p.repo.sourceFile = m_source;
    p.repo.sourceLine = line;

    if (!writtenPath.startsWith(u'/')) {
        error(line, writtenPath, QStringLiteral("a repository path must be absolute (start with /)"));
        p.valid = false;
    } else if (const auto norm = paths::normalize(writtenPath); !norm) {
        error(line, writtenPath, norm.error().message);
        p.valid = false;
    } else if (*norm == u"/") {
        error(line, writtenPath, QStringLiteral("the filesystem root cannot be a repository"));
        p.valid = false;
    } else {
        p.repo.root = *norm;
    }

    if (!settings.IsMap()) {
        if (settings.IsNull())
            error(line, writtenPath, QStringLiteral("no settings: at least \"backend\" is required"));
        else
            error(lineOf(settings, line), writtenPath,
                  QStringLiteral("settings must be a map of key: value, got %1")
                      .arg(describeNodeType(settings)));
        m_repos.push_back(std::move(p));
        m_repos.back().valid = false;
        return;
    }

    bool ok = true;
    const std::vector<Entry> entries = entriesOf(settings, writtenPath, line, &ok);
    if (!ok)
        p.valid = false;

    // The backend decides which keys are allowed.
    const Entry *backendEntry = nullptr;
    for (const Entry &e : entries) {
        if (e.key == u"backend")
            backendEntry = &e;
    }
    std::optional<Backend> backend;
    if (!backendEntry) {
        error(line, writtenPath,
              QStringLiteral("missing required key \"backend\" (one of sftp, s3, local, rclone)"));
        p.valid = false;
    } else if (const auto b = scalar(p, *backendEntry)) {
        const QString v = b->trimmed().toLower();
        if (v == u"sftp")
            backend = Backend::Sftp;
        else if (v == u"s3")
            backend = Backend::S3;
        else if (v == u"local")
            backend = Backend::Local;
        else if (v == u"rclone")
            backend = Backend::Rclone;
        else {
            valueError(p, *backendEntry, QStringLiteral("must be one of sftp, s3, local, rclone"));
            p.valid = false;
        }
    }
    if (backend)
        p.repo.backend = *backend;

    QHash<QString, const Entry *> byKey;
    const QStringList common = reposCommonKeys();
    for (const Entry &e : entries) {
        if (e.key == u"backend")
            continue;
        byKey.insert(e.key, &e);
        if (common.contains(e.key))
            continue;
        if (!backend)
            continue; // cannot judge backend keys without a backend
        const QStringList own = reposBackendKeys(*backend);
        if (own.contains(e.key))
            continue;
        p.valid = false;
        QString owner;
        for (Backend other : {Backend::Sftp, Backend::S3, Backend::Local, Backend::Rclone}) {
            if (reposBackendKeys(other).contains(e.key)) {
                owner = backendName(other);
                break;
            }
        }
        if (!owner.isEmpty()) {
            error(e.keyLine, writtenPath,
                  QStringLiteral("key \"%1\" is not used by backend %2 (it is a setting of backend %3)")
                      .arg(e.key, backendName(*backend), owner));
            continue;
        }
        const QString suggestion = closestName(e.key, common + own + QStringList{QStringLiteral("backend")});
        if (!suggestion.isEmpty())
            error(e.keyLine, writtenPath,
                  QStringLiteral("unknown key \"%1\" (did you mean \"%2\"?)").arg(e.key, suggestion));
        else
            error(e.keyLine, writtenPath,
                  QStringLiteral("unknown key \"%1\" (allowed for backend %2: backend, %3)")
                      .arg(e.key, backendName(*backend), (own + common).join(QStringLiteral(", "))));
    }

    auto get = [&](const char *key) -> const Entry * { return byKey.value(QLatin1String(key), nullptr); };
    auto require = [&](const char *key) -> const Entry * {
        const Entry *e = get(key);
        if (!e) {
            error(line, writtenPath,
                  QStringLiteral("missing required key \"%1\" for backend %2")
                      .arg(QLatin1String(key), backendName(p.repo.backend)));
            p.valid = false;
        }
        return e;
    };
    auto requiredString = [&](const char *key, QString *out) {
        if (const Entry *e = require(key)) {
            if (const auto v = scalar(p, *e))
                *out = *v;
        }
    };
    auto optionalString = [&](const char *key, QString *out) {
        if (const Entry *e = get(key)) {
            if (const auto v = scalar(p, *e))
                *out = *v;
        }
    };
    auto existingFile = [&](const char *key, const QString &path) {
        const Entry *e = get(key);
        if (!e || path.isEmpty())
            return;
        if (!path.startsWith(u'/')) {
            valueError(p, *e, QStringLiteral("must be an absolute path"));
            p.valid = false;
        } else if (m_options.checkFiles && !QFileInfo(path).isReadable()) {
            valueError(p, *e,
                       QStringLiteral("must be a readable file (it does not exist or cannot be read)"));
            p.valid = false;
        }
    };

    if (backend == Backend::Sftp) {
        if (const Entry *e = require("url")) {
            if (const auto v = scalar(p, *e)) {
                // HOST:PREFIX, or [IPv6]:PREFIX.
                int colon = int(v->indexOf(u':'));
                QString host = colon > 0 ? v->left(colon).trimmed() : QString();
                if (v->startsWith(u'[')) {
                    const int close = int(v->indexOf(QLatin1String("]:")));
                    colon = close > 1 ? close + 1 : -1;
                    host = close > 1 ? v->mid(1, close - 1) : QString();
                }
                if (colon <= 0 || host.isEmpty() || host.contains(u'/') || host.contains(u' ') ||
                    host.contains(u'[')) {
                    valueError(
                        p, *e,
                        QStringLiteral("must be HOST:PREFIX, e.g. backup.example.org:/backups/projectA"));
                    p.valid = false;
                } else {
                    p.repo.host = host;
                    p.repo.remotePrefix = v->mid(colon + 1).trimmed();
                }
            }
        }
        if (const Entry *e = get("port")) {
            if (const auto v = integer(p, *e, 1, 65535, QString()))
                p.repo.port = int(*v);
        }
        requiredString("user", &p.repo.user);
        optionalString("password", &p.repo.password);
        optionalString("key_file", &p.repo.keyFile);
        const bool hasPassword = get("password") != nullptr;
        const bool hasKey = get("key_file") != nullptr;
        if (hasPassword && hasKey) {
            error(get("key_file")->keyLine, writtenPath,
                  QStringLiteral("set either password or key_file, not both"));
            p.valid = false;
        } else if (!hasPassword && !hasKey) {
            error(line, writtenPath,
                  QStringLiteral("missing required key \"password\" or \"key_file\" for backend sftp"));
            p.valid = false;
        }
        existingFile("key_file", p.repo.keyFile);
    } else if (backend == Backend::S3) {
        requiredString("provider", &p.repo.provider);
        if (const Entry *e = require("endpoint")) {
            if (const auto v = scalar(p, *e)) {
                const QString t = v->trimmed();
                if (!t.startsWith(QLatin1String("http://")) && !t.startsWith(QLatin1String("https://"))) {
                    valueError(p, *e, QStringLiteral("must be an http:// or https:// URL"));
                    p.valid = false;
                } else {
                    p.repo.endpoint = t;
                }
            }
        }
        if (const Entry *e = require("path")) {
            if (const auto v = scalar(p, *e)) {
                QString t = v->trimmed();
                while (t.startsWith(u'/'))
                    t.remove(0, 1);
                if (t.isEmpty()) {
                    valueError(p, *e, QStringLiteral("must be BUCKET or BUCKET/PREFIX"));
                    p.valid = false;
                } else {
                    p.repo.s3Path = t;
                }
            }
        }
        requiredString("access_key_id", &p.repo.accessKeyId);
        requiredString("secret_access_key", &p.repo.secretAccessKey);
        optionalString("region", &p.repo.region);
    } else if (backend == Backend::Local) {
        if (const Entry *e = require("path")) {
            if (const auto v = scalar(p, *e)) {
                if (!v->startsWith(u'/')) {
                    valueError(p, *e, QStringLiteral("must be an absolute path to the mounted backup"));
                    p.valid = false;
                } else if (m_options.checkFiles && !QFileInfo(*v).isDir()) {
                    valueError(
                        p, *e,
                        QStringLiteral("must be an existing directory (is the backup filesystem mounted?)"));
                    p.valid = false;
                } else {
                    const auto norm = paths::normalize(*v);
                    p.repo.localPath = norm ? *norm : *v;
                }
            }
        }
    } else if (backend == Backend::Rclone) {
        if (const Entry *e = require("remote")) {
            if (const auto v = scalar(p, *e)) {
                static const QRegularExpression remoteRe(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_. -]*:.*$"));
                if (!remoteRe.match(*v).hasMatch()) {
                    valueError(
                        p, *e,
                        QStringLiteral(
                            "must be NAME:PATH naming a remote of rclone_config (e.g. mybackup:projectD)"));
                    p.valid = false;
                } else {
                    p.repo.rcloneRemote = v->trimmed();
                }
            }
        }
        requiredString("rclone_config", &p.repo.rcloneConfig);
        existingFile("rclone_config", p.repo.rcloneConfig);
    }

    // Common keys.
    if (const Entry *e = get("exclude")) {
        if (e->value.IsSequence()) {
            for (const auto &item : e->value) {
                if (!item.IsScalar()) {
                    valueError(
                        p, *e,
                        QStringLiteral("must be a comma-separated list of patterns or a list of strings"));
                    p.valid = false;
                    break;
                }
                p.repo.exclude += splitExcludeList(qs(item.Scalar()));
            }
        } else if (const auto v = scalar(p, *e, true)) {
            p.repo.exclude = splitExcludeList(*v);
        }
    }
    auto optBool = [&](const char *key, bool *out) {
        if (const Entry *e = get(key)) {
            if (const auto v = boolean(p, *e))
                *out = *v;
        }
    };
    auto optInt = [&](const char *key, qint64 min, qint64 max, const QString &unit) -> std::optional<qint64> {
        if (const Entry *e = get(key))
            return integer(p, *e, min, max, unit);
        return std::nullopt;
    };
    const QString days = QStringLiteral(" days");
    optBool("freezable", &p.repo.freezable);
    optBool("auto_freeze", &p.repo.autoFreeze);
    optBool("disable_atime_test", &p.repo.disableAtimeTest);
    if (const auto v = optInt("freeze_age", 2, 10000, days))
        p.repo.freezeAge = int(*v);
    if (const auto v = optInt("auto_freeze_interval", 2, 10000, days))
        p.repo.autoFreezeInterval = int(*v);
    if (const auto v = optInt("chown_uid", 0, 65536, QString()))
        p.repo.chownUid = uint(*v);
    if (const auto v = optInt("chown_gid", 0, 65536, QString()))
        p.repo.chownGid = uint(*v);
    if (const auto v = optInt("freeze_min_age", 0, 10000, days))
        p.repo.freezeMinAge = int(*v);
    if (const auto v = optInt("verify_interval", 0, 10000, QStringLiteral(" days (0 = never)")))
        p.repo.verifyInterval = int(*v);
    if (const Entry *e = get("verify")) {
        if (const auto v = scalar(p, *e)) {
            const QString t = v->trimmed().toLower();
            if (t == u"size")
                p.repo.verify = VerifyMode::Size;
            else if (t == u"checksum")
                p.repo.verify = VerifyMode::Checksum;
            else {
                valueError(p, *e, QStringLiteral("must be \"size\" or \"checksum\""));
                p.valid = false;
            }
        }
    }
    const auto high = optInt("freeze_watermark_high", 1, 100, QStringLiteral(" (percent of the filesystem)"));
    const auto low = optInt("freeze_watermark_low", 1, 100, QStringLiteral(" (percent of the filesystem)"));
    if (high)
        p.repo.watermarkHigh = int(*high);
    if (low)
        p.repo.watermarkLow = int(*low);
    if (high && low && *low >= *high) {
        error(get("freeze_watermark_low")->valueLine, writtenPath,
              QStringLiteral("freeze_watermark_low (%1) must be lower than freeze_watermark_high (%2)")
                  .arg(*low)
                  .arg(*high));
        p.valid = false;
    } else if (high && !get("freeze_watermark_low")) {
        error(
            get("freeze_watermark_high")->keyLine, writtenPath,
            QStringLiteral(
                "freeze_watermark_high needs freeze_watermark_low (the usage a watermark freeze stops at)"));
        p.valid = false;
    } else if (low && !get("freeze_watermark_high")) {
        error(get("freeze_watermark_low")->keyLine, writtenPath,
              QStringLiteral("freeze_watermark_low needs freeze_watermark_high (the usage that starts a "
                             "watermark freeze)"));
        p.valid = false;
    }
    if (!p.repo.freezable) {
        for (const char *key : {"auto_freeze", "freeze_watermark_high"}) {
            const Entry *e = get(key);
            if (!e || !p.valid)
                continue;
            if (QLatin1String(key) == QLatin1String("auto_freeze") && !p.repo.autoFreeze)
                continue;
            error(e->keyLine, writtenPath,
                  QStringLiteral("%1 needs freezable: true (this repository is not freezable)")
                      .arg(QLatin1String(key)));
            p.valid = false;
        }
    }
    m_repos.push_back(std::move(p));
}

// Second phase, only when every repo parsed: create dirs, resolve symlinks, refuse overlaps,
// test atime. Nothing touches the disk for a file that has syntax or value errors.
void Loader::resolveFilesystem()
{
    for (Pending &p : m_repos) {
        const QString root = p.repo.root;
        QFileInfo info(root);
        if (!info.exists() && info.isSymLink()) {
            error(p.repo.sourceLine, p.writtenPath,
                  QStringLiteral("is a symbolic link to a missing directory"));
            p.valid = false;
            continue;
        }
        if (!info.exists()) {
            if (!m_options.createMissingDirs)
                continue; // keep the lexical path: nothing to resolve yet
            if (!QDir().mkpath(root)) {
                const int err = errno;
                error(p.repo.sourceLine, p.writtenPath,
                      QStringLiteral("the directory does not exist and could not be created (%1)")
                          .arg(QString::fromLocal8Bit(std::strerror(err))));
                p.valid = false;
                continue;
            }
        }
        char resolved[PATH_MAX];
        if (!::realpath(QFile::encodeName(root).constData(), resolved)) {
            error(p.repo.sourceLine, p.writtenPath,
                  QStringLiteral("cannot resolve the path (%1)")
                      .arg(QString::fromLocal8Bit(std::strerror(errno))));
            p.valid = false;
            continue;
        }
        p.repo.root = QFile::decodeName(resolved);
        if (!QFileInfo(p.repo.root).isDir()) {
            error(p.repo.sourceLine, p.writtenPath, QStringLiteral("is not a directory"));
            p.valid = false;
        }
    }
    if (!m_errors.isEmpty())
        return;

    // Duplicates and nesting, after symlinks are resolved, in both directions.
    for (size_t i = 0; i < m_repos.size(); ++i) {
        for (size_t j = 0; j < m_repos.size(); ++j) {
            if (i == j)
                continue;
            const Pending &a = m_repos[i];
            const Pending &b = m_repos[j];
            const auto via = [](const Pending &r) {
                return r.writtenPath == r.repo.root ? QString()
                                                    : QStringLiteral(" (resolves to %1)").arg(r.repo.root);
            };
            if (a.repo.root == b.repo.root) {
                if (j < i)
                    error(a.repo.sourceLine, a.writtenPath,
                          QStringLiteral("same directory as repository %1 (line %2)%3: each directory may be "
                                         "configured once")
                              .arg(b.writtenPath)
                              .arg(b.repo.sourceLine)
                              .arg(via(a)));
            } else if (paths::contains(b.repo.root, a.repo.root)) {
                error(a.repo.sourceLine, a.writtenPath,
                      QStringLiteral(
                          "nested inside repository %1 (line %2)%3: nested repositories are not allowed")
                          .arg(b.writtenPath)
                          .arg(b.repo.sourceLine)
                          .arg(via(a)));
            }
        }
        // A local backup inside a repo (or holding one) would let a freeze verify a file against itself.
        const Pending &a = m_repos[i];
        if (a.repo.backend == Backend::Local && !a.repo.localPath.isEmpty()) {
            const QString canonical = QFileInfo(a.repo.localPath).canonicalFilePath();
            const QString backup = canonical.isEmpty() ? a.repo.localPath : canonical;
            for (const Pending &b : m_repos) {
                if (paths::contains(b.repo.root, backup) || paths::contains(backup, b.repo.root))
                    error(a.repo.sourceLine, a.writtenPath,
                          QStringLiteral(
                              "the backup path %1 overlaps repository %2: the backup must live outside "
                              "every repository")
                              .arg(a.repo.localPath, b.writtenPath));
            }
        }
    }
    if (!m_errors.isEmpty())
        return;

    if (!m_options.testAtime)
        return;
    for (Pending &p : m_repos) {
        if (!p.repo.freezable || p.repo.disableAtimeTest || !QFileInfo(p.repo.root).isDir())
            continue;
        const Status tested = testAtimeUpdates(p.repo.root);
        if (!tested)
            error(p.repo.sourceLine, p.writtenPath,
                  QStringLiteral("cannot be freezable: %1").arg(tested.error().message));
    }
}

Result<QList<RepoConfig>> Loader::load(const QByteArray &yaml)
{
    const std::string text = yaml.toStdString();
    YAML::Node root;
    int secondDocumentLine = 0; // 1-based line of a second document, 0 when there is none
    try {
        root = YAML::Load(text);
        // Count documents with a bounded number of parser steps: yaml-cpp 0.7's LoadAll loops
        // forever on some malformed input (a lone "," yields endless empty documents).
        std::istringstream stream(text);
        YAML::Parser parser(stream);
        DocumentProbe first, second;
        if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second))
            secondDocumentLine = second.start.line >= 0 ? second.start.line + 1 : 1;
    } catch (const YAML::Exception &e) {
        const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
        // yaml-cpp's words for a tab in the indentation ("illegal map value") do not say it.
        QString hint;
        qsizetype start = 0;
        for (int n = 1; n <= line && start < qsizetype(text.size()); ++n) {
            const size_t end = text.find('\n', size_t(start));
            const std::string_view l(text.data() + start,
                                     (end == std::string::npos ? text.size() : end) - size_t(start));
            const size_t indent = l.find_first_not_of(" \t");
            if (l.substr(0, indent == std::string_view::npos ? l.size() : indent).find('\t') !=
                std::string_view::npos) {
                hint =
                    QStringLiteral(" (line %1 is indented with a tab: YAML indents with spaces only)").arg(n);
                break;
            }
            if (end == std::string::npos)
                break;
            start = qsizetype(end) + 1;
        }
        return Error(
            ErrorCode::Config,
            QStringLiteral("%1:%2: YAML syntax error: %3%4").arg(m_source).arg(line).arg(qs(e.msg), hint));
    } catch (const std::exception &e) {
        return Error(ErrorCode::Config,
                     QStringLiteral("%1: cannot parse: %2").arg(m_source, QString::fromLocal8Bit(e.what())));
    }

    try {
        if (secondDocumentLine > 0)
            return Error(ErrorCode::Config,
                         QStringLiteral("%1:%2: more than one YAML document: put every repository in one map")
                             .arg(m_source)
                             .arg(secondDocumentLine));
        if (!root.IsDefined() || root.IsNull())
            return Error(
                ErrorCode::Config,
                QStringLiteral("%1:1: the file is empty: it must map each repository path to its settings")
                    .arg(m_source));
        if (!root.IsMap())
            return Error(ErrorCode::Config,
                         QStringLiteral("%1:%2: must be a map from repository path to settings, got %3")
                             .arg(m_source)
                             .arg(lineOf(root, 1))
                             .arg(describeNodeType(root)));

        if (!checkQuotes(text, root))
            return Error(ErrorCode::Config, m_errors.join(u'\n'));

        QHash<QString, int> seen;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const int line = lineOf(key, 1);
            if (!key.IsScalar()) {
                error(line, QString(),
                      QStringLiteral("a repository must be named by its local path, got %1")
                          .arg(describeNodeType(key)));
                continue;
            }
            const QString path = qs(key.Scalar());
            if (seen.contains(path)) {
                error(line, path,
                      QStringLiteral("duplicate repository (already defined at line %1)")
                          .arg(seen.value(path)));
                continue;
            }
            seen.insert(path, line);
            parseRepo(path, value, line);
        }
    } catch (const YAML::Exception &e) {
        const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
        error(line, QString(), QStringLiteral("YAML error: %1").arg(qs(e.msg)));
    } catch (const std::exception &e) {
        error(1, QString(), QStringLiteral("cannot read: %1").arg(QString::fromLocal8Bit(e.what())));
    }

    if (m_errors.isEmpty())
        resolveFilesystem();
    if (!m_errors.isEmpty())
        return Error(ErrorCode::Config, m_errors.join(u'\n'));

    QList<RepoConfig> out;
    out.reserve(qsizetype(m_repos.size()));
    for (Pending &p : m_repos)
        out.append(std::move(p.repo));
    return out;
}

} // namespace

QStringList reposCommonKeys()
{
    return toList(commonKeys);
}

QStringList reposBackendKeys(Backend backend)
{
    switch (backend) {
    case Backend::Sftp:
        return toList(sftpKeys);
    case Backend::S3:
        return toList(s3Keys);
    case Backend::Local:
        return toList(localKeys);
    case Backend::Rclone:
        return toList(rcloneKeys);
    }
    return {};
}

QStringList reposAllKeys()
{
    QStringList keys{QStringLiteral("backend")};
    keys += reposCommonKeys();
    for (Backend b : {Backend::Sftp, Backend::S3, Backend::Local, Backend::Rclone}) {
        for (const QString &k : reposBackendKeys(b)) {
            if (!keys.contains(k))
                keys.append(k);
        }
    }
    return keys;
}

QString backendName(Backend backend)
{
    switch (backend) {
    case Backend::Sftp:
        return QStringLiteral("sftp");
    case Backend::S3:
        return QStringLiteral("s3");
    case Backend::Local:
        return QStringLiteral("local");
    case Backend::Rclone:
        return QStringLiteral("rclone");
    }
    return QStringLiteral("unknown");
}

QString verifyModeName(VerifyMode mode)
{
    return mode == VerifyMode::Checksum ? QStringLiteral("checksum") : QStringLiteral("size");
}

Result<QList<RepoConfig>> loadReposText(const QByteArray &yaml, const QString &sourceName,
                                        const ReposLoadOptions &options)
{
    Loader loader(sourceName, options);
    return loader.load(yaml);
}

Result<QList<RepoConfig>> loadReposFile(const QString &path, const ReposLoadOptions &options)
{
    QFile file(path);
    if (!file.exists())
        return Error(ErrorCode::Config,
                     QStringLiteral("%1: repositories file does not exist (set BARICADR_REPOS_CONF "
                                    "to its path)")
                         .arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return Error(ErrorCode::Config, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    // A repos.yml is a few kilobytes; refuse anything absurd rather than parse it.
    if (file.size() > 16 * 1024 * 1024)
        return Error(ErrorCode::Config,
                     QStringLiteral("%1: file is larger than 16 MiB: not a repos.yml").arg(path));
    return loadReposText(file.readAll(), path, options);
}

} // namespace baricadr
