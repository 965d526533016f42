#include "config/reposloader.h"
#include "repo/filesystem.h"

#include "loopmount.h"
#include "testtree.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>
#include <memory>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "resultverify.h"

using namespace baricadr;
using baricadr::test::LoopMount;

namespace {

time_t atimeOf(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return st.st_atim.tv_sec;
}

qint64 atimeNsOf(const QString &path)
{
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return qint64(st.st_atim.tv_sec) * 1000000000 + st.st_atim.tv_nsec;
}

bool readOnce(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    return !f.read(16).isEmpty();
}

QStringList probeFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral(".baricadr-atime-test-*")}, QDir::Files | QDir::Hidden);
}

} // namespace

// Real ext4 filesystems loop-mounted noatime, strictatime and relatime (root only), plus the
// parts that need no root on the test machine's own /tmp.
class TestAtime : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::unique_ptr<LoopMount> m_noatime, m_strict, m_relatime;
    QString m_skipReason;

    LoopMount *mountFor(const QString &mode)
    {
        if (mode == u"noatime")
            return m_noatime.get();
        if (mode == u"strictatime")
            return m_strict.get();
        return m_relatime.get();
    }
    bool needMounts() { return m_skipReason.isEmpty(); }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // No root needed.
    void toStringNames();
    void detectOnTmpAgreesWithStatvfs();
    void probeOnTmp();
    void usageOnTmp();

    // Loop mounts.
    void detectMode_data();
    void detectMode();
    void probe_data();
    void probe();
    void relatimeUpdatesOncePerDay();
    void freezableRepoOnNoatimeRefused();
    void freezableRepoOnNoatimeAcceptedWhenTestDisabled();
    void nonFreezableRepoOnNoatimeAccepted();
    void freezableRepoOnRelatimeAccepted();
    void usageOnSmallFilesystem();
};

void TestAtime::initTestCase()
{
    QVERIFY(m_work.isValid());
    m_skipReason = LoopMount::unavailableReason();
    if (!m_skipReason.isEmpty())
        return;
    const struct
    {
        const char *option;
        std::unique_ptr<LoopMount> *slot;
    } mounts[] = {{"noatime", &m_noatime}, {"strictatime", &m_strict}, {"relatime", &m_relatime}};
    for (const auto &m : mounts) {
        const QString dir = m_work.filePath(QLatin1String(m.option));
        QVERIFY(QDir().mkpath(dir));
        *m.slot = std::make_unique<LoopMount>();
        QVERIFY2((*m.slot)->mount(dir, QLatin1String(m.option)), qPrintable((*m.slot)->errorString()));
    }
}

void TestAtime::cleanupTestCase()
{
    // Unmounts even when a test failed (the destructors detach lazily if something is busy).
    for (auto *slot : {&m_noatime, &m_strict, &m_relatime}) {
        if (*slot && !(*slot)->unmount())
            qWarning("could not unmount: %s", qPrintable((*slot)->errorString()));
        slot->reset();
    }
}

void TestAtime::toStringNames()
{
    QCOMPARE(toString(AtimeMode::Strict), QStringLiteral("strictatime"));
    QCOMPARE(toString(AtimeMode::Relatime), QStringLiteral("relatime"));
    QCOMPARE(toString(AtimeMode::NoAtime), QStringLiteral("noatime"));
    QCOMPARE(toString(AtimeMode::Unknown), QStringLiteral("unknown"));
}

void TestAtime::detectOnTmpAgreesWithStatvfs()
{
    QTemporaryDir dir;
    struct statvfs st;
    QCOMPARE(::statvfs(QFile::encodeName(dir.path()).constData(), &st), 0);
    const AtimeMode expected = (st.f_flag & ST_NOATIME)    ? AtimeMode::NoAtime
                               : (st.f_flag & ST_RELATIME) ? AtimeMode::Relatime
                                                           : AtimeMode::Strict;
    QCOMPARE(toString(detectAtimeMode(dir.path())), toString(expected));
    // A path that does not exist yet is judged by the filesystem it would be created on.
    QCOMPARE(toString(detectAtimeMode(dir.filePath(QStringLiteral("not/yet")))), toString(expected));
    const auto mount = findMount(dir.path());
    QVERIFY(mount);
    QVERIFY(!mount->fsType.isEmpty());
    QVERIFY2(dir.path().startsWith(mount->mountPoint), qPrintable(mount->mountPoint));
}

