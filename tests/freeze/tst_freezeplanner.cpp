#include "freeze/freezeplanner.h"

#include <QTest>

using namespace baricadr;

namespace {

constexpr qint64 kNow = 1'790'000'000LL * kNsPerSecond; // a fixed "now": the planner has no clock
constexpr qint64 kMtime = 1'700'000'000LL * kNsPerSecond + 700'000'000LL; // x.7 s: SFTP truncates

LocalEntry local(const QString &rel, qint64 size, double atimeDaysAgo, bool symlink = false,
                 bool special = false)
{
    LocalEntry e;
    e.relPath = rel;
    e.size = size;
    e.mtimeNs = kMtime;
    e.atimeNs = kNow - qint64(atimeDaysAgo * double(kNsPerDay));
    e.inode = 42;
    e.device = 1;
    e.isSymlink = symlink;
    e.isSpecial = special;
    return e;
}

} // namespace

class TestFreezePlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rules_data();
    void rules();
    void ageThresholdEdge();
    void pinsByComponent_data();
    void pinsByComponent();
    void everyEntryAccountedFor();
    void candidatesAreWhatTheRemoteIsAskedAbout();
    void incrementalEqualsOneShot();
    void chunkedEqualsOneShot_data();
    void chunkedEqualsOneShot();
    void recentlyAccessedCountedOnly();
    void watermarkOldestFirstUntilEnough();
    void watermarkKeepsMinAgeEvenForced();
    void histogram();
    void reasonNamesRoundTrip();
};

