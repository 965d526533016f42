#pragma once

#include <QString>
#include <QStringList>

namespace baricadr::test {

// The original Baricadr's test layout, relative paths of its regular files:
// file.txt, file2.txt, subdir/subfile.txt, subdir/subsubdir/{poutrelle.tsv,poutrelle.xml,subsubfile.txt},
// subdir/subsubdir2/{poutrelle.xml,subsubfile.txt,subsubsubdir/subsubsubdir2/a file}
QStringList originalLayoutFiles();

// Writes the original layout under `dir` (created if needed); each file's content names its path.
// With `danglingLinks`, also the two dangling symlinks of the original's remote: "subdir/rel_link"
// -> "does/not/exist" (relative) and "subdir/abs_link" -> "/does/not/exist" (absolute).
// Returns false (and warns) on any I/O error.
bool createOriginalLayout(const QString &dir, bool danglingLinks = false);

// Writes `content` to dir/relPath, creating parent directories.
bool writeFile(const QString &dir, const QString &relPath, const QByteArray &content);

// Sets a path's last access time to `daysAgo` days before now (mtime untouched, symlinks not followed).
bool setAtimeDaysAgo(const QString &path, double daysAgo);
// Sets both times (seconds since the epoch, fractional allowed).
bool setTimes(const QString &path, double atime, double mtime);

// Makes every regular file under `dir` look unread for `daysAgo` days.
bool ageTree(const QString &dir, double daysAgo);

// Content of a file, or a null QByteArray when it cannot be read. Reads with O_NOATIME when
// possible so that looking at a file in a test does not make it look recently read.
QByteArray readFileNoAtime(const QString &path);

} // namespace baricadr::test
