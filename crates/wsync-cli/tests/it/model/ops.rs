//! The person's operations on one side's folder on disk: create, edit,
//! equal-size edit (same length, other bytes), delete, rename a file,
//! rename a directory, mass delete. Each is chosen from the seed and the
//! side's current files, applied at once, recorded in the model and
//! written to the operations log.

use std::path::Path;

use super::fs::{self, dirs_of, occupied, walk};
use super::record::{Place, Record};
use super::rng::Rng;

/// What the person did since the last two-way sync, for judging a
/// blocked run (indexes are `Place as usize`).
#[derive(Debug, Default, Clone)]
pub struct Pending {
    /// Files on each place at the last two-way sync.
    pub listed: [usize; 3],
    /// Files the person deleted on each place (renames not counted).
    pub deleted: [usize; 3],
    pub mass_delete: [bool; 3],
}

impl Pending {
    /// Did the person really delete more than `percent` of the files on
    /// this computer (`remote` false) or in the cloud (directly, or through
    /// the gateway) since the last two-way sync?
    pub fn real_mass_delete(&self, remote: bool, percent: usize) -> bool {
        let (del, listed) = if remote { (self.deleted[1] + self.deleted[2], self.listed[1].max(self.listed[2])) } else { (self.deleted[0], self.listed[0]) };
        del > 0 && del * 100 > listed * percent
    }

    pub fn any_real_mass_delete(&self, percent: usize) -> bool {
        self.real_mass_delete(false, percent) || self.real_mass_delete(true, percent)
    }
}

/// One side as the operations see it.
pub struct Side<'a> {
    pub place: Place,
    pub root: &'a Path,
}

/// Where another client's equal-size edit can share the file's time (a
/// remote that keeps whole seconds): files whose time is newer than this
/// (the end of the last sync, less a second) may be edited "in the same
/// second", keeping their time.
pub type SameTime = Option<std::time::SystemTime>;

impl Side<'_> {
    /// The person's view: every regular file except half-written transfers.
    pub fn files(&self) -> Vec<String> {
        walk(self.root).into_iter().filter(|f| !fs::is_partial(f)).collect()
    }
}

const KINDS: [&str; 8] = ["create", "edit", "equal-size edit", "delete", "rename file", "rename dir", "mass delete", "same-time edit"];