// remote: "none", "file", "link", "dir"
void TestFreezePlanner::rules_data()
{
    QTest::addColumn<QString>("rel");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<double>("atimeDaysAgo");
    QTest::addColumn<QString>("localKind"); // file, link, special
    QTest::addColumn<QString>("remote");
    QTest::addColumn<qint64>("remoteSize");
    QTest::addColumn<qint64>("remoteMtimeDelta"); // remote mtime - local mtime, ns
    QTest::addColumn<QString>("remoteHash");
    QTest::addColumn<bool>("force");
    QTest::addColumn<bool>("checksum");
    QTest::addColumn<QString>("pin");
    QTest::addColumn<QString>("expected"); // "freeze" or a reason's wire name

    const qint64 s = kNsPerSecond;
    // clang-format off
    QTest::newRow("cold, same on remote") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "" << false << false << "" << "freeze";
    QTest::newRow("recently read") << "a/f.txt" << 100LL << 10.0 << "file" << "file" << 100LL << 0LL << "" << false << false << "" << "recently_accessed";
    QTest::newRow("recently read, forced") << "a/f.txt" << 100LL << 10.0 << "file" << "file" << 100LL << 0LL << "" << true << false << "" << "freeze";
    QTest::newRow("recent and missing remotely: local rule first") << "a/f.txt" << 100LL << 1.0 << "file" << "none" << 0LL << 0LL << "" << false << false << "" << "recently_accessed";
    QTest::newRow("not on remote") << "a/f.txt" << 100LL << 200.0 << "file" << "none" << 0LL << 0LL << "" << false << false << "" << "not_on_remote";
    QTest::newRow("not on remote, forced") << "a/f.txt" << 100LL << 10.0 << "file" << "none" << 0LL << 0LL << "" << true << false << "" << "not_on_remote";
    QTest::newRow("remote is a directory") << "a/f.txt" << 100LL << 200.0 << "file" << "dir" << 0LL << 0LL << "" << false << false << "" << "not_on_remote";
    QTest::newRow("size differs") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 99LL << 0LL << "" << false << false << "" << "size_mismatch";
    QTest::newRow("size differs, forced") << "a/f.txt" << 100LL << 1.0 << "file" << "file" << 101LL << 0LL << "" << true << false << "" << "size_mismatch";
    QTest::newRow("remote size unknown") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << -1LL << 0LL << "" << false << false << "" << "size_mismatch";
    QTest::newRow("empty file, same") << "a/empty" << 0LL << 200.0 << "file" << "file" << 0LL << 0LL << "" << false << false << "" << "freeze";
    QTest::newRow("remote 2 s older") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << -2 * s << "" << false << false << "" << "modified_locally";
    QTest::newRow("remote older, forced") << "a/f.txt" << 100LL << 1.0 << "file" << "file" << 100LL << -3600 * s << "" << true << false << "" << "modified_locally";
    QTest::newRow("remote 0.7 s older (SFTP truncation)") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << -700'000'000LL << "" << false << false << "" << "freeze";
    QTest::newRow("remote exactly tolerance older") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << -s << "" << false << false << "" << "freeze";
    QTest::newRow("remote tolerance + 1 ns older") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << -s - 1 << "" << false << false << "" << "modified_locally";
    QTest::newRow("remote newer") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 86400 * s << "" << false << false << "" << "freeze";
    QTest::newRow("excluded") << "a/f.xml" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "" << false << false << "" << "excluded";
    QTest::newRow("excluded, forced") << "a/f.xml" << 100LL << 1.0 << "file" << "file" << 100LL << 0LL << "" << true << false << "" << "excluded";
    QTest::newRow("pinned dir") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "" << false << false << "a" << "pinned";
    QTest::newRow("pinned, forced") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "" << true << false << "/a/" << "pinned";
    QTest::newRow("pin of a sibling prefix") << "ab/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "" << false << false << "a" << "freeze";
    QTest::newRow("fifo") << "a/fifo" << 0LL << 200.0 << "special" << "file" << 0LL << 0LL << "" << true << false << "" << "not_regular_file";
    QTest::newRow("symlink, same target length") << "a/link" << 14LL << 200.0 << "link" << "link" << 14LL << 0LL << "" << false << false << "" << "freeze";
    QTest::newRow("symlink, other target") << "a/link" << 14LL << 200.0 << "link" << "link" << 15LL << 0LL << "" << false << false << "" << "size_mismatch";
    QTest::newRow("symlink, remote has a file") << "a/link" << 14LL << 200.0 << "link" << "file" << 14LL << 0LL << "" << false << false << "" << "not_on_remote";
    QTest::newRow("symlink, remote lacks it") << "a/link" << 14LL << 200.0 << "link" << "none" << 0LL << 0LL << "" << true << false << "" << "not_on_remote";
    QTest::newRow("file, remote has a symlink") << "a/f.txt" << 14LL << 200.0 << "file" << "link" << 14LL << 0LL << "" << false << false << "" << "not_on_remote";
    QTest::newRow("checksum, remote has no hash") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "" << false << true << "" << "checksum_unavailable";
    QTest::newRow("checksum, remote hash present") << "a/f.txt" << 100LL << 200.0 << "file" << "file" << 100LL << 0LL << "d41d8cd98f00b204e9800998ecf8427e" << false << true << "" << "freeze";
    // clang-format on
}

void TestFreezePlanner::rules()
{
    QFETCH(QString, rel);
    QFETCH(qint64, size);
    QFETCH(double, atimeDaysAgo);
    QFETCH(QString, localKind);
    QFETCH(QString, remote);
    QFETCH(qint64, remoteSize);
    QFETCH(qint64, remoteMtimeDelta);
    QFETCH(QString, remoteHash);
    QFETCH(bool, force);
    QFETCH(bool, checksum);
    QFETCH(QString, pin);
    QFETCH(QString, expected);

    const LocalEntry e = local(rel, size, atimeDaysAgo, localKind == u"link", localKind == u"special");
    QHash<QString, RemoteEntry> remoteIndex;
    if (remote != u"none") {
        RemoteEntry r;
        r.relPath = rel;
        r.size = remoteSize;
        r.mtimeNs = e.mtimeNs + remoteMtimeDelta;
        r.isSymlink = remote == u"link";
        r.isDir = remote == u"dir";
        r.hash = remoteHash;
        r.hashType = QStringLiteral("md5");
        remoteIndex.insert(rel, r);
    }
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 180;
    policy.force = force;
    policy.checksum = checksum;
    policy.isExcluded = [](const QString &p) { return p.endsWith(u".xml"); };
    if (!pin.isEmpty())
        policy.pins = {pin};

    const FreezePlan plan = planFreeze({e}, remoteIndex, policy);
    if (expected == u"freeze") {
        QCOMPARE(plan.toFreeze.size(), size_t(1));
        QVERIFY(plan.kept.empty());
        QCOMPARE(plan.toFreeze[0].local.relPath, rel);
        QCOMPARE(plan.bytesToFreeze, size);
    } else {
        QVERIFY2(plan.toFreeze.empty(), "must be kept");
        QCOMPARE(plan.kept.size(), size_t(1));
        QCOMPARE(toString(plan.kept[0].reason), expected);
        QCOMPARE(plan.kept[0].relPath, rel);
        QCOMPARE(plan.bytesToFreeze, 0);
        QCOMPARE(plan.keptCounts.at(plan.kept[0].reason), 1);
    }
    // The pre-filter agrees with the local rules: a file kept by a local rule is never asked about.
    const bool localKeep = expected == u"recently_accessed" || expected == u"excluded" ||
                           expected == u"pinned" || expected == u"not_regular_file";
    QCOMPARE(selectCandidates({e}, policy).empty(), localKeep);
}

