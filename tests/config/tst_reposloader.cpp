#include "config/reposloader.h"
#include "repo/repojson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "resultverify.h"

using namespace baricadr;

// repos.yml texts use @D@ for a fresh temp dir (repos live under it) and expected messages use
// @F@ for the file's path, so that every message is compared whole, line number included.
class TestReposLoader : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_file;

    QString expand(QString text) const
    {
        return text.replace(QStringLiteral("@D@"), m_dir->path()).replace(QStringLiteral("@F@"), m_file);
    }
    Result<QList<RepoConfig>> load(const QString &yaml, ReposLoadOptions options = {})
    {
        QFile f(m_file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(m_file));
        f.write(expand(yaml).toUtf8());
        f.close();
        return loadReposFile(m_file, options);
    }
    static ReposLoadOptions noAtime()
    {
        ReposLoadOptions o;
        o.testAtime = false;
        return o;
    }

    static QString sftpRepo(const QString &extra, const QString &path = QStringLiteral("@D@/a"))
    {
        return path +
               QStringLiteral(":\n    backend: sftp\n    url: backup.example.org:/backups/a\n"
                              "    user: foo\n    password: bar\n") +
               extra;
    }

private Q_SLOTS:
    void init();
    void cleanup();

    void originalExample();
    void allBackends();
    void defaults();
    void sftpIpv6Url();
    void randomMutationsNeverCrash();
    void badValues_data();
    void badValues();
    void quotedValuesOnOneLineLoad();
    void structuralErrors_data();
    void structuralErrors();
    void yamlSyntaxErrorHasLine();
    void duplicateKeysDetected();
    void allErrorsAtOnce();
    void secretsNeverInMessages();
    void missingDirIsCreated();
    void missingDirNotCreatedWhenAsked();
    void dirCreationFailureIsExplained();
    void nestedAndDuplicateRepos_data();
    void nestedAndDuplicateRepos();
    void localBackupInsideRepoRefused();
    void filesMustExist();
    void mergeKeys();
    void excludeForms();
    void publicSettingsHaveNoSecrets();
    void neverCrashesOnOddInput_data();
    void neverCrashesOnOddInput();
};

void TestReposLoader::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_file = m_dir->filePath(QStringLiteral("repos.yml"));
}

void TestReposLoader::cleanup()
{
    m_dir.reset();
}

void TestReposLoader::originalExample()
{
    const auto r =
        load(QStringLiteral("@D@/projectA:\n"
                            "    backend: sftp            # sftp | s3 | local | rclone\n"
                            "    url: backup.example.org:/backups/projectA     # host:remote_prefix\n"
                            "    port: 2222\n"
                            "    user: foo\n"
                            "    password: bar\n"
                            "    exclude: \"*.xml , *.tsv\"\n"
                            "    freezable: true\n"
                            "    freeze_age: 180\n"
                            "    auto_freeze: true\n"
                            "    auto_freeze_interval: 7\n"
                            "    chown_uid: 1000\n"
                            "    chown_gid: 1000\n"
                            "    disable_atime_test: false\n"),
             noAtime());
    QVERIFY_OK(r);
    QCOMPARE(r->size(), 1);
    const RepoConfig &c = r->first();
    QCOMPARE(c.root, QFileInfo(m_dir->path()).canonicalFilePath() + QStringLiteral("/projectA"));
    QVERIFY(QFileInfo(c.root).isDir()); // created
    QCOMPARE(c.sourceFile, m_file);
    QCOMPARE(c.sourceLine, 1);
    QCOMPARE(c.backend, Backend::Sftp);
    QCOMPARE(c.host, QStringLiteral("backup.example.org"));
    QCOMPARE(c.remotePrefix, QStringLiteral("/backups/projectA"));
    QCOMPARE(c.port, 2222);
    QCOMPARE(c.user, QStringLiteral("foo"));
    QCOMPARE(c.password, QStringLiteral("bar"));
    QCOMPARE(c.exclude, (QStringList{QStringLiteral("*.xml"), QStringLiteral("*.tsv")}));
    QVERIFY(c.freezable);
    QCOMPARE(c.freezeAge, 180);
    QVERIFY(c.autoFreeze);
    QCOMPARE(c.autoFreezeInterval, 7);
    QCOMPARE(c.chownUid, std::optional<uint>(1000));
    QCOMPARE(c.chownGid, std::optional<uint>(1000));
    QVERIFY(!c.disableAtimeTest);
}

