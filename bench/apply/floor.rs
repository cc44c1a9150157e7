//! The floor: how many durable writes the disk takes per second, measured in the directory
//! that holds the SQLite file. A commit with `synchronous=FULL` in WAL mode writes its pages to
//! the WAL and syncs it once (docs/reliability.md RL-1), so one writer at a time can commit at
//! most this often. The loop calls `fsync` (`File::sync_all`), as the SQLite library linked here
//! does at each commit (`perf stat -e 'syscalls:sys_enter_f*sync'` during a run counts about one
//! `fsync` per submission).

use std::fs::OpenOptions;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::time::{Duration, Instant};

/// One block of the write, as a small transaction's WAL frame is.
const BLOCK: usize = 4096;
/// Each file is a ring of this many blocks: after the first pass the file no longer grows,
/// like a WAL reused after a checkpoint.
const RING: u64 = 1024;

/// Syncs per second and the latency of each write + sync.
pub struct Floor {
    pub per_s: f64,
    pub latencies: Vec<Duration>,
}

/// `threads` threads, each writing 4 KiB and `fsync`-ing (`File::sync_all`) its own file in
/// `dir` in a loop for `seconds`.
pub fn fsync_rate(dir: &Path, threads: usize, seconds: f64) -> Floor {
    let end = Instant::now() + Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let path = dir.join(format!("fsync-floor-{t}.bin"));
            std::thread::spawn(move || {
                let f = OpenOptions::new()
                    .create(true)
                    .truncate(true)
                    .write(true)
                    .open(&path)
                    .expect("fsync test file");
                let block = [0x5a_u8; BLOCK];
                let mut lat = Vec::new();
                let mut i = 0u64;
                while Instant::now() < end {
                    let t = Instant::now();
                    f.write_all_at(&block, (i % RING) * BLOCK as u64)
                        .expect("write");
                    f.sync_all().expect("fsync");
                    lat.push(t.elapsed());
                    i += 1;
                }
                drop(f);
                let _ = std::fs::remove_file(&path);
                lat
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("fsync thread"))
        .collect();
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort();
    Floor {
        per_s: latencies.len() as f64 / elapsed,
        latencies,
    }
}

/// The file system `dir` is on (the longest mount point above it), from /proc/self/mounts.
pub fn file_system(dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w.len() >= 3 && dir.starts_with(w[1]))
                .then(|| (w[1].len(), format!("{} {} on {}", w[2], w[0], w[1])))
        })
        .max_by_key(|(n, _)| *n)
        .map_or_else(|| "unknown file system".into(), |(_, s)| s)
}