void TestFreezePlanner::ageThresholdEdge()
{
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 30;
    LocalEntry e = local(QStringLiteral("f"), 1, 0);
    e.atimeNs = policy.coldBeforeNs(); // exactly freeze_age ago: not *older* than freeze_age
    QCOMPARE(selectCandidates({e}, policy).size(), size_t(0));
    e.atimeNs -= 1;
    QCOMPARE(selectCandidates({e}, policy).size(), size_t(1));
}

void TestFreezePlanner::pinsByComponent_data()
{
    QTest::addColumn<QString>("pin");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("covered");
    QTest::newRow("dir covers child") << "a"
                                      << "a/x" << true;
    QTest::newRow("dir covers deep child") << "a/b"
                                           << "a/b/c/d/e" << true;
    QTest::newRow("exact file") << "a/b/f.txt"
                                << "a/b/f.txt" << true;
    QTest::newRow("leading slash") << "/a"
                                   << "a/x" << true;
    QTest::newRow("trailing slash") << "a/"
                                    << "a/x" << true;
    QTest::newRow("/a does not cover ab") << "/a"
                                          << "ab" << false;
    QTest::newRow("/a does not cover ab/x") << "/a"
                                            << "ab/x" << false;
    QTest::newRow("a/b does not cover a/bc") << "a/b"
                                             << "a/bc/x" << false;
    QTest::newRow("child does not cover parent's file") << "a/b"
                                                        << "a/x" << false;
    QTest::newRow("root pin") << "/"
                              << "anything/at/all" << true;
    QTest::newRow("space in name") << "my dir"
                                   << "my dir/a file" << true;
}

void TestFreezePlanner::pinsByComponent()
{
    QFETCH(QString, pin);
    QFETCH(QString, path);
    QFETCH(bool, covered);
    QCOMPARE(PinSet({pin}).covers(path), covered);
}

void TestFreezePlanner::everyEntryAccountedFor()
{
    std::vector<LocalEntry> locals;
    QHash<QString, RemoteEntry> remote;
    for (int i = 0; i < 1000; ++i) {
        LocalEntry e =
            local(QStringLiteral("d%1/f%2").arg(i % 10).arg(i), i, (i % 7) * 60.0, false, i % 97 == 0);
        locals.push_back(e);
        if (i % 3) {
            RemoteEntry r;
            r.relPath = e.relPath;
            r.size = i % 5 ? i : i + 1;
            r.mtimeNs = e.mtimeNs;
            remote.insert(r.relPath, r);
        }
    }
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 100;
    policy.pins = {QStringLiteral("d3")};
    const FreezePlan plan = planFreeze(locals, remote, policy);
    QCOMPARE(qint64(plan.toFreeze.size()) + plan.keptTotal(), qint64(locals.size()));
    QCOMPARE(plan.kept.size(), size_t(plan.keptTotal()));
    QCOMPARE(plan.localFiles, qint64(locals.size()));
    QSet<QString> seen;
    for (const auto &c : plan.toFreeze)
        seen.insert(c.local.relPath);
    for (const auto &k : plan.kept)
        seen.insert(k.relPath);
    QCOMPARE(seen.size(), qsizetype(locals.size()));
    QVERIFY(plan.keptCounts.count(KeepReason::Pinned));
    QVERIFY(plan.keptCounts.count(KeepReason::NotOnRemote));
    QVERIFY(plan.keptCounts.count(KeepReason::SizeMismatch));
    QVERIFY(plan.keptCounts.count(KeepReason::RecentlyAccessed));
    QVERIFY(plan.keptCounts.count(KeepReason::NotRegularFile));
    QVERIFY(!plan.toFreeze.empty());
}

