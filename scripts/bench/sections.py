"""Benchmark sections 1, 2, 3 and 5 of issue #10: no-op syncs over large
and small unchanged folders, the bytes a no-op moves against a WebDAV
server without hashes, and the first sync of a big folder; each beside raw
`rclone bisync` on an identical pair of trees in the same run.
"""

from pathlib import Path

from common import (OUR_FLAGS, Home, WebDav, copy_tree, hasher_env, log, make_large_tree,
                    make_small_tree, median, ratio, raw_bisync, rm)


def mib(n):
    return n / (1 << 20)


def large_noop(base: Path, count: int, size_mib: int, repeat: int):
    """1. No-op over large unchanged files: ours vs raw default bisync."""
    log(f"\n## 1. no-op over {count} x {size_mib} MiB unchanged files (local-folder remote)")
    src = base / "large" / "local"
    make_large_tree(src, count, size_mib)
    home = Home(base / "large", "ours")
    home.folder(src, "local", {"path": str(base / "large" / "remote")})
    first, _, _ = home.sync()
    raw_l = base / "large" / "raw-local"
    copy_tree(src, raw_l)
    raw_r = base / "large" / "raw-remote"
    raw_w = base / "large" / "raw-work"
    raw_first, _, _ = raw_bisync(raw_l, raw_r, raw_w, "--resync")
    ours, raw, raw_sum = [], [], []
    for _ in range(repeat):
        ours.append(home.sync()[0])
        raw.append(raw_bisync(raw_l, raw_r, raw_w)[0])
    # What the landed engine did on every run: checksums read in full.
    raw_sum.append(raw_bisync(raw_l, raw_r, raw_w, "--compare", "size,modtime,checksum", "--download-hash")[0])
    log(f"first sync: ours {first:.2f} s, raw bisync --resync {raw_first:.2f} s")
    log("no-op runs: ours " + " ".join(f"{t:.3f}" for t in ours) + "; raw " + " ".join(f"{t:.3f}" for t in raw))
    log(f"no-op median of {repeat}: ours {median(ours):.2f} s, raw bisync (default compare) {median(raw):.2f} s"
        f" -> {ratio(median(ours), median(raw)):.2f}x")
    log(f"for reference, raw bisync --compare size,modtime,checksum (reads every byte): {raw_sum[0]:.2f} s")
    log(f"RESULT large_noop ours={median(ours):.3f} raw={median(raw):.3f} ratio={ratio(median(ours), median(raw)):.2f}")
    rm(base / "large")


def webdav_bytes(base: Path, count: int, size_mib: int, repeat: int):
    """2. Bytes a no-op moves against loopback WebDAV without hashes."""
    total = count * size_mib
    log(f"\n## 2. bytes moved by a no-op against `rclone serve webdav` (no hashes), {count} x {size_mib} MiB = {total} MiB")
    root = base / "dav"
    src = root / "local"
    make_large_tree(src, count, size_mib)
    rows = []
    for vendor in ("rclone", "other"):
        dav = WebDav(root / f"server-{vendor}")
        home = Home(root, f"ours-{vendor}")
        home.folder(src, "webdav", {"url": dav.url(), "vendor": vendor, "user": "bench", "password": "${BENCH_PASS}"})
        home.sync()
        moved = []
        for _ in range(repeat):
            d0, u0 = dav.counts()
            secs = home.sync()[0]
            d1, u1 = dav.counts()
            moved.append((d1 - d0, u1 - u0, secs))
        rows.append((f"ours, vendor {vendor}", moved))
        dav.close()
    dav = WebDav(root / "server-raw")
    raw_l = root / "raw-local"
    copy_tree(src, raw_l)
    (dav.root / "share").mkdir()
    env = dav.raw_env("bdav", "rclone")
    work = root / "raw-work"
    raw_bisync(raw_l, "bdav:share", work, "--resync", env=env)
    for label, flags in (
        ("raw bisync, default compare", []),
        ("raw bisync, --compare size,modtime,checksum --download-hash", ["--compare", "size,modtime,checksum", "--download-hash"]),
        ("raw bisync, our flags and hasher overlays", OUR_FLAGS),
    ):
        e = dict(env)
        one = []
        path1, path2 = raw_l, "bdav:share"
        if flags is OUR_FLAGS:
            e.update(hasher_env("bl", "/"))
            e.update(hasher_env("bh", "bdav:"))
            path1, path2 = f"bl:{str(raw_l).lstrip('/')}", "bh:share"
            fl = flags + ["--cache-dir", str(root / "raw-cache")]
            work = root / "raw-work-ours"
            raw_bisync(path1, path2, work, "--resync", *fl, env=e)  # its own listings; fills the overlay's cache
        else:
            fl = flags
        for _ in range(repeat):
            d0, u0 = dav.counts()
            secs = raw_bisync(path1, path2, work, *fl, env=e)[0]
            d1, u1 = dav.counts()
            one.append((d1 - d0, u1 - u0, secs))
        rows.append((label, one))
    dav.close()
    for label, moved in rows:
        down = median([m[0] for m in moved])
        up = median([m[1] for m in moved])
        secs = median([m[2] for m in moved])
        log(f"{label}: down {mib(down):.2f} MiB, up {mib(up):.2f} MiB per no-op (median of {len(moved)}), {secs:.2f} s")
        key = label.split(",")[0].replace(" ", "_") + "_" + label.split(" ")[-1]
        log(f"RESULT webdav_bytes {key} down_bytes={int(down)} up_bytes={int(up)} folder_bytes={total << 20}")
    rm(root)


