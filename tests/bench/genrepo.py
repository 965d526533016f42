#!/usr/bin/python3
"""Generates a test repository (and optionally its remote copy) for the freeze benchmarks.

N files over N/100 directories (two levels: d0000/e00/), sizes from a realistic mix (most files
small, a few large), last access spread over two years with a configurable cold fraction
(cold = read more than --freeze-age days ago). Files are sparse (truncate), so a 1M-file repo
costs inodes, not gigabytes: the freeze planner never reads contents.

  genrepo.py --files 100000 --cold 0.5 --local /tmp/b/local --remote /tmp/b/remote
The remote copy gets the same sizes and mtimes (what `rclone sync` leaves), nothing else.
"""
import argparse
import os
import random
import time

DAY = 86400.0


def size_for(rng):
    r = rng.random()
    if r < 0.60:
        return rng.randint(0, 4096)
    if r < 0.90:
        return rng.randint(4096, 65536)
    if r < 0.99:
        return rng.randint(65536, 512 * 1024)
    return rng.randint(1 << 20, 64 << 20)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, required=True)
    ap.add_argument("--cold", type=float, default=0.5, help="fraction of files read more than --freeze-age days ago")
    ap.add_argument("--freeze-age", type=int, default=180)
    ap.add_argument("--local", required=True)
    ap.add_argument("--remote", help="also write the remote copy here")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--atime-only", action="store_true",
                    help="only set the last-access times of an existing --local tree (another cold fraction)")
    a = ap.parse_args()

    rng = random.Random(a.seed)          # sizes and mtimes
    arng = random.Random(a.seed + 1)     # last-access times: independent of the sizes
    now = time.time()
    ndirs = max(1, a.files // 100)
    made = set()
    total = 0
    cold = 0
    for i in range(a.files):
        d = i % ndirs
        rel = "d%04d/e%02d/f%07d.dat" % (d // 100, d % 100, i)
        parent = os.path.dirname(rel)
        size = size_for(rng)
        mtime = now - rng.uniform(730, 1500) * DAY
        if arng.random() < a.cold:
            atime = now - arng.uniform(a.freeze_age + 1, 730) * DAY
            cold += 1
        else:
            atime = now - arng.uniform(0, a.freeze_age - 1) * DAY
        if a.atime_only:
            path = os.path.join(a.local, rel)
            os.utime(path, ns=(int(atime * 1e9), os.lstat(path).st_mtime_ns))
            total += size
            continue
        for root in (a.local, a.remote):
            if root is None:
                continue
            pdir = os.path.join(root, parent)
            if (root, parent) not in made:
                os.makedirs(pdir, exist_ok=True)
                made.add((root, parent))
            path = os.path.join(root, rel)
            with open(path, "wb") as f:
                f.truncate(size)
            os.utime(path, (atime, mtime))
        total += size
    print("generated %d files (%d cold, %.1f%%) in %d dirs, %.1f GiB apparent"
          % (a.files, cold, 100.0 * cold / max(1, a.files), ndirs, total / float(1 << 30)))


if __name__ == "__main__":
    main()