void TestFreezePlanner::candidatesAreWhatTheRemoteIsAskedAbout()
{
    std::vector<LocalEntry> locals;
    for (int i = 0; i < 100; ++i)
        locals.push_back(local(QStringLiteral("f%1").arg(i), 1, i < 3 ? 400.0 : 2.0));
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 180;
    const auto cands = selectCandidates(locals, policy);
    QCOMPARE(cands.size(), size_t(3));
    FreezePlanner planner(policy);
    for (const auto &e : locals)
        planner.addLocal(e);
    QCOMPARE(planner.candidatePaths(),
             (QStringList{QStringLiteral("f0"), QStringLiteral("f1"), QStringLiteral("f2")}));
}

void TestFreezePlanner::incrementalEqualsOneShot()
{
    std::vector<LocalEntry> locals;
    QHash<QString, RemoteEntry> remote;
    for (int i = 0; i < 500; ++i) {
        LocalEntry e = local(QStringLiteral("f%1").arg(i), i, i % 400);
        locals.push_back(e);
        RemoteEntry r;
        r.relPath = e.relPath;
        r.size = i % 11 ? i : 0;
        r.mtimeNs = e.mtimeNs;
        remote.insert(r.relPath, r);
    }
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 100;
    const FreezePlan a = planFreeze(locals, remote, policy);
    FreezePlanner planner(policy);
    for (size_t i = 0; i < locals.size(); i += 64)
        planner.addLocal(
            std::vector<LocalEntry>(locals.begin() + i, locals.begin() + std::min(locals.size(), i + 64)));
    const FreezePlan b = planner.finish(remote);
    QCOMPARE(a.toFreeze.size(), b.toFreeze.size());
    QCOMPARE(a.kept.size(), b.kept.size());
    QCOMPARE(a.bytesToFreeze, b.bytesToFreeze);
    QVERIFY(a.keptCounts == b.keptCounts);
}

// Candidates taken in chunks while the scan goes on, each verified against the remote, then
// merged: the same plan as the one-shot planner, whatever the chunk size (1: every candidate
// is the first and the last of its chunk), also for a watermark freeze (picked after merging).
void TestFreezePlanner::chunkedEqualsOneShot_data()
{
    QTest::addColumn<int>("chunk");
    QTest::addColumn<bool>("watermark");
    for (int chunk : {1, 2, 7, 64, 1000}) {
        QTest::addRow("chunk %d", chunk) << chunk << false;
        QTest::addRow("chunk %d, watermark", chunk) << chunk << true;
    }
}