void TestReposLoader::allBackends()
{
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("backup/c"))));
    QFile conf(m_dir->filePath(QStringLiteral("rclone.conf")));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[mybackup]\ntype = local\n");
    conf.close();
    const auto r = load(QStringLiteral("@D@/b:\n"
                                       "    backend: s3\n"
                                       "    provider: Ceph\n"
                                       "    endpoint: http://s3.example.org:9000/\n"
                                       "    path: bucket/prefix/\n"
                                       "    access_key_id: AKID\n"
                                       "    secret_access_key: SECRET\n"
                                       "    region: eu-west-1\n"
                                       "    verify: checksum\n"
                                       "@D@/c:\n"
                                       "    backend: local\n"
                                       "    path: @D@/backup/c\n"
                                       "@D@/d:\n"
                                       "    backend: rclone\n"
                                       "    remote: \"mybackup:projectD\"\n"
                                       "    rclone_config: @D@/rclone.conf\n"
                                       "    freezable: yes\n"
                                       "    freeze_watermark_high: 85\n"
                                       "    freeze_watermark_low: 75\n"
                                       "    freeze_min_age: 3\n"
                                       "    verify_interval: 30\n"),
                        noAtime());
    QVERIFY_OK(r);
    QCOMPARE(r->size(), 3);
    const RepoConfig &b = r->at(0);
    QCOMPARE(b.backend, Backend::S3);
    QCOMPARE(b.provider, QStringLiteral("Ceph"));
    QCOMPARE(b.endpoint, QStringLiteral("http://s3.example.org:9000/"));
    QCOMPARE(b.s3Path, QStringLiteral("bucket/prefix/"));
    QCOMPARE(b.accessKeyId, QStringLiteral("AKID"));
    QCOMPARE(b.secretAccessKey, QStringLiteral("SECRET"));
    QCOMPARE(b.region, QStringLiteral("eu-west-1"));
    QCOMPARE(b.verify, VerifyMode::Checksum);
    QCOMPARE(b.sourceLine, 1);
    const RepoConfig &c = r->at(1);
    QCOMPARE(c.backend, Backend::Local);
    QCOMPARE(c.localPath, m_dir->filePath(QStringLiteral("backup/c")));
    QCOMPARE(c.sourceLine, 10);
    const RepoConfig &d = r->at(2);
    QCOMPARE(d.backend, Backend::Rclone);
    QCOMPARE(d.rcloneRemote, QStringLiteral("mybackup:projectD"));
    QCOMPARE(d.rcloneConfig, m_dir->filePath(QStringLiteral("rclone.conf")));
    QVERIFY(d.freezable);
    QCOMPARE(d.watermarkHigh, std::optional<int>(85));
    QCOMPARE(d.watermarkLow, std::optional<int>(75));
    QCOMPARE(d.freezeMinAge, 3);
    QCOMPARE(d.verifyInterval, 30);
}

void TestReposLoader::sftpIpv6Url()
{
    const auto r =
        load(QStringLiteral("@D@/a:\n    backend: sftp\n    url: \"[::1]:/backups/a\"\n    user: u\n"
                            "    password: p\n"),
             noAtime());
    QVERIFY_OK(r);
    QCOMPARE(r->first().host, QStringLiteral("::1"));
    QCOMPARE(r->first().remotePrefix, QStringLiteral("/backups/a"));
}

void TestReposLoader::randomMutationsNeverCrash()
{
    // A cheap in-tree fuzz: thousands of mutations of a valid file, with every side effect off.
    const QByteArray seed = expand(sftpRepo(QStringLiteral("    exclude: \"*.xml\"\n    freezable: true\n"
                                                           "    freeze_watermark_high: 80\n"
                                                           "    freeze_watermark_low: 70\n")) +
                                   QStringLiteral("/data/b: &d\n    backend: s3\n    provider: Ceph\n"
                                                  "    endpoint: http://s3:9000\n    path: b\n"
                                                  "    access_key_id: k\n    secret_access_key: s\n"
                                                  "/data/c:\n    <<: *d\n    path: c\n"))
                                .toUtf8();
    ReposLoadOptions o;
    o.createMissingDirs = false;
    o.testAtime = false;
    o.checkFiles = false;
    const QByteArray alphabet("{}[]:,-?*&!|>'\"%@`#\n \t\\0aZ/.<~");
    // BARICADR_REPOS_MUTATIONS / _SEED run it longer or differently (e.g. under ASan).
    const int iterations = qEnvironmentVariableIsSet("BARICADR_REPOS_MUTATIONS")
                               ? qEnvironmentVariableIntValue("BARICADR_REPOS_MUTATIONS")
                               : 3000;
    QRandomGenerator rng(qEnvironmentVariableIsSet("BARICADR_REPOS_SEED")
                             ? quint32(qEnvironmentVariableIntValue("BARICADR_REPOS_SEED"))
                             : 4242u);
    int accepted = 0;
    for (int i = 0; i < iterations; ++i) {
        QByteArray text = seed;
        const int edits = 1 + int(rng.bounded(4));
        for (int e = 0; e < edits && !text.isEmpty(); ++e) {
            const int pos = int(rng.bounded(int(text.size())));
            const char c = alphabet.at(int(rng.bounded(int(alphabet.size()))));
            switch (rng.bounded(3)) {
            case 0:
                text[pos] = c;
                break;
            case 1:
                text.insert(pos, c);
                break;
            default:
                text.remove(pos, 1 + int(rng.bounded(8)));
            }
        }
        const auto r = loadReposText(text, QStringLiteral("fuzz.yml"), o);
        if (r.ok())
            ++accepted;
        else
            QVERIFY2(r.error().message.startsWith(QStringLiteral("fuzz.yml")), qPrintable(r.error().message));
    }
    qInfo("%d of %d mutated files were still valid", accepted, iterations);
}