void TestAtime::probeOnTmp()
{
    QTemporaryDir dir;
    const Status s = testAtimeUpdates(dir.path());
    if (detectAtimeMode(dir.path()) == AtimeMode::NoAtime)
        QVERIFY(!s.ok());
    else
        QVERIFY_OK(s);
    QVERIFY(probeFiles(dir.path()).isEmpty());
    // A directory we cannot write to is a clear error, not a crash.
    const Status missing = testAtimeUpdates(dir.filePath(QStringLiteral("missing")));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.startsWith(
                 QStringLiteral("atime test in %1/missing: cannot create a test file: ").arg(dir.path())),
             qPrintable(missing.error().message));
}

void TestAtime::usageOnTmp()
{
    QTemporaryDir dir;
    const auto u = filesystemUsage(dir.path());
    QVERIFY_OK(u);
    QVERIFY(u->total > 0);
    QVERIFY(u->available >= 0 && u->available <= u->total);
    QVERIFY(u->used >= 0 && u->used <= u->total);
    QVERIFY(u->usedPercent >= 0.0 && u->usedPercent <= 100.0);
    const auto missing = filesystemUsage(dir.filePath(QStringLiteral("nope")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::Io);
}

void TestAtime::detectMode_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("expected");
    QTest::newRow("noatime") << "noatime"
                             << "noatime";
    QTest::newRow("strictatime") << "strictatime"
                                 << "strictatime";
    QTest::newRow("relatime") << "relatime"
                              << "relatime";
}

void TestAtime::detectMode()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    QFETCH(QString, option);
    QFETCH(QString, expected);
    LoopMount *m = mountFor(option);
    QVERIFY(QDir().mkpath(m->mountPoint() + QStringLiteral("/repo/sub")));
    QCOMPARE(toString(detectAtimeMode(m->mountPoint() + QStringLiteral("/repo/sub"))), expected);
    const auto info = findMount(m->mountPoint() + QStringLiteral("/repo"));
    QVERIFY(info);
    QCOMPARE(info->mountPoint, QFileInfo(m->mountPoint()).canonicalFilePath());
    QCOMPARE(info->fsType, QStringLiteral("ext4"));
}

void TestAtime::probe_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<bool>("updates");
    QTest::newRow("noatime") << "noatime" << false;
    QTest::newRow("strictatime") << "strictatime" << true;
    QTest::newRow("relatime") << "relatime" << true;
}

void TestAtime::probe()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    QFETCH(QString, option);
    QFETCH(bool, updates);
    const QString dir = mountFor(option)->mountPoint();
    const Status s = testAtimeUpdates(dir);
    if (updates) {
        QVERIFY_OK(s);
    } else {
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, ErrorCode::Config);
        QVERIFY2(s.error().message.startsWith(
                     QStringLiteral("reading a file in %1 does not update its last access "
                                    "time (filesystem %1 mounted with \"")
                         .arg(dir)),
                 qPrintable(s.error().message));
        QVERIFY(s.error().message.contains(QStringLiteral("noatime")));
    }
    QVERIFY(probeFiles(dir).isEmpty()); // cleaned up either way
}

// What docs/configuration.md says about relatime: a read updates atime when the previous atime
// is older than mtime/ctime or than 24 h, not on every read; strictatime updates it every time.
void TestAtime::relatimeUpdatesOncePerDay()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    for (const QString &option : {QStringLiteral("relatime"), QStringLiteral("strictatime")}) {
        const QString file = mountFor(option)->mountPoint() + QStringLiteral("/relatime-probe.txt");
        QVERIFY(
            test::writeFile(mountFor(option)->mountPoint(), QStringLiteral("relatime-probe.txt"), "data\n"));
        const double now = double(::time(nullptr));
        // atime 2 days old, newer than mtime: a read moves it (older than 24 h).
        QVERIFY(test::setTimes(file, now - 2 * 86400, now - 3 * 86400));
        QVERIFY(readOnce(file));
        const time_t afterFirst = atimeOf(file);
        QVERIFY2(afterFirst >= time_t(now) - 5, qPrintable(option));
        // Read again soon after: relatime keeps the atime (it is newer than mtime and ctime and
        // younger than 24 h), strictatime moves it on every read. (Setting times with utimensat
        // bumps ctime, so this is the only way to observe "no update" without waiting a day.)
        const qint64 firstNs = atimeNsOf(file);
        QTest::qWait(50); // let the kernel's coarse clock tick
        QVERIFY(readOnce(file));
        if (option == u"relatime")
            QCOMPARE(atimeNsOf(file), firstNs);
        else
            QVERIFY2(atimeNsOf(file) > firstNs, qPrintable(option));
        // atime older than mtime (file modified after its last read): relatime moves it.
        QVERIFY(test::setTimes(file, now - 7200, now - 3600));
        QVERIFY(readOnce(file));
        QVERIFY2(atimeOf(file) >= time_t(now) - 5, qPrintable(option));
        QVERIFY(QFile::remove(file));
    }
}