void TestFreezePlanner::chunkedEqualsOneShot()
{
    QFETCH(int, chunk);
    QFETCH(bool, watermark);
    std::vector<LocalEntry> locals;
    QHash<QString, RemoteEntry> remote;
    for (int i = 0; i < 300; ++i) {
        LocalEntry e = local(QStringLiteral("d%1/f%2").arg(i % 7).arg(i), 10 + i, i % 400);
        locals.push_back(e);
        if (i % 13 == 5)
            continue; // not on the remote
        RemoteEntry r;
        r.relPath = e.relPath;
        r.size = i % 11 == 3 ? 1 : e.size;                                  // some differ in size
        r.mtimeNs = i % 17 == 4 ? e.mtimeNs - 5 * kNsPerSecond : e.mtimeNs; // some are older
        remote.insert(r.relPath, r);
    }
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 100;
    if (watermark)
        policy.watermark = WatermarkPolicy{5000, 30};
    const FreezePlan a = planFreeze(locals, remote, policy);

    FreezePlanner planner(policy);
    FreezePlan verdicts;
    verdicts.histogram = FreezePlanner::emptyHistogram();
    std::vector<KeptFile> keptOnTheWay;
    qint64 files = 0;
    for (size_t i = 0; i < locals.size(); i += 5) { // scan batches of 5
        planner.addLocal(
            std::vector<LocalEntry>(locals.begin() + i, locals.begin() + std::min(locals.size(), i + 5)));
        for (KeptFile &k : planner.takeKept())
            keptOnTheWay.push_back(std::move(k));
        if (planner.candidates().size() >= size_t(chunk)) {
            qint64 n = 0;
            std::vector<LocalEntry> c = planner.takeCandidates(&n);
            files += n;
            QVERIFY(!c.empty());
            QVERIFY(n >= qint64(c.size()));
            planner.verify(std::move(c), remote, verdicts);
        }
    }
    qint64 n = 0;
    planner.verify(planner.takeCandidates(&n), remote, verdicts);
    files += n;
    QCOMPARE(files, qint64(locals.size())); // every entry counted in exactly one chunk
    FreezePlan b = planner.finish(std::move(verdicts));
    b.kept.insert(b.kept.begin(), keptOnTheWay.begin(), keptOnTheWay.end());

    const auto freezeSet = [](const FreezePlan &p) {
        QStringList out;
        for (const FreezeCandidate &c : p.toFreeze)
            out << QStringLiteral("%1 %2 %3").arg(c.local.relPath).arg(c.remote.size).arg(c.remote.mtimeNs);
        return out;
    };
    const auto keptSet = [](const FreezePlan &p) {
        QStringList out;
        for (const KeptFile &k : p.kept)
            out << k.relPath + u' ' + toString(k.reason) + u' ' + k.detail;
        out.sort();
        return out;
    };
    QStringList fa = freezeSet(a), fb = freezeSet(b);
    if (!watermark) { // a watermark's order is part of the plan; otherwise compare as sets
        fa.sort();
        fb.sort();
    }
    QVERIFY(!fa.isEmpty());
    QCOMPARE(fb, fa);
    QCOMPARE(keptSet(b), keptSet(a));
    QCOMPARE(b.bytesToFreeze, a.bytesToFreeze);
    QVERIFY(b.keptCounts == a.keptCounts);
    QVERIFY(b.keptBytes == a.keptBytes);
    QCOMPARE(b.localFiles, a.localFiles);
    QCOMPARE(b.localBytes, a.localBytes);
    QCOMPARE(b.histogram.size(), a.histogram.size());
    for (size_t i = 0; i < a.histogram.size(); ++i) {
        QCOMPARE(b.histogram[i].files, a.histogram[i].files);
        QCOMPARE(b.histogram[i].bytes, a.histogram[i].bytes);
        QCOMPARE(b.histogram[i].freezableBytes, a.histogram[i].freezableBytes);
    }
    QVERIFY(a.keptCounts.count(KeepReason::NotOnRemote));
    QVERIFY(a.keptCounts.count(KeepReason::SizeMismatch));
    QVERIFY(a.keptCounts.count(KeepReason::ModifiedLocally));
}

void TestFreezePlanner::recentlyAccessedCountedOnly()
{
    std::vector<LocalEntry> locals{local(QStringLiteral("hot"), 5, 1), local(QStringLiteral("cold"), 7, 400)};
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.listRecentlyAccessed = false;
    const FreezePlan plan = planFreeze(locals, {}, policy);
    QCOMPARE(plan.kept.size(), size_t(1));
    QCOMPARE(toString(plan.kept[0].reason), toString(KeepReason::NotOnRemote));
    QCOMPARE(plan.keptCounts.at(KeepReason::RecentlyAccessed), 1);
    QCOMPARE(plan.keptBytes.at(KeepReason::RecentlyAccessed), 5);
    QCOMPARE(plan.keptTotal(), 2);
}

