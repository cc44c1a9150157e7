//! The report: percentiles and medians, the table, and CPU time from /proc.

use std::time::Duration;

/// The width of the table's `what` column.
pub const WHAT: usize = 42;

/// p-th percentile in milliseconds of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A rate with its latencies: one run's, or the median of runs.
#[derive(Clone, Copy)]
pub struct Stat {
    pub rate: f64,
    pub p50: f64,
    pub p99: f64,
}

pub fn stat(rate: f64, mut lat: Vec<Duration>) -> Stat {
    lat.sort();
    Stat {
        rate,
        p50: percentile(&lat, 0.5),
        p99: percentile(&lat, 0.99),
    }
}

pub fn median_stat(v: &[Stat]) -> Stat {
    Stat {
        rate: median(v.iter().map(|s| s.rate).collect()),
        p50: median(v.iter().map(|s| s.p50).collect()),
        p99: median(v.iter().map(|s| s.p99).collect()),
    }
}

/// A row of the table.
pub struct Row {
    pub backend: String,
    pub what: String,
    pub stat: Stat,
    pub target: &'static str,
    /// `None`: no target for this row.
    pub holds: Option<bool>,
    pub errors: usize,
}

/// `s` padded with spaces to `width` terminal columns (CJK characters take two).
pub fn pad(s: &str, width: usize) -> String {
    let wide = |c: char| {
        matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}'
            | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}'
            | '\u{ffe0}'..='\u{ffe6}')
    };
    let used: usize = s.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(used)))
}

pub fn table(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{:<9} {} {:>8.0} {:>8.2} {:>8.2}  {} {}{}",
                r.backend,
                pad(&r.what, WHAT),
                r.stat.rate,
                r.stat.p50,
                r.stat.p99,
                pad(r.target, 22),
                match r.holds {
                    Some(true) => "holds",
                    Some(false) => "FAILS",
                    None => "",
                },
                if r.errors > 0 {
                    format!("  ({} errors)", r.errors)
                } else {
                    String::new()
                }
            )
        })
        .collect()
}

/// CPU seconds (user + system) from a /proc `stat` file: fields 14 and 15, counted after the
/// command name's closing parenthesis, in ticks of 1/100 s (USER_HZ, 100 on Linux).
fn cpu_seconds(stat_file: &str) -> f64 {
    let text = std::fs::read_to_string(stat_file).unwrap_or_default();
    let after = text.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|w| w.parse().unwrap_or(0.0))
        .collect();
    // After ')': state is field 3, so utime (14) and stime (15) are at 11 and 12.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

/// CPU seconds so far: the whole process's, and the calling thread's.
#[derive(Clone, Copy)]
pub struct Cpu {
    pub process: f64,
    pub thread: f64,
}

impl Cpu {
    pub fn now() -> Cpu {
        Cpu {
            process: cpu_seconds("/proc/self/stat"),
            thread: cpu_seconds("/proc/thread-self/stat"),
        }
    }

    /// CPU used since `self`: (the process less the calling thread, the calling thread).
    pub fn since(self) -> (f64, f64) {
        let now = Cpu::now();
        let thread = now.thread - self.thread;
        (now.process - self.process - thread, thread)
    }
}