void TestReposLoader::defaults()
{
    const auto r = load(sftpRepo(QString()), noAtime());
    QVERIFY_OK(r);
    const RepoConfig &c = r->first();
    QVERIFY(!c.freezable);
    QCOMPARE(c.freezeAge, 180);
    QVERIFY(!c.autoFreeze);
    QCOMPARE(c.autoFreezeInterval, 7);
    QVERIFY(!c.chownUid);
    QVERIFY(!c.chownGid);
    QVERIFY(c.exclude.isEmpty());
    QCOMPARE(c.verify, VerifyMode::Size);
    QVERIFY(!c.watermarkHigh);
    QCOMPARE(c.freezeMinAge, 7);
    QCOMPARE(c.verifyInterval, 0);
    QCOMPARE(c.port, 0);
}

void TestReposLoader::badValues_data()
{
    QTest::addColumn<QString>("extra"); // appended to a valid sftp repo starting at line 6
    QTest::addColumn<QString>("expected");
    const QString pre = QStringLiteral("@F@:6: @D@/a: ");
    QTest::newRow("freeze_age word")
        << "    freeze_age: abc\n"
        << pre + "freeze_age must be an integer between 2 and 10000 days, got \"abc\"";
    QTest::newRow("freeze_age low")
        << "    freeze_age: 1\n"
        << pre + "freeze_age must be an integer between 2 and 10000 days, got \"1\"";
    QTest::newRow("freeze_age high")
        << "    freeze_age: 10001\n"
        << pre + "freeze_age must be an integer between 2 and 10000 days, got \"10001\"";
    QTest::newRow("freeze_age float")
        << "    freeze_age: 2.5\n"
        << pre + "freeze_age must be an integer between 2 and 10000 days, got \"2.5\"";
    QTest::newRow("freeze_age list")
        << "    freeze_age: [1, 2]\n"
        << pre + "freeze_age must be an integer between 2 and 10000 days, got a list";
    QTest::newRow("freeze_age empty")
        << "    freeze_age:\n"
        << pre + "freeze_age must be an integer between 2 and 10000 days, got an empty "
                 "value";
    QTest::newRow("auto_freeze_interval")
        << "    auto_freeze_interval: 0\n"
        << pre + "auto_freeze_interval must be an integer between 2 and 10000 days, got \"0\"";
    QTest::newRow("chown_uid negative")
        << "    chown_uid: -1\n"
        << pre + "chown_uid must be an integer between 0 and 65536, got \"-1\"";
    QTest::newRow("chown_gid big") << "    chown_gid: 65537\n"
                                   << pre + "chown_gid must be an integer between 0 and 65536, got \"65537\"";
    QTest::newRow("chown_uid name") << "    chown_uid: root\n"
                                    << pre + "chown_uid must be an integer between 0 and 65536, got \"root\"";
    QTest::newRow("freezable typo value") << "    freezable: ture\n"
                                          << pre + "freezable must be true or false, got \"ture\"";
    QTest::newRow("auto_freeze") << "    auto_freeze: sometimes\n"
                                 << pre + "auto_freeze must be true or false, got \"sometimes\"";
    QTest::newRow("disable_atime_test") << "    disable_atime_test: 2\n"
                                        << pre + "disable_atime_test must be true or false, got \"2\"";
    QTest::newRow("verify") << "    verify: md5\n"
                            << pre + "verify must be \"size\" or \"checksum\", got \"md5\"";
    QTest::newRow("port") << "    port: 0\n"
                          << pre + "port must be an integer between 1 and 65535, got \"0\"";
    QTest::newRow("port word") << "    port: ssh\n"
                               << pre + "port must be an integer between 1 and 65535, got \"ssh\"";
    QTest::newRow("watermark high") << "    freezable: true\n    freeze_watermark_high: 101\n"
                                       "    freeze_watermark_low: 50\n"
                                    << QStringLiteral(
                                           "@F@:7: @D@/a: freeze_watermark_high must be an integer between "
                                           "1 and 100 (percent of the filesystem), got \"101\"");
    QTest::newRow("watermark low >= high")
        << "    freezable: true\n    freeze_watermark_high: 80\n    freeze_watermark_low: 80\n"
        << QStringLiteral(
               "@F@:8: @D@/a: freeze_watermark_low (80) must be lower than freeze_watermark_high (80)");
    QTest::newRow("watermark high alone")
        << "    freezable: true\n    freeze_watermark_high: 80\n"
        << QStringLiteral(
               "@F@:7: @D@/a: freeze_watermark_high needs freeze_watermark_low (the usage a watermark "
               "freeze stops at)");
    QTest::newRow("freeze_min_age")
        << "    freeze_min_age: -2\n"
        << pre + "freeze_min_age must be an integer between 0 and 10000 days, got \"-2\"";
    QTest::newRow("verify_interval")
        << "    verify_interval: weekly\n"
        << pre + "verify_interval must be an integer between 0 and 10000 days (0 = never), got \"weekly\"";
    QTest::newRow("unknown key typo") << "    freezeable: true\n"
                                      << pre + "unknown key \"freezeable\" (did you mean \"freezable\"?)";
    QTest::newRow("unknown key")
        << "    colour: blue\n"
        << pre + "unknown key \"colour\" (allowed for backend sftp: backend, url, port, "
                 "user, password, key_file, exclude, freezable, freeze_age, auto_freeze, "
                 "auto_freeze_interval, chown_uid, chown_gid, disable_atime_test, verify, "
                 "freeze_watermark_high, freeze_watermark_low, freeze_min_age, "
                 "verify_interval)";
    QTest::newRow("key of other backend")
        << "    endpoint: http://x/\n"
        << pre + "key \"endpoint\" is not used by backend sftp (it is a setting of backend s3)";
    QTest::newRow("auto_freeze without freezable")
        << "    auto_freeze: true\n"
        << pre + "auto_freeze needs freezable: true (this repository is not freezable)";
    QTest::newRow("password and key_file") << "    key_file: /etc/hostname\n"
                                           << pre + "set either password or key_file, not both";
    QTest::newRow("exclude map") << "    exclude: {a: b}\n"
                                 << pre + "exclude must be a single value, got a map";
}