void TestFreezePlanner::watermarkOldestFirstUntilEnough()
{
    std::vector<LocalEntry> locals;
    QHash<QString, RemoteEntry> remote;
    // f0 read 100 days ago … f9 read 10 days ago; 1000 B each; f10 read 2 days ago.
    for (int i = 0; i <= 10; ++i) {
        LocalEntry e = local(QStringLiteral("f%1").arg(i), 1000, i == 10 ? 2.0 : 100.0 - i * 10);
        locals.push_back(e);
        RemoteEntry r;
        r.relPath = e.relPath;
        r.size = 1000;
        r.mtimeNs = e.mtimeNs;
        remote.insert(r.relPath, r);
    }
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 365; // not used by a watermark freeze
    policy.watermark = WatermarkPolicy{2500, 7};
    const FreezePlan plan = planFreeze(locals, remote, policy);
    QCOMPARE(plan.toFreeze.size(), size_t(3)); // 3000 B >= 2500 B
    QCOMPARE(plan.toFreeze[0].local.relPath, QStringLiteral("f0"));
    QCOMPARE(plan.toFreeze[1].local.relPath, QStringLiteral("f1"));
    QCOMPARE(plan.toFreeze[2].local.relPath, QStringLiteral("f2"));
    QCOMPARE(plan.bytesToFreeze, 3000);
    QCOMPARE(plan.keptCounts.at(KeepReason::WatermarkReached), 7);
    QCOMPARE(plan.keptCounts.at(KeepReason::RecentlyAccessed), 1); // f10: under the min age
}

void TestFreezePlanner::watermarkKeepsMinAgeEvenForced()
{
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.force = true;
    policy.watermark = WatermarkPolicy{1'000'000, 7};
    QVERIFY(selectCandidates({local(QStringLiteral("f"), 1, 3)}, policy).empty());
}

void TestFreezePlanner::histogram()
{
    std::vector<LocalEntry> locals{local(QStringLiteral("a"), 10, 1),   local(QStringLiteral("b"), 20, 8),
                                   local(QStringLiteral("c"), 30, 45),  local(QStringLiteral("d"), 40, 100),
                                   local(QStringLiteral("e"), 50, 200), local(QStringLiteral("f"), 60, 400),
                                   local(QStringLiteral("g"), 70, 800), local(QStringLiteral("h"), 80, 7.0)};
    locals.push_back(local(QStringLiteral("future"), 5, -3)); // atime in the future: newest bucket
    QHash<QString, RemoteEntry> remote;
    for (const auto &e : locals) {
        RemoteEntry r;
        r.relPath = e.relPath;
        r.size = e.size;
        r.mtimeNs = e.mtimeNs;
        remote.insert(e.relPath, r);
    }
    FreezePolicy policy;
    policy.nowNs = kNow;
    policy.freezeAgeDays = 180;
    const FreezePlan plan = planFreeze(locals, remote, policy);
    QCOMPARE(plan.histogram.size(), size_t(7));
    const int mins[] = {0, 7, 30, 90, 180, 365, 730};
    const qint64 bytes[] = {15, 100, 30, 40, 50, 60, 70};
    const qint64 freezable[] = {0, 0, 0, 0, 50, 60, 70};
    for (int i = 0; i < 7; ++i) {
        QCOMPARE(plan.histogram[i].minDays, mins[i]);
        QCOMPARE(plan.histogram[i].bytes, bytes[i]);
        QCOMPARE(plan.histogram[i].freezableBytes, freezable[i]);
    }
    QCOMPARE(plan.histogram[6].maxDays, -1);
    QCOMPARE(plan.histogram[0].files, 2);
}

void TestFreezePlanner::reasonNamesRoundTrip()
{
    QSet<QString> names;
    for (KeepReason r : allKeepReasons()) {
        names.insert(toString(r));
        QVERIFY(keepReasonFromString(toString(r)) == std::optional<KeepReason>(r));
    }
    QCOMPARE(names.size(), qsizetype(allKeepReasons().size()));
    QVERIFY(!keepReasonFromString(QStringLiteral("nope")));
}

QTEST_GUILESS_MAIN(TestFreezePlanner)
#include "tst_freezeplanner.moc"