void TestAtime::freezableRepoOnNoatimeRefused()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    const QString root = m_noatime->mountPoint() + QStringLiteral("/frozen-repo");
    const QByteArray yaml =
        QStringLiteral("%1:\n    backend: sftp\n    url: h:/p\n    user: u\n    password: p\n"
                       "    freezable: true\n")
            .arg(root)
            .toUtf8();
    const auto r = loadReposText(yaml, QStringLiteral("repos.yml"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Config);
    const QString expectedStart =
        QStringLiteral("repos.yml:1: %1: cannot be freezable: reading a file in %1 does not "
                       "update its last access time (filesystem %2 mounted with \"")
            .arg(root, m_noatime->mountPoint());
    QVERIFY2(r.error().message.startsWith(expectedStart), qPrintable(r.error().message));
    QVERIFY2(
        r.error().message.endsWith(QStringLiteral("a freezable repository needs atime updates (remount with "
                                                  "relatime or strictatime, not noatime), or set "
                                                  "disable_atime_test: true if access times are maintained "
                                                  "otherwise")),
        qPrintable(r.error().message));
    QVERIFY(probeFiles(root).isEmpty());
}

void TestAtime::freezableRepoOnNoatimeAcceptedWhenTestDisabled()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    const QString root = m_noatime->mountPoint() + QStringLiteral("/trusted-repo");
    const QByteArray yaml =
        QStringLiteral("%1:\n    backend: sftp\n    url: h:/p\n    user: u\n    password: p\n"
                       "    freezable: true\n    disable_atime_test: true\n")
            .arg(root)
            .toUtf8();
    const auto r = loadReposText(yaml, QStringLiteral("repos.yml"));
    QVERIFY_OK(r);
    QVERIFY(r->first().freezable);
    QVERIFY(r->first().disableAtimeTest);
    // The option for tools (check-config) skips the test too.
    ReposLoadOptions o;
    o.testAtime = false;
    const QByteArray strict =
        QStringLiteral("%1:\n    backend: sftp\n    url: h:/p\n    user: u\n    password: p\n"
                       "    freezable: true\n")
            .arg(root)
            .toUtf8();
    QVERIFY_OK(loadReposText(strict, QStringLiteral("repos.yml"), o));
}

void TestAtime::nonFreezableRepoOnNoatimeAccepted()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    const QString root = m_noatime->mountPoint() + QStringLiteral("/pull-only");
    const QByteArray yaml =
        QStringLiteral("%1:\n    backend: sftp\n    url: h:/p\n    user: u\n    password: p\n")
            .arg(root)
            .toUtf8();
    QVERIFY_OK(loadReposText(yaml, QStringLiteral("repos.yml")));
}

void TestAtime::freezableRepoOnRelatimeAccepted()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    for (LoopMount *m : {m_relatime.get(), m_strict.get()}) {
        const QString root = m->mountPoint() + QStringLiteral("/freezable");
        const QByteArray yaml =
            QStringLiteral("%1:\n    backend: sftp\n    url: h:/p\n    user: u\n    password: p\n"
                           "    freezable: true\n")
                .arg(root)
                .toUtf8();
        const auto r = loadReposText(yaml, QStringLiteral("repos.yml"));
        QVERIFY_OK(r);
        QVERIFY(probeFiles(root).isEmpty());
    }
}

void TestAtime::usageOnSmallFilesystem()
{
    if (!needMounts())
        QSKIP(qPrintable(m_skipReason));
    const QString dir = m_strict->mountPoint();
    const auto before = filesystemUsage(dir);
    QVERIFY_OK(before);
    QVERIFY2(before->total > 8 * 1024 * 1024 && before->total <= 16 * 1024 * 1024,
             qPrintable(QString::number(before->total)));
    QVERIFY(test::writeFile(dir, QStringLiteral("ballast.bin"), QByteArray(4 * 1024 * 1024, 'x')));
    ::sync();
    const auto after = filesystemUsage(dir);
    QVERIFY_OK(after);
    QVERIFY2(after->used - before->used >= 4 * 1024 * 1024,
             qPrintable(QStringLiteral("%1 -> %2").arg(before->used).arg(after->used)));
    QVERIFY(after->usedPercent > before->usedPercent);
    QVERIFY(after->available < before->available);
    QVERIFY(QFile::remove(dir + QStringLiteral("/ballast.bin")));
}

QTEST_GUILESS_MAIN(TestAtime)
#include "tst_atime.moc"