void TestReposLoader::badValues()
{
    QFETCH(QString, extra);
    QFETCH(QString, expected);
    const auto r = load(sftpRepo(extra), noAtime());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Config);
    QCOMPARE(r.error().message, expand(expected));
}

void TestReposLoader::structuralErrors_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty file")
        << ""
        << "@F@:1: the file is empty: it must map each repository path to its settings";
    QTest::newRow("only comments")
        << "# nothing\n# here\n"
        << "@F@:1: the file is empty: it must map each repository path to its settings";
    QTest::newRow("scalar") << "hello\n"
                            << "@F@:1: must be a map from repository path to settings, got a value";
    QTest::newRow("list") << "- /data/a\n- /data/b\n"
                          << "@F@:1: must be a map from repository path to settings, got a list";
    QTest::newRow("two documents") << "@D@/a:\n    backend: local\n---\n@D@/b:\n    backend: local\n"
                                   << "@F@:3: more than one YAML document: put every repository in one map";
    QTest::newRow("lone comma") << ","
                                << "@F@:1: more than one YAML document: put every repository in one map";
    // A forgotten closing quote would swallow the lines after it (repository b, here) into the
    // value: refused, with the line where the quote opens.
    QTest::newRow("unclosed double quote")
        << "@D@/a:\n    backend: local\n    path: /mnt\n    exclude: \"*.xml\n@D@/b:\n    backend: local\n"
           "    path: /mnt\n"
        << "@F@:4: @D@/a: exclude opens a quote that does not close on its line (a missing closing quote?): "
           "a quoted value must end on the line where it starts, else it swallows the lines after it";
    QTest::newRow("unclosed single quote")
        << "@D@/a:\n    backend: local\n    path: '/mnt\n@D@/b:\n    backend: local\n    path: /mnt'\n"
        << "@F@:3: @D@/a: path opens a quote that does not close on its line (a missing closing quote?): "
           "a quoted value must end on the line where it starts, else it swallows the lines after it";
    QTest::newRow("tab indentation")
        << "@D@/a:\n\tbackend: local\n\tpath: /mnt\n"
        << "@F@:2: YAML syntax error: illegal map value (line 2 is indented with a tab: YAML indents with "
           "spaces only)";
    QTest::newRow("no settings") << "@D@/a:\n"
                                 << "@F@:1: @D@/a: no settings: at least \"backend\" is required";
    QTest::newRow("settings not a map") << "@D@/a: sftp\n"
                                        << "@F@:1: @D@/a: settings must be a map of key: value, got a value";
    QTest::newRow("relative path") << "data/a:\n    backend: local\n    path: /mnt\n"
                                   << "@F@:1: data/a: a repository path must be absolute (start with /)";
    QTest::newRow("missing backend")
        << "# c\n@D@/a:\n    url: h:/p\n"
        << "@F@:2: @D@/a: missing required key \"backend\" (one of sftp, s3, local, "
           "rclone)";
    QTest::newRow("unknown backend")
        << "@D@/a:\n    backend: ftp\n"
        << "@F@:2: @D@/a: backend must be one of sftp, s3, local, rclone, got \"ftp\"";
    QTest::newRow("sftp missing url and user")
        << "@D@/a:\n    backend: sftp\n    password: x\n"
        << "@F@:1: @D@/a: missing required key \"url\" for backend sftp\n"
           "@F@:1: @D@/a: missing required key \"user\" for backend sftp";
    QTest::newRow("sftp no password nor key")
        << "@D@/a:\n    backend: sftp\n    url: h:/p\n    user: u\n"
        << "@F@:1: @D@/a: missing required key \"password\" or \"key_file\" for backend sftp";
    QTest::newRow("sftp bad url")
        << "@D@/a:\n    backend: sftp\n    url: /backups/a\n    user: u\n    password: p\n"
        << "@F@:3: @D@/a: url must be HOST:PREFIX, e.g. backup.example.org:/backups/projectA, "
           "got \"/backups/a\"";
    QTest::newRow("s3 missing keys")
        << "@D@/a:\n    backend: s3\n    provider: AWS\n    endpoint: https://s3/\n    path: b\n"
        << "@F@:1: @D@/a: missing required key \"access_key_id\" for backend s3\n"
           "@F@:1: @D@/a: missing required key \"secret_access_key\" for backend s3";
    QTest::newRow("s3 bad endpoint")
        << "@D@/a:\n    backend: s3\n    provider: AWS\n    endpoint: s3.example.org\n    path: b\n"
           "    access_key_id: k\n    secret_access_key: s\n"
        << "@F@:4: @D@/a: endpoint must be an http:// or https:// URL, got \"s3.example.org\"";
    QTest::newRow("local relative")
        << "@D@/a:\n    backend: local\n    path: backup\n"
        << "@F@:3: @D@/a: path must be an absolute path to the mounted backup, got \"backup\"";
    QTest::newRow("local missing backup")
        << "@D@/a:\n    backend: local\n    path: @D@/not-mounted\n"
        << "@F@:3: @D@/a: path must be an existing directory (is the backup filesystem mounted?), got "
           "\"@D@/not-mounted\"";
    QTest::newRow("rclone bad remote")
        << "@D@/a:\n    backend: rclone\n    remote: /mnt/x\n    rclone_config: /etc/hostname\n"
        << "@F@:3: @D@/a: remote must be NAME:PATH naming a remote of rclone_config (e.g. "
           "mybackup:projectD), got "
           "\"/mnt/x\"";
    QTest::newRow("rclone missing config")
        << "@D@/a:\n    backend: rclone\n    remote: x:y\n"
        << "@F@:1: @D@/a: missing required key \"rclone_config\" for backend rclone";
    QTest::newRow("duplicate repository")
        << "@D@/a:\n    backend: local\n    path: /mnt\n@D@/a:\n    backend: local\n    path: /mnt\n"
        << "@F@:4: @D@/a: duplicate repository (already defined at line 1)";
    QTest::newRow("filesystem root") << "/:\n    backend: local\n    path: /mnt\n"
                                     << "@F@:1: /: the filesystem root cannot be a repository";
    QTest::newRow("sftp bad ipv6 url")
        << "@D@/a:\n    backend: sftp\n    url: \"[::1/backups\"\n    user: u\n    password: p\n"
        << "@F@:3: @D@/a: url must be HOST:PREFIX, e.g. backup.example.org:/backups/projectA, got "
           "\"[::1/backups\"";
    QTest::newRow("key is a list") << "[a, b]: 1\n"
                                   << "@F@:1: a repository must be named by its local path, got a list";
}

