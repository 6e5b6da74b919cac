//! Tests of the versions area.

use super::*;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// One data dir for every test of the process: XDG_DATA_HOME is set
/// once and never changed, so tests in parallel threads agree on it.
/// Each test uses its own folder ids.
pub(crate) fn data_home() -> &'static Path {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    HOME.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::env::set_var("XDG_DATA_HOME", dir.path());
        dir
    })
    .path()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn age(path: &Path) -> Duration {
    let m = std::fs::metadata(path).unwrap().modified().unwrap();
    SystemTime::now().duration_since(m).unwrap_or(Duration::ZERO)
}

fn set_mtime(path: &Path, t: SystemTime) {
    std::fs::File::open(path).unwrap().set_modified(t).unwrap();
}

#[test]
fn versions_area() {
    let home = data_home();
    let folder = "versions-test";
    let local = tempfile::tempdir().unwrap();
    let lr = local.path();

    // root and run dirs
    assert_eq!(root(folder), home.join("workspace-sync/versions").join(folder));
    let runs: Vec<PathBuf> = (0..50).map(|_| new_run_dir(folder)).collect();
    for (i, r) in runs.iter().enumerate() {
        assert_eq!(r.parent().unwrap(), root(folder));
        let name = r.file_name().unwrap().to_str().unwrap();
        assert!(parse_stamp(name).is_some(), "{name} parses as a STAMP");
        assert!(!runs[i + 1..].contains(r), "run dirs differ: {r:?}");
        assert!(!r.exists(), "new_run_dir does not create");
    }
    assert_eq!(parse_stamp("2026-11-25T143205.123Z").map(|(t, s)| (rfc3339(t), s)), Some(("2026-11-25T14:32:05.123Z".into(), 1)));
    assert_eq!(parse_stamp("2026-11-25T143205.123Z-3").map(|(_, s)| s), Some(3));
    assert!(parse_stamp("notes").is_none() && parse_stamp("2026-11-25T143205.123Z-x").is_none());

    // A missing area is an empty list.
    assert!(list(folder, None).unwrap().is_empty());

    // path validation
    for bad in ["/etc/passwd", "../x", "a/../../b", "a/.."] {
        for r in [list(folder, Some(bad)).map(|_| ()), keep(folder, lr, bad).map(|_| ()), restore(folder, lr, bad, None).map(|_| ())] {
            match r {
                Err(Error::Config(m)) => assert!(m.contains(bad) && !m.contains('\n'), "{m}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
    assert!(matches!(keep(folder, lr, "."), Err(Error::Config(_))));
    assert!(matches!(keep(folder, lr, "missing.txt"), Err(Error::LocalFolder(_))));

    // keep: moved out of the folder, into a fresh run dir, with its path
    write(&lr.join("notes/a.md"), "a1");
    write(&lr.join("b.txt"), "b1");
    let kept_a = keep(folder, lr, "./notes//a.md").unwrap();
    assert!(!lr.join("notes/a.md").exists());
    assert_eq!(read(&kept_a), "a1");
    assert!(kept_a.starts_with(root(folder)) && kept_a.ends_with("notes/a.md"));
    // Keeps in the same millisecond get `-2` dirs but share a kept time;
    // these are apart so that `--at` can tell them apart below.
    std::thread::sleep(Duration::from_millis(3));
    write(&lr.join("notes/a.md"), "a2");
    let kept_a2 = keep(folder, lr, "notes/a.md").unwrap();
    assert_ne!(kept_a.parent(), kept_a2.parent(), "each keep has its own run dir");
    std::thread::sleep(Duration::from_millis(3));
    keep(folder, lr, "b.txt").unwrap();

    // list: newest first, filtered by file or directory
    let all = list(folder, None).unwrap();
    assert_eq!(all.iter().map(|v| v.path.as_str()).collect::<Vec<_>>(), ["b.txt", "notes/a.md", "notes/a.md"]);
    assert_eq!(read(&all[1].location), "a2");
    assert_eq!(all[1].size, 2);
    assert!(DateTime::parse_from_rfc3339(&all[0].kept_at).is_ok());
    assert!(all[0].kept_at >= all[1].kept_at && all[1].kept_at >= all[2].kept_at);
    assert_eq!(list(folder, Some("notes")).unwrap().len(), 2);
    assert_eq!(list(folder, Some("notes/")).unwrap().len(), 2);
    assert_eq!(list(folder, Some("notes/a.md")).unwrap().len(), 2);
    assert!(list(folder, Some("note")).unwrap().is_empty());
    let json = serde_json::to_value(&all[0]).unwrap();
    assert_eq!(json, serde_json::json!({"path": "b.txt", "keptAt": all[0].kept_at, "size": 2, "side": "local"}));

    // restore to an empty place: the newest version, copied, mtime now
    let before_restore = std::fs::metadata(&all[1].location).unwrap().modified().unwrap();
    let v = restore(folder, lr, "notes/a.md", None).unwrap();
    assert_eq!(read(&lr.join("notes/a.md")), "a2");
    assert_eq!(v.location, all[1].location);
    assert!(v.location.exists(), "the version stays in the area");
    assert_eq!(std::fs::metadata(&v.location).unwrap().modified().unwrap(), before_restore);
    assert_eq!(list(folder, Some("notes/a.md")).unwrap().len(), 2, "nothing was in the way");

    // restore over an existing file: the current one is kept first
    write(&lr.join("notes/a.md"), "a3 current");
    set_mtime(&lr.join("notes/a.md"), SystemTime::now() - Duration::from_secs(86_400 * 3));
    let old = list(folder, Some("notes/a.md")).unwrap();
    set_mtime(&old[1].location, SystemTime::now() - Duration::from_secs(86_400 * 5));
    let v = restore(folder, lr, "notes/a.md", Some(&old[1].kept_at)).unwrap();
    assert_eq!(v.location, old[1].location);
    assert_eq!(read(&lr.join("notes/a.md")), "a1");
    assert!(age(&lr.join("notes/a.md")) < Duration::from_secs(60), "restored file is new to the sync");
    assert!(age(&old[1].location) > Duration::from_secs(86_400 * 4), "the kept version keeps its mtime");
    let now_list = list(folder, Some("notes/a.md")).unwrap();
    assert_eq!(now_list.len(), 3);
    assert_eq!(read(&now_list[0].location), "a3 current", "the file that was there is kept");
    assert!(!lr.read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("wsync-restore")));

    // --at selection among fixed STAMPs
    let f2 = "versions-at";
    for (stamp, text) in [
        ("2026-11-25T143205.123Z", "t1432"),
        ("2026-11-25T150000.000Z", "t1500"),
        ("2026-11-25T150000.000Z-2", "t1500b"),
        ("2026-11-26T090000.500Z", "t0900"),
    ] {
        write(&root(f2).join(stamp).join("doc.txt"), text);
    }
    write(&root(f2).join("not-a-stamp/doc.txt"), "ignored");
    let l = list(f2, None).unwrap();
    assert_eq!(l.iter().map(|v| read(&v.location)).collect::<Vec<_>>(), ["t0900", "t1500b", "t1500", "t1432"]);
    assert_eq!(l[0].kept_at, "2026-11-26T09:00:00.500Z");
    let pick = |at: Option<&str>| {
        let d = tempfile::tempdir().unwrap();
        restore(f2, d.path(), "doc.txt", at).map(|_| read(&d.path().join("doc.txt")))
    };
    assert_eq!(pick(None).unwrap(), "t0900");
    assert_eq!(pick(Some("2026-11-25T14")).unwrap(), "t1432");
    assert_eq!(pick(Some("2026-11-25T143205.123Z")).unwrap(), "t1432");
    assert_eq!(pick(Some("2026-11-25T150000.000Z-2")).unwrap(), "t1500b");
    assert_eq!(pick(Some("2026-11-25")).unwrap(), "t1500b");
    assert_eq!(pick(Some("2026-11-25T14:59:59Z")).unwrap(), "t1432");
    assert_eq!(pick(Some("2026-11-25T14:32:05Z")).unwrap(), "t1432", "a whole second covers its milliseconds");
    assert_eq!(pick(Some("2026-11-25T15:00:00.000Z")).unwrap(), "t1500b");
    assert_eq!(pick(Some("2026-11-26T10:00:00+01:00")).unwrap(), "t0900");
    assert_eq!(pick(Some("2026-11-26T08:59:59+00:00")).unwrap(), "t1500b");
    assert_eq!(pick(Some("2026-11-26T09:00:00.499Z")).unwrap(), "t1500b");
    match pick(Some("2026-11-24T00:00:00Z")) {
        Err(Error::LocalFolder(m)) => {
            assert_eq!(m, "no kept version of doc.txt at 2026-11-24T00:00:00Z; see `wsync versions versions-at doc.txt`")
        }
        other => panic!("{other:?}"),
    }
    match pick(Some("2027")) {
        Err(Error::LocalFolder(m)) => assert!(m.starts_with("no kept version of doc.txt at 2027;"), "{m}"),
        other => panic!("{other:?}"),
    }
    match restore(f2, lr, "other.txt", None) {
        Err(Error::LocalFolder(m)) => assert_eq!(m, "no kept version of other.txt; see `wsync versions versions-at other.txt`"),
        other => panic!("{other:?}"),
    }

    // prune by STAMP age, not by mtime
    let f3 = "versions-prune";
    let old_stamp = (Utc::now() - chrono::Duration::days(40)).format(STAMP_FORMAT).to_string();
    let mid_stamp = (Utc::now() - chrono::Duration::days(10)).format(STAMP_FORMAT).to_string();
    write(&root(f3).join(&old_stamp).join("x/old1.txt"), "o");
    write(&root(f3).join(&old_stamp).join("old2.txt"), "o");
    write(&root(f3).join(format!("{old_stamp}-2")).join("old3.txt"), "o");
    write(&root(f3).join(&mid_stamp).join("mid.txt"), "m");
    write(&root(f3).join("notes/keep-me.txt"), "not a run dir");
    let fresh = lr.join("fresh.txt");
    write(&fresh, "f");
    let fresh_kept = keep(f3, lr, "fresh.txt").unwrap();
    set_mtime(&fresh_kept, SystemTime::now() - Duration::from_secs(86_400 * 100));
    assert_eq!(prune("versions-none", 30).unwrap(), 0, "a missing area prunes nothing");
    assert_eq!(prune(f3, 30).unwrap(), 3);
    assert!(!root(f3).join(&old_stamp).exists());
    assert_eq!(list(f3, None).unwrap().iter().map(|v| v.path.as_str()).collect::<Vec<_>>(), ["fresh.txt", "mid.txt"]);
    assert_eq!(prune(f3, 5).unwrap(), 1);
    assert_eq!(prune(f3, 0).unwrap(), 1);
    assert!(list(f3, None).unwrap().is_empty());
    assert!(root(f3).join("notes/keep-me.txt").exists(), "only STAMP dirs are pruned");

    // keep across file systems (copy and remove), when /dev/shm is another one
    let shm = Path::new("/dev/shm");
    let dev = |p: &Path| std::os::unix::fs::MetadataExt::dev(&std::fs::metadata(p).unwrap());
    if shm.is_dir() && dev(shm) != dev(home) {
        let other = tempfile::tempdir_in(shm).unwrap();
        let o = other.path();
        write(&o.join("sub/deep/x.txt"), "x");
        std::os::unix::fs::symlink("deep/x.txt", o.join("sub/link")).unwrap();
        set_mtime(&o.join("sub/deep/x.txt"), SystemTime::now() - Duration::from_secs(86_400 * 2));
        write(&o.join("y.txt"), "y");
        let ky = keep(f3, o, "y.txt").unwrap();
        let kd = keep(f3, o, "sub").unwrap();
        assert!(!o.join("y.txt").exists() && !o.join("sub").exists());
        assert_eq!(read(&ky), "y");
        assert_eq!(read(&kd.join("deep/x.txt")), "x");
        assert!(age(&kd.join("deep/x.txt")) > Duration::from_secs(86_400), "mtime kept across file systems");
        assert_eq!(std::fs::read_link(kd.join("link")).unwrap(), Path::new("deep/x.txt"));
    }

    // restoring where a folder has the name is refused
    std::fs::create_dir_all(lr.join("dir.txt")).unwrap();
    write(&new_run_dir(f3).join("dir.txt"), "d");
    assert!(matches!(restore(f3, lr, "dir.txt", None), Err(Error::LocalFolder(_))));
    assert!(lr.join("dir.txt").is_dir());
}