/// Apply one random operation to `side`; returns its log line.
pub fn random_op(rng: &mut Rng, rec: &mut Record, side: &Side, step: usize, allow_mass: bool, same_time: SameTime, eff: &mut Pending) -> String {
    let weights = [24, 20, 12, 12, 12, 8, if allow_mass { 4 } else { 0 }, if same_time.is_some() { 14 } else { 0 }];
    let kind = rng.weighted(&weights);
    let files = side.files();
    let w = side.place.word();
    let p = side.place as usize;
    let kind = if files.is_empty() { 0 } else { kind };
    match KINDS[kind] {
        "create" => {
            let mut path = fs::random_path(rng);
            for _ in 0..8 {
                if !occupied(&files, &path) {
                    break;
                }
                path = fs::random_path(rng);
            }
            // A directory left on disk (empty, or holding only partial files) is in the way too.
            if (occupied(&files, &path) && !files.contains(&path)) || side.root.join(&path).is_dir() {
                return format!("{w}: create skipped (no free name)");
            }
            let len = fs::random_len(rng);
            if files.contains(&path) {
                rec.destroyed(side.place, &path);
            }
            let bytes = rec.write(side.place, &path, step, len, rng);
            fs::put(side.root, &path, &bytes);
            let over = if files.contains(&path) { " (over an existing file)" } else { "" };
            format!("{w}: create {path:?} {} {len} B{over}", fs::tag(&bytes))
        }
        "edit" | "equal-size edit" => {
            let path = rng.pick(&files).clone();
            let old_len = std::fs::metadata(side.root.join(&path)).map(|m| m.len() as usize).unwrap_or(0);
            let equal = KINDS[kind] == "equal-size edit" && old_len >= 10;
            let len = if equal { old_len } else { fs::random_len(rng) };
            rec.destroyed(side.place, &path);
            let bytes = rec.write(side.place, &path, step, len, rng);
            fs::put(side.root, &path, &bytes);
            let how = if equal { "equal-size edit" } else { "edit" };
            format!("{w}: {how} {path:?} -> {} ({old_len} B -> {len} B)", fs::tag(&bytes))
        }
        "same-time edit" => {
            // Chosen from the seed alone; whether its time can be kept
            // depends on when the last sync ran (then: a plain equal-size edit).
            let path = rng.pick(&files).clone();
            let full = side.root.join(&path);
            let meta = std::fs::metadata(&full).unwrap();
            let (old_len, mtime) = (meta.len() as usize, meta.modified().unwrap());
            if old_len < 10 {
                return format!("{w}: same-time edit skipped ({path:?} is too short)");
            }
            rec.destroyed(side.place, &path);
            let bytes = rec.write(side.place, &path, step, old_len, rng);
            fs::put(side.root, &path, &bytes);
            let recent = same_time.is_some_and(|since| mtime >= since);
            if recent {
                std::fs::File::options().write(true).open(&full).unwrap().set_modified(mtime).unwrap();
            }
            let how = if recent { "same-time edit (size and time kept)" } else { "equal-size edit (its time too old to keep)" };
            format!("{w}: {how} {path:?} -> {} ({old_len} B)", fs::tag(&bytes))
        }
        "delete" => {
            let path = rng.pick(&files).clone();
            std::fs::remove_file(side.root.join(&path)).unwrap();
            rec.destroyed(side.place, &path);
            eff.deleted[p] += 1;
            format!("{w}: delete {path:?}")
        }
        "rename file" => {
            let from = rng.pick(&files).clone();
            for _ in 0..10 {
                let to = fs::random_path(rng);
                if !occupied(&files, &to) && !side.root.join(&to).exists() {
                    std::fs::create_dir_all(side.root.join(&to).parent().unwrap()).unwrap();
                    std::fs::rename(side.root.join(&from), side.root.join(&to)).unwrap();
                    // The content moved: the old place no longer holds it, by the person's hand.
                    rec.destroyed(side.place, &from);
                    return format!("{w}: rename file {from:?} -> {to:?}");
                }
            }
            format!("{w}: rename file skipped (no free name)")
        }
        "rename dir" => {
            let dirs = dirs_of(&files);
            if dirs.is_empty() {
                return format!("{w}: rename dir skipped (no directory)");
            }
            let from = rng.pick(&dirs).clone();
            for _ in 0..10 {
                let to = rng.pick(fs::NEW_DIRS).to_string();
                let nested = to == from || to.starts_with(&format!("{from}/")) || from.starts_with(&format!("{to}/"));
                if !nested && !occupied(&files, &to) && !side.root.join(&to).exists() {
                    let target = side.root.join(&to);
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    std::fs::rename(side.root.join(&from), &target).unwrap();
                    let moved: Vec<&String> = files.iter().filter(|f| f.starts_with(&format!("{from}/"))).collect();
                    for f in &moved {
                        rec.destroyed(side.place, f);
                    }
                    let n = moved.len();
                    return format!("{w}: rename dir {from:?} -> {to:?} ({n} files)");
                }
            }
            format!("{w}: rename dir skipped (no free name)")
        }
        _ => {
            let all = rng.chance(0.4);
            let mut victims = files.clone();
            rng.shuffle(&mut victims);
            // "Most" is more than half, always.
            let n = if all { victims.len() } else { ((victims.len() * rng.range(60, 96)) / 100).max(victims.len() / 2 + 1).min(victims.len()) };
            let whole_folder = all && side.place == Place::Remote && rng.chance(0.3);
            for v in &victims[..n] {
                rec.destroyed(side.place, v);
            }
            if whole_folder {
                std::fs::remove_dir_all(side.root).unwrap();
            } else {
                for v in &victims[..n] {
                    std::fs::remove_file(side.root.join(v)).unwrap();
                }
            }
            eff.deleted[p] += n;
            eff.mass_delete[p] = true;
            let how = if whole_folder { " and the folder itself" } else { "" };
            format!("{w}: mass delete {n} of {} files{how}", files.len())
        }
    }
}