void TestReposLoader::structuralErrors()
{
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    const auto r = load(yaml, noAtime());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Config);
    QCOMPARE(r.error().message, expand(expected));
}

void TestReposLoader::quotedValuesOnOneLineLoad()
{
    // Quotes closed on their line, with the escapes YAML allows inside them.
    const auto r =
        load(QStringLiteral("\"@D@/a\":\n    backend: sftp\n    url: 'h:/backups'\n    user: \"u\"\n"
                            "    password: 'it''s a \"secret\"'\n"
                            "    exclude: [\"*.xml\", \"a\\\"b\", '*.tsv']\n"),
             noAtime());
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->size(), 1);
    QCOMPARE(r->first().password, QStringLiteral("it's a \"secret\""));
    QCOMPARE(r->first().exclude, (QStringList{u"*.xml"_qs, u"a\"b"_qs, u"*.tsv"_qs}));
}

void TestReposLoader::yamlSyntaxErrorHasLine()
{
    const auto r = load(QStringLiteral("@D@/a:\n    backend: sftp\n    url: a: b\n    user: x\n"), noAtime());
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(m_file + QStringLiteral(":3: YAML syntax error: ")),
             qPrintable(r.error().message));
    const auto t = load(QStringLiteral("@D@/a:\n    backend: sftp\n  bad indent: [\n"), noAtime());
    QVERIFY(!t.ok());
    QVERIFY2(t.error().message.startsWith(m_file + QStringLiteral(":")), qPrintable(t.error().message));
    QVERIFY(t.error().message.contains(QStringLiteral("YAML syntax error")));
}

