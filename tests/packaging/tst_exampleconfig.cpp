// The example configuration files the baricadr package installs in /etc/baricadr are read by the
// real parsers: the shipped baricadr.conf loads and points at the Debian paths; every commented
// example value, once uncommented, is valid; and both files show every key the code knows, so an
// admin finds each setting where the package put its example.
#include "config/reposloader.h"
#include "config/settings.h"
#include "testenv.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace baricadr;

namespace {

QString examplePath(const char *name)
{
    return test::sourceDir() + QStringLiteral("/packaging/etc/") + QLatin1String(name);
}

QString readText(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromUtf8(f.readAll());
}

bool writeText(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.toUtf8()) == text.toUtf8().size();
}

// Keys the code accepts only for compatibility with the original's local.cfg, not worth an example.
const QStringList compatOnlyKeys{QStringLiteral("SQLALCHEMY_DATABASE_URI"), QStringLiteral("SECRET_KEY")};

} // namespace

class TestExampleConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedConfigLoadsWithDebianPaths()
    {
        const auto loaded = Settings::load(examplePath("baricadr.conf"), true, QProcessEnvironment());
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        const Settings &s = loaded.value();
        QCOMPARE(s.reposConf, QStringLiteral("/etc/baricadr/repos.yml"));
        QCOMPARE(s.dataDir, QStringLiteral("/var/lib/baricadr"));
        QCOMPARE(s.sqlitePath(), QStringLiteral("/var/lib/baricadr/baricadr.sqlite"));
        QCOMPARE(s.taskLogDir, QStringLiteral("/var/log/baricadr/tasks"));
        QCOMPARE(s.listen, QStringLiteral("127.0.0.1:9100"));
        QCOMPARE(s.listenPort, quint16(9100));
        QVERIFY(!s.mailEnabled());
        QVERIFY(!s.tlsEnabled());
        QVERIFY(s.authHtpasswdFile.isEmpty());
    }

    void everyCommentedSettingIsValidOnceUncommented()
    {
        static const QRegularExpression commented(QStringLiteral("^# ([A-Z][A-Z0-9_]+ = .*)$"),
                                                  QRegularExpression::MultilineOption);
        QString text = readText(examplePath("baricadr.conf"));
        QVERIFY(!text.isEmpty());
        const qsizetype examples = text.count(commented);
        QVERIFY2(examples >= 10, "expected commented examples of the optional settings");
        text.replace(commented, QStringLiteral("\\1"));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("baricadr.conf"));
        QVERIFY(writeText(path, text));
        const auto loaded = Settings::load(path, true, QProcessEnvironment());
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QVERIFY(loaded.value().mailEnabled());
        QVERIFY(loaded.value().tlsEnabled());
        QVERIFY(!loaded.value().authHtpasswdFile.isEmpty());
    }

    void shippedConfigShowsEveryKey()
    {
        const QString text = readText(examplePath("baricadr.conf"));
        QStringList missing;
        for (const QString &key : Settings::knownKeys()) {
            if (compatOnlyKeys.contains(key))
                continue;
            const QRegularExpression line(QStringLiteral("^(# )?%1 = ").arg(key),
                                          QRegularExpression::MultilineOption);
            if (!line.match(text).hasMatch())
                missing << key;
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("packaging/etc/baricadr.conf has no example line for: ") +
                            missing.join(QStringLiteral(", "))));
    }

    void everyCommentedRepositoryIsValidOnceUncommented()
    {
        // The examples use /data/...; the loader resolves real paths, so they are moved under a
        // temporary directory. No side effect: no dir creation, no atime probe, no file check.
        QTemporaryDir dir;
        QString text = readText(examplePath("repos.yml"));
        QVERIFY(!text.isEmpty());
        static const QRegularExpression block(QStringLiteral("^#(/|    )"),
                                              QRegularExpression::MultilineOption);
        QVERIFY(text.count(block) > 20);
        text.replace(block, QStringLiteral("\\1"));
        text.replace(QStringLiteral("\n/data/"),
                     QStringLiteral("\n") + dir.path() + QStringLiteral("/data/"));
        const QStringList names{QStringLiteral("projectA"), QStringLiteral("projectB"),
                                QStringLiteral("projectC"), QStringLiteral("projectD"),
                                QStringLiteral("projectE")};
        for (const QString &name : names)
            QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("data/") + name)));

        ReposLoadOptions options;
        options.createMissingDirs = false;
        options.testAtime = false;
        options.checkFiles = false;
        const auto loaded = loadReposText(text.toUtf8(), QStringLiteral("repos.yml (uncommented)"), options);
        QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
        QCOMPARE(loaded.value().size(), names.size());
        QSet<Backend> backends;
        for (const RepoConfig &repo : loaded.value())
            backends.insert(repo.backend);
        QCOMPARE(backends.size(), 4); // sftp, s3, local, rclone: one example of each
    }

    void shippedReposShowsEveryKey()
    {
        const QString text = readText(examplePath("repos.yml"));
        QStringList missing;
        for (const QString &key : reposAllKeys()) {
            const QRegularExpression line(QStringLiteral("^# {4}%1:").arg(key),
                                          QRegularExpression::MultilineOption);
            if (!line.match(text).hasMatch())
                missing << key;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("packaging/etc/repos.yml has no example of: ") +
                                               missing.join(QStringLiteral(", "))));
    }

    void shippedReposIsOnlyComments()
    {
        // Installed as is, it must not point the service at a made-up repository.
        const QString text = readText(examplePath("repos.yml"));
        for (const QString &line : text.split(u'\n'))
            QVERIFY2(line.isEmpty() || line.startsWith(u'#'), qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(TestExampleConfig)
#include "tst_exampleconfig.moc"
