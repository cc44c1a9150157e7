//! PDF through its text layer: poppler's `pdftotext -layout` as a subprocess with a time
//! limit (a PDF library can panic; a subprocess cannot take the importer down). A PDF
//! whose pages hold no text is a scan, said so plainly (BI-IM-12).

use crate::Options;
use crate::error::ImportError;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub fn to_text(bytes: &[u8], options: &Options) -> Result<String, ImportError> {
    let mut child = Command::new(&options.pdftotext)
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            ImportError::Pdf(format!(
                "cannot run {} ({e}); install poppler-utils",
                options.pdftotext.display()
            ))
        })?;
    // Feed and drain on threads so neither pipe can fill up and block the other.
    let mut stdin = child.stdin.take();
    let input = bytes.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            // pdftotext may stop reading early on a broken file; that is its error to report.
            let _ = s.write_all(&input);
        }
        drop(stdin);
    });
    // Most text read from pdftotext (a report's text layer is a few hundred kilobytes): more
    // is refused, and pdftotext stopped at once.
    let max_text = options.max_text;
    let too_much = Arc::new(AtomicBool::new(false));
    let mut stdout = child.stdout.take();
    let flag = Arc::clone(&too_much);
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(max_text.saturating_add(1)).read_to_end(&mut out);
        }
        if out.len() as u64 > max_text {
            flag.store(true, Ordering::Relaxed);
            out = Vec::new();
        }
        out
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut out = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(64 * 1024).read_to_string(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {
                if too_much.load(Ordering::Relaxed) {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(crate::limits::over_text("the PDF's text", max_text));
                }
                if started.elapsed() > options.pdf_timeout {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(ImportError::Pdf(format!(
                        "pdftotext did not finish within {} s",
                        options.pdf_timeout.as_secs()
                    )));
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(e) => return Err(ImportError::Pdf(format!("waiting for pdftotext: {e}"))),
        }
    };
    let _ = feeder.join();
    let out = reader.join().unwrap_or_default();
    if too_much.load(Ordering::Relaxed) {
        return Err(crate::limits::over_text("the PDF's text", max_text));
    }
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(ImportError::Pdf(if first.is_empty() {
            format!("pdftotext failed ({status})")
        } else {
            format!("pdftotext: {first}")
        }));
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    let visible = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{c}')
        .count();
    if visible < 20 {
        return Err(ImportError::Scanned);
    }
    Ok(text)
}
