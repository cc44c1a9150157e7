//! PDF through its text layer: poppler's `pdftotext -layout` as a subprocess with a time
//! limit (a PDF library can panic; a subprocess cannot take the importer down). A PDF
//! whose pages hold no text is a scan, said so plainly (BI-IM-12).

use crate::Options;
use crate::error::ImportError;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Most text read from pdftotext; a report's text layer is a few hundred kilobytes.
const MAX_TEXT: u64 = 64 * 1024 * 1024;

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
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(MAX_TEXT).read_to_end(&mut out);
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