void TestReposLoader::duplicateKeysDetected()
{
    // yaml-cpp keeps one of the two silently; a repo that says freezable twice is refused.
    const auto r =
        load(sftpRepo(QStringLiteral("    freezable: false\n    freeze_age: 30\n    freezable: true\n")),
             noAtime());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message,
             expand(QStringLiteral("@F@:8: @D@/a: duplicate key \"freezable\" (already set at line "
                                   "6)")));
}

void TestReposLoader::allErrorsAtOnce()
{
    const auto r = load(sftpRepo(QStringLiteral("    freeze_age: x\n")) +
                            sftpRepo(QStringLiteral("    chown_uid: y\n"), QStringLiteral("@D@/b")),
                        noAtime());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message,
             expand(QStringLiteral(
                 "@F@:6: @D@/a: freeze_age must be an integer between 2 and 10000 days, got \"x\"\n"
                 "@F@:12: @D@/b: chown_uid must be an integer between 0 and 65536, got \"y\"")));
    // Nothing was created for a file with errors.
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("a"))));
}

void TestReposLoader::secretsNeverInMessages()
{
    const auto r =
        load(QStringLiteral("@D@/a:\n    backend: s3\n    provider: AWS\n    endpoint: https://s3/\n"
                            "    path: b\n    access_key_id: [AKIDSECRET]\n"
                            "    secret_access_key: {k: VERYSECRET}\n"),
             noAtime());
    QVERIFY(!r.ok());
    QVERIFY(!r.error().message.contains(QStringLiteral("SECRET")));
    QCOMPARE(r.error().message,
             expand(QStringLiteral("@F@:6: @D@/a: access_key_id must be a single value\n"
                                   "@F@:7: @D@/a: secret_access_key must be a single value")));
    const auto p = load(sftpRepo(QStringLiteral("    freeze_age: 3000000\n"))
                            .replace(QStringLiteral("password: bar"), QStringLiteral("password:")),
                        noAtime());
    QVERIFY(!p.ok());
    QVERIFY2(p.error().message.contains(expand(QStringLiteral("@F@:5: @D@/a: password must not be empty"))),
             qPrintable(p.error().message));
}

void TestReposLoader::missingDirIsCreated()
{
    const auto r = load(sftpRepo(QString(), QStringLiteral("@D@/deep/er/repo")), noAtime());
    QVERIFY_OK(r);
    QVERIFY(QFileInfo(m_dir->filePath(QStringLiteral("deep/er/repo"))).isDir());
}

void TestReposLoader::missingDirNotCreatedWhenAsked()
{
    ReposLoadOptions o = noAtime();
    o.createMissingDirs = false;
    const auto r = load(sftpRepo(QString(), QStringLiteral("@D@/x//y/../repo/")), o);
    QVERIFY_OK(r);
    QCOMPARE(r->first().root, m_dir->filePath(QStringLiteral("x/repo")));
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("x"))));
}

