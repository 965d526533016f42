#include "config/reposloader.h"
#include "config/settings.h"

#include "testenv.h"

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QTest>

#include "resultverify.h"

using namespace baricadr;

// docs/configuration.md must list exactly the keys the code reads, with the defaults the code
// uses: every key of Settings (baricadr.conf / environment), the original's ignored keys, and
// every repos.yml key.
class TestConfigDocs : public QObject
{
    Q_OBJECT

private:
    QStringList m_lines;

    // Lines of the section that starts with `heading` (a whole line) up to the next heading of
    // the same or a higher level.
    QStringList section(const QString &heading) const
    {
        const qsizetype start = m_lines.indexOf(heading);
        if (start < 0)
            return {};
        const int level = int(heading.indexOf(u' '));
        QStringList out;
        for (qsizetype i = start + 1; i < m_lines.size(); ++i) {
            const QString &l = m_lines.at(i);
            if (l.startsWith(u'#')) {
                const int lvl = int(l.indexOf(u' '));
                if (lvl > 0 && lvl <= level)
                    break;
            }
            out.append(l);
        }
        return out;
    }
    // First column `KEY` of every table row -> the row's cells.
    static QHash<QString, QStringList> tableRows(const QStringList &lines, QStringList *order)
    {
        static const QRegularExpression row(QStringLiteral("^\\|\\s*`([A-Za-z_0-9]+)`\\s*\\|"));
        QHash<QString, QStringList> out;
        for (const QString &l : lines) {
            const auto m = row.match(l);
            if (!m.hasMatch())
                continue;
            QStringList cells = l.split(u'|');
            cells.removeFirst();
            cells.removeLast();
            for (QString &c : cells)
                c = c.trimmed();
            order->append(m.captured(1));
            out.insert(m.captured(1), cells);
        }
        return out;
    }
    static QString firstCode(const QString &cell)
    {
        static const QRegularExpression code(QStringLiteral("`([^`]*)`"));
        return code.match(cell).captured(1);
    }

private Q_SLOTS:
    void initTestCase();
    void settingsKeys();
    void settingsDefaults();
    void ignoredLegacyKeys();
    void reposKeys();
    void reposDefaults();
};