def small_noop(base: Path, count: int, repeat: int):
    """3. No-op over many small files, and 5. the first sync of them."""
    log(f"\n## 3/5. {count} small files (local-folder remote)")
    root = base / f"small-{count}"
    src = root / "local"
    make_small_tree(src, count)
    raw_l = root / "raw-local"
    copy_tree(src, raw_l)
    raw_l2 = root / "raw-local-ours"
    copy_tree(src, raw_l2)
    home = Home(root, "ours")
    home.folder(src, "local", {"path": str(root / "remote")})
    first, first_mem, _ = home.sync(sample_memory=True)
    raw_first, raw_first_mem, _ = raw_bisync(raw_l, root / "raw-remote", root / "raw-work", "--resync", sample_memory=True)
    # Raw bisync with the engine's own flags and hasher overlays: what is left
    # is our own work around rclone.
    e = hasher_env("bl", "/")
    e.update(hasher_env("bh", "/"))
    p1, p2 = f"bl:{str(raw_l2).lstrip('/')}", f"bh:{str(root / 'raw-remote-ours').lstrip('/')}"
    fl = OUR_FLAGS + ["--cache-dir", str(root / "raw-cache")]
    (root / "raw-remote-ours").mkdir()
    raw_bisync(p1, p2, root / "raw-work-ours", "--resync", *fl, env=e)
    ours, raw, raw_ours = [], [], []
    for _ in range(repeat):
        ours.append(home.sync()[0])
        raw.append(raw_bisync(raw_l, root / "raw-remote", root / "raw-work")[0])
        raw_ours.append(raw_bisync(p1, p2, root / "raw-work-ours", *fl, env=e)[0])
    m, r, ro = median(ours), median(raw), median(raw_ours)
    log(f"first sync: ours {first:.1f} s, peak {mib(first_mem):.0f} MiB; raw bisync --resync {raw_first:.1f} s,"
        f" peak {mib(raw_first_mem):.0f} MiB -> {ratio(first, raw_first):.2f}x time, {ratio(first_mem, raw_first_mem):.2f}x memory")
    log(f"no-op median of {repeat}: ours {m:.2f} s; raw bisync with our flags {ro:.2f} s -> {ratio(m, ro):.2f}x;"
        f" raw default bisync {r:.2f} s -> {ratio(m, r):.2f}x")
    log(f"RESULT small_noop files={count} ours={m:.3f} raw_our_flags={ro:.3f} raw_default={r:.3f}")
    log(f"RESULT first_sync files={count} ours_s={first:.2f} raw_s={raw_first:.2f} ours_mib={mib(first_mem):.0f} raw_mib={mib(raw_first_mem):.0f}")
    return home, src, root