void TestReposLoader::dirCreationFailureIsExplained()
{
    QFile blocker(m_dir->filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const auto r = load(sftpRepo(QString(), QStringLiteral("@D@/file/repo")), noAtime());
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(
                 expand(QStringLiteral("@F@:1: @D@/file/repo: the directory does not exist "
                                       "and could not be created ("))),
             qPrintable(r.error().message));
    const auto f = load(sftpRepo(QString(), QStringLiteral("@D@/file")), noAtime());
    QVERIFY(!f.ok());
    QCOMPARE(f.error().message, expand(QStringLiteral("@F@:1: @D@/file: is not a directory")));
}

void TestReposLoader::nestedAndDuplicateRepos_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nested after")
        << "@D@/a"
        << "@D@/a/sub"
        << "@F@:6: @D@/a/sub: nested inside repository @D@/a (line 1): nested repositories "
           "are not allowed";
    QTest::newRow("nested before") << "@D@/a/sub"
                                   << "@D@/a"
                                   << "@F@:1: @D@/a/sub: nested inside repository @D@/a (line 6): nested "
                                      "repositories are not allowed";
    QTest::newRow("same after normalising") << "@D@/a"
                                            << "@D@/a/./"
                                            << "@F@:6: @D@/a/./: same directory as repository @D@/a (line 1) "
                                               "(resolves to @D@/a): each directory may be configured once";
    QTest::newRow("through a symlink")
        << "@D@/a"
        << "@D@/link"
        << "@F@:6: @D@/link: same directory as repository @D@/a (line 1) (resolves to "
           "@D@/a): each directory may be configured once";
    QTest::newRow("nested through a symlink")
        << "@D@/a"
        << "@D@/sublink"
        << "@F@:6: @D@/sublink: nested inside repository @D@/a (line 1) "
           "(resolves to @D@/a/sub): nested repositories are not allowed";
    QTest::newRow("containing through a symlink")
        << "@D@/sublink"
        << "@D@/a"
        << "@F@:1: @D@/sublink: nested inside repository @D@/a (line 6) (resolves to @D@/a/sub): nested "
           "repositories are not allowed";
    QTest::newRow("prefix is not nesting") << "@D@/a"
                                           << "@D@/ab"
                                           << "";
}

void TestReposLoader::nestedAndDuplicateRepos()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    QFETCH(QString, expected);
    // The temp dir may itself sit behind a symlink: compare against its canonical path.
    m_dir = std::make_unique<QTemporaryDir>(QFileInfo(QDir::tempPath()).canonicalFilePath() +
                                            QStringLiteral("/tst_reposloader-XXXXXX"));
    m_file = m_dir->filePath(QStringLiteral("repos.yml"));
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("a/sub"))));
    QVERIFY(QFile::link(m_dir->filePath(QStringLiteral("a")), m_dir->filePath(QStringLiteral("link"))));
    QVERIFY(
        QFile::link(m_dir->filePath(QStringLiteral("a/sub")), m_dir->filePath(QStringLiteral("sublink"))));
    const auto r = load(sftpRepo(QString(), first) + sftpRepo(QString(), second), noAtime());
    if (expected.isEmpty()) {
        QVERIFY_OK(r);
        QCOMPARE(r->size(), 2);
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, expand(expected));
}

void TestReposLoader::localBackupInsideRepoRefused()
{
    QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("a/backup"))));
    const auto r = load(QStringLiteral("@D@/a:\n    backend: local\n    path: @D@/a/backup\n"), noAtime());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, expand(QStringLiteral("@F@:1: @D@/a: the backup path @D@/a/backup overlaps "
                                                      "repository @D@/a: the backup must live outside every "
                                                      "repository")));
}

void TestReposLoader::filesMustExist()
{
    const QString yaml = QStringLiteral("@D@/a:\n    backend: sftp\n    url: h:/p\n    user: u\n"
                                        "    key_file: @D@/missing_key\n");
    const auto r = load(yaml, noAtime());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message,
             expand(QStringLiteral("@F@:5: @D@/a: key_file must be a readable file (it does not "
                                   "exist or cannot be read), got \"@D@/missing_key\"")));
    ReposLoadOptions o = noAtime();
    o.checkFiles = false;
    QVERIFY_OK(load(yaml, o));
}

void TestReposLoader::mergeKeys()
{
    const auto r = load(QStringLiteral("@D@/a: &defaults\n    backend: sftp\n    url: h:/a\n    user: u\n"
                                       "    password: p\n    freeze_age: 30\n"
                                       "@D@/b:\n    <<: *defaults\n    url: h:/b\n"),
                        noAtime());
    QVERIFY_OK(r);
    QCOMPARE(r->size(), 2);
    QCOMPARE(r->at(1).remotePrefix, QStringLiteral("/b"));
    QCOMPARE(r->at(1).freezeAge, 30);
    QCOMPARE(r->at(1).user, QStringLiteral("u"));
}