void TestConfigDocs::initTestCase()
{
    QFile f(test::sourceDir() + QStringLiteral("/docs/configuration.md"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    m_lines = QString::fromUtf8(f.readAll()).split(u'\n');
}

void TestConfigDocs::settingsKeys()
{
    QStringList documented;
    tableRows(section(QStringLiteral("## Service settings (baricadr.conf and environment)")), &documented);
    QVERIFY(!documented.isEmpty());
    QCOMPARE(documented.size(), QSet<QString>(documented.begin(), documented.end()).size()); // no key twice
    QStringList code = Settings::knownKeys();
    QStringList docs = documented;
    code.sort();
    docs.sort();
    QCOMPARE(docs, code);
}

void TestConfigDocs::settingsDefaults()
{
    QStringList order;
    const auto rows =
        tableRows(section(QStringLiteral("## Service settings (baricadr.conf and environment)")), &order);
    const auto s = Settings::load(QStringLiteral("/nonexistent/baricadr.conf"), false, QProcessEnvironment());
    QVERIFY_OK(s);
    const QHash<QString, QString> actual = {
        {QStringLiteral("BARICADR_REPOS_CONF"), s->reposConf},
        {QStringLiteral("TASK_LOG_DIR"), s->taskLogDir},
        {QStringLiteral("BARICADR_DATA_DIR"), s->dataDir},
        {QStringLiteral("WORKERS"), QString::number(s->workers)},
        {QStringLiteral("CLEANUP_INTERVAL"), QString::number(s->cleanupInterval)},
        {QStringLiteral("CLEANUP_AGE"), QString::number(s->cleanupAge)},
        {QStringLiteral("CLEANUP_ZOMBIES_INTERVAL"), QString::number(s->cleanupZombiesInterval)},
        {QStringLiteral("WATERMARK_CHECK_INTERVAL"), QString::number(s->watermarkCheckInterval)},
        {QStringLiteral("MAIL_PORT"), QString::number(s->mailPort)},
        {QStringLiteral("MAIL_USE_SSL"), s->mailUseSsl ? QStringLiteral("true") : QStringLiteral("false")},
        {QStringLiteral("MAIL_USE_TLS"), s->mailUseTls ? QStringLiteral("true") : QStringLiteral("false")},
        {QStringLiteral("RCLONE_PATH"), s->rclonePath},
        {QStringLiteral("RCLONE_TIMEOUT"), QString::number(s->rcloneTimeout)},
        {QStringLiteral("RCLONE_CONTIMEOUT"), QString::number(s->rcloneConTimeout)},
        {QStringLiteral("RCLONE_IO_TIMEOUT"), QString::number(s->rcloneIoTimeout)},
        {QStringLiteral("RCLONE_NICE"), QString::number(s->rcloneNice)},
        {QStringLiteral("BARICADR_LISTEN"), s->listen},
        {QStringLiteral("MAX_BODY_BYTES"), QString::number(s->maxBodyBytes)},
    };
    for (auto it = actual.constBegin(); it != actual.constEnd(); ++it) {
        QVERIFY2(rows.contains(it.key()), qPrintable(it.key()));
        QCOMPARE(firstCode(rows.value(it.key()).value(1)), it.value());
    }
    QCOMPARE(s->databaseUri, QStringLiteral("sqlite://") + s->dataDir + QStringLiteral("/baricadr.sqlite"));
    QCOMPARE(firstCode(rows.value(QStringLiteral("DATABASE_URI")).value(1)),
             QStringLiteral("sqlite://<BARICADR_DATA_DIR>/baricadr.sqlite"));
}

void TestConfigDocs::ignoredLegacyKeys()
{
    static const QRegularExpression item(QStringLiteral("^- `([A-Z_0-9]+)`$"));
    QStringList documented;
    for (const QString &l :
         section(QStringLiteral("### Keys of the original that are accepted and ignored"))) {
        const auto m = item.match(l);
        if (m.hasMatch())
            documented.append(m.captured(1));
    }
    QCOMPARE(documented, Settings::ignoredLegacyKeys());
}

void TestConfigDocs::reposKeys()
{
    QStringList documented;
    tableRows(section(QStringLiteral("### Keys")), &documented);
    QVERIFY(!documented.isEmpty());
    QCOMPARE(documented.size(), QSet<QString>(documented.begin(), documented.end()).size());
    QStringList code = reposAllKeys();
    QStringList docs = documented;
    code.sort();
    docs.sort();
    QCOMPARE(docs, code);
}

void TestConfigDocs::reposDefaults()
{
    QStringList order;
    const auto rows = tableRows(section(QStringLiteral("### Keys")), &order);
    const RepoConfig d;
    const QHash<QString, QString> actual = {
        {QStringLiteral("freezable"), d.freezable ? QStringLiteral("true") : QStringLiteral("false")},
        {QStringLiteral("freeze_age"), QString::number(d.freezeAge)},
        {QStringLiteral("auto_freeze"), d.autoFreeze ? QStringLiteral("true") : QStringLiteral("false")},
        {QStringLiteral("auto_freeze_interval"), QString::number(d.autoFreezeInterval)},
        {QStringLiteral("disable_atime_test"),
         d.disableAtimeTest ? QStringLiteral("true") : QStringLiteral("false")},
        {QStringLiteral("verify"), verifyModeName(d.verify)},
        {QStringLiteral("freeze_min_age"), QString::number(d.freezeMinAge)},
        {QStringLiteral("verify_interval"), QString::number(d.verifyInterval)},
    };
    for (auto it = actual.constBegin(); it != actual.constEnd(); ++it) {
        QVERIFY2(rows.contains(it.key()), qPrintable(it.key()));
        QCOMPARE(firstCode(rows.value(it.key()).value(2)), it.value());
    }
    // Backend column: every backend key is documented with its backend.
    for (Backend b : {Backend::Sftp, Backend::S3, Backend::Local, Backend::Rclone}) {
        for (const QString &k : reposBackendKeys(b))
            QVERIFY2(rows.value(k).value(1).contains(backendName(b)), qPrintable(k));
    }
    for (const QString &k : reposCommonKeys())
        QCOMPARE(rows.value(k).value(1), QStringLiteral("all"));
}

QTEST_GUILESS_MAIN(TestConfigDocs)
#include "tst_configdocs.moc"
