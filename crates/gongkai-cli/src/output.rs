//! Where a command's document goes: a file with `-o`, standard output otherwise.

use anyhow::Context;
use std::io::Write;
use std::path::Path;

pub fn write_output(out: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()?;
            Ok(())
        }
    }
}

/// The largest file a command reads whole (a report document, an item's JSON, an attachment —
/// whose own limit, 20 MB by default, the catalogue checks): bigger is refused before reading.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a whole file, naming it in the error: regular files only (not a FIFO or a device,
/// which could block or never end), at most [`MAX_INPUT_BYTES`] (docs/reliability.md).
pub fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let options = gongkai_import::Options {
        max_size: MAX_INPUT_BYTES,
        ..gongkai_import::Options::default()
    };
    gongkai_import::read_file(path, &options)
        .with_context(|| format!("cannot read {}", path.display()))
}