void TestReposLoader::excludeForms()
{
    auto r = load(sftpRepo(QStringLiteral("    exclude: \" *.xml,, *.tsv ,\"\n")), noAtime());
    QVERIFY_OK(r);
    QCOMPARE(r->first().exclude, (QStringList{QStringLiteral("*.xml"), QStringLiteral("*.tsv")}));
    r = load(sftpRepo(QStringLiteral("    exclude:\n      - \"*.xml\"\n      - \"*/tmp/*\"\n")), noAtime());
    QVERIFY_OK(r);
    QCOMPARE(r->first().exclude, (QStringList{QStringLiteral("*.xml"), QStringLiteral("*/tmp/*")}));
    r = load(sftpRepo(QStringLiteral("    exclude:\n")), noAtime());
    QVERIFY_OK(r);
    QVERIFY(r->first().exclude.isEmpty());
}

void TestReposLoader::publicSettingsHaveNoSecrets()
{
    const auto r =
        load(QStringLiteral("@D@/a:\n    backend: sftp\n    url: h:/p\n    user: u\n"
                            "    password: SFTPSECRET\n    freezable: true\n    exclude: \"*.xml\"\n"
                            "@D@/b:\n    backend: s3\n    provider: Ceph\n    endpoint: http://s3:9000\n"
                            "    path: bucket\n    access_key_id: KEYSECRET\n"
                            "    secret_access_key: S3SECRET\n"),
             noAtime());
    QVERIFY_OK(r);
    const QJsonObject a = publicSettings(r->at(0));
    const QJsonObject b = publicSettings(r->at(1));
    const QByteArray text = QJsonDocument(a).toJson() + QJsonDocument(b).toJson();
    QVERIFY(!text.contains("SECRET"));
    QCOMPARE(a.value(QStringLiteral("password")).toString(), QStringLiteral("***"));
    QCOMPARE(a.value(QStringLiteral("url")).toString(), QStringLiteral("h:/p"));
    QCOMPARE(a.value(QStringLiteral("freezable")).toBool(), true);
    QCOMPARE(a.value(QStringLiteral("freeze_age")).toInt(), 180);
    QCOMPARE(a.value(QStringLiteral("local_path")).toString(), r->at(0).root);
    QCOMPARE(b.value(QStringLiteral("secret_access_key")).toString(), QStringLiteral("***"));
    QCOMPARE(b.value(QStringLiteral("access_key_id")).toString(), QStringLiteral("***"));
    QCOMPARE(b.value(QStringLiteral("path")).toString(), QStringLiteral("bucket"));
    QVERIFY(!b.contains(QStringLiteral("password")));
}

void TestReposLoader::neverCrashesOnOddInput_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("deep nesting") << QByteArray(100000, '[');
    QTest::newRow("deep map") << QByteArray("a:\n").repeated(1) + QByteArray("{a: ").repeated(5000);
    QTest::newRow("nul bytes") << QByteArray("/data/a") + '\0' + QByteArray("x:\n  backend: local\n");
    QTest::newRow("binary") << QByteArray("\xff\xfe\x00\x01\x80\x90:\n - \x7f", 12);
    QTest::newRow("alias loop") << QByteArray("a: &x\n  b: *x\n");
    QTest::newRow("undefined alias") << QByteArray("a: *nope\n");
    QTest::newRow("tabs") << QByteArray("/a:\n\tbackend: local\n");
    QTest::newRow("merge of scalar") << QByteArray("/a:\n  <<: 3\n  backend: local\n");
    QTest::newRow("huge int") << QByteArray("/a:\n  backend: sftp\n  port: 99999999999999999999999\n");
    QTest::newRow("null key") << QByteArray("~: {backend: local}\n");
    QTest::newRow("complex key") << QByteArray("? {a: b}\n: {backend: local}\n");
}

void TestReposLoader::neverCrashesOnOddInput()
{
    QFETCH(QByteArray, yaml);
    ReposLoadOptions o;
    o.createMissingDirs = false;
    o.testAtime = false;
    o.checkFiles = false;
    const auto r = loadReposText(yaml, QStringLiteral("odd.yml"), o);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Config);
    QVERIFY2(r.error().message.startsWith(QStringLiteral("odd.yml")), qPrintable(r.error().message));
}

QTEST_GUILESS_MAIN(TestReposLoader)
#include "tst_reposloader.moc"
