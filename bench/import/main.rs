//! Import throughput: reports per second per core and peak memory over the corpus, for each
//! input kind, against a peer measured in the same run on the same files:
//!
//! - txt / md / crawl (portal text whose table cells run together): the floor of reading them
//!   at all — decode, split lines, split tokens;
//! - html: scraper's HTML parse alone (html5ever), which the importer also does;
//! - docx: unzip + a quick-xml pass over word/document.xml, which the importer also does;
//! - pdf: `pdftotext -layout` alone, which the importer runs as a subprocess.
//!
//! Run: `cargo bench -p gongkai-import --bench import` (single thread, release profile).
//! Each kind runs in a child process so its peak RSS (VmHWM) is its own.

use gongkai_import::{Options, import_bytes};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const KINDS: [(&str, &[&str]); 6] = [
    (
        "txt",
        &[
            "seed/zibo-zhangdian-jiguan-shiwu-2021.txt",
            "dev/008.txt",
            "dev/009.txt",
        ],
    ),
    ("md", &["dev/011.md"]),
    (
        "crawl",
        &[
            "dev/109-crawl.txt",
            "dev/115-crawl.txt",
            "dev/119-crawl.txt",
        ],
    ),
    (
        "html",
        &[
            "dev/014.txt",
            "dev/101.html",
            "dev/107.html",
            "dev/109.html",
            "dev/115.html",
            "dev/119.html",
        ],
    ),
    ("docx", &["dev/101.docx"]),
    ("pdf", &["dev/008.pdf", "dev/009.pdf"]),
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus")
}

fn ext(file: &str) -> Option<&str> {
    Path::new(file).extension().and_then(|e| e.to_str())
}

/// Runs `f` over all files repeatedly for at least `min` (and at least one round); returns
/// reports per second.
fn rate(files: &[(String, Vec<u8>)], min: Duration, mut f: impl FnMut(&str, &[u8])) -> f64 {
    let start = Instant::now();
    let mut n = 0usize;
    loop {
        for (name, bytes) in files {
            f(name, bytes);
            n += 1;
        }
        if start.elapsed() >= min {
            break;
        }
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn peer(kind: &str, name: &str, bytes: &[u8]) -> usize {
    match kind {
        "txt" | "md" | "crawl" => {
            let text = String::from_utf8_lossy(bytes);
            text.lines().map(|l| l.split_whitespace().count()).sum()
        }
        "html" => {
            let text = String::from_utf8_lossy(bytes);
            scraper::Html::parse_document(&text).tree.nodes().count()
        }
        "docx" => {
            let mut zip =
                zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("corpus DOCX is a zip");
            let mut xml = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("word/document.xml").expect("document.xml"),
                &mut xml,
            )
            .expect("inflate");
            let mut reader = quick_xml::Reader::from_str(&xml);
            let mut events = 0;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                    Ok(_) => events += 1,
                }
            }
            events
        }
        "pdf" => {
            let out = Command::new("pdftotext")
                .args(["-layout", "-enc", "UTF-8"])
                .arg(corpus().join(name))
                .arg("-")
                .output()
                .expect("pdftotext runs");
            out.stdout.len()
        }
        _ => 0,
    }
}

fn peer_name(kind: &str) -> &'static str {
    match kind {
        "txt" | "md" | "crawl" => "split lines+tokens",
        "html" => "scraper parse only",
        "docx" => "unzip+quick-xml scan",
        "pdf" => "pdftotext alone",
        _ => "",
    }
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The child: measures one kind, prints `ours peer bytes rss_kb`.
fn child(kind: &str, seconds: f64) {
    let files: Vec<(String, Vec<u8>)> = KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, fs)| {
            fs.iter()
                .map(|f| {
                    (
                        f.to_string(),
                        std::fs::read(corpus().join(f)).expect("corpus file"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let options = Options::default();
    let min = Duration::from_secs_f64(seconds);
    // Every file must import, or the figure would be of error paths.
    for (name, bytes) in &files {
        if let Err(e) = import_bytes(bytes, ext(name), &options) {
            panic!("{name}: {e}");
        }
    }
    let ours = rate(&files, min, |name, bytes| {
        let r = import_bytes(bytes, ext(name), &options).expect("imports");
        std::hint::black_box(r.cells_read);
    });
    let rss = peak_rss_kb();
    if std::env::args().any(|a| a == "--ours-only") {
        // For profiling the importer alone.
        println!("{ours}");
        return;
    }
    let theirs = rate(&files, min, |name, bytes| {
        std::hint::black_box(peer(kind, name, bytes));
    });
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!("{ours} {theirs} {bytes} {rss} {}", files.len());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes `--bench`; our own flags are --kind and --seconds.
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let seconds: f64 = get("--seconds").and_then(|s| s.parse().ok()).unwrap_or(2.0);
    if let Some(kind) = get("--kind") {
        child(&kind, seconds);
        return;
    }
    let exe = std::env::current_exe().expect("own path");
    println!(
        "import throughput, one thread, {seconds} s per measurement ({} cores on this machine)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:<5} {:>5} {:>9} {:>14} {:<22} {:>14} {:>8} {:>10}",
        "kind", "files", "KiB", "gongkai rep/s", "peer", "peer rep/s", "ratio", "peak RSS"
    );
    for (kind, _) in KINDS {
        let out = Command::new(&exe)
            .args(["--kind", kind, "--seconds", &seconds.to_string()])
            .output()
            .expect("child runs");
        let line = String::from_utf8_lossy(&out.stdout);
        let v: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if v.len() < 5 {
            println!(
                "{kind:<5} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        }
        println!(
            "{:<5} {:>5} {:>9.0} {:>14.1} {:<22} {:>14.1} {:>7.2}x {:>7.1} MB",
            kind,
            v[4],
            v[2] / 1024.0,
            v[0],
            peer_name(kind),
            v[1],
            v[0] / v[1],
            v[3] / 1024.0
        );
    }
    println!("ratio = gongkai / peer (1.00x = as fast as the peer alone)");
}
