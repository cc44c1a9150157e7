//! The Chinese fonts of the PDF (docs/export.md): read from font directories (by default
//! Debian's `fonts-noto-cjk`), never embedded in the binary. The official 公文 fonts
//! (方正小标宋, 仿宋_GB2312, 黑体) are proprietary, so the PDF uses free look-alikes:
//! a 宋/仿宋 family for the body and the title, a 黑 family for headings.

use crate::ExportError;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// Where fonts are looked for when nothing is configured: Debian's Noto CJK, then every
/// system font.
pub const DEFAULT_FONT_DIRS: [&str; 2] = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts"];

/// Serif (宋/仿宋-like) families for the body text, tables and title, most preferred first.
const SERIF: [&str; 6] = [
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "FandolFang",
    "FandolSong",
    "AR PL UMing CN",
    "AR PL New Sung",
];
/// Sans (黑体-like) families for headings, most preferred first.
const SANS: [&str; 5] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
];
/// Characters a face must have to set a report: 政府信息公开年度报告.
const PROBE: &str = "政府信息公开年度报告";
/// How deep directories are searched below a configured one.
const MAX_DEPTH: usize = 6;

/// The directories searched for fonts, in order. The app sets them from `[fonts] dirs` in
/// gongkai.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fonts {
    pub dirs: Vec<PathBuf>,
}

impl Default for Fonts {
    fn default() -> Fonts {
        Fonts::new(DEFAULT_FONT_DIRS)
    }
}

impl Fonts {
    pub fn new<P: Into<PathBuf>>(dirs: impl IntoIterator<Item = P>) -> Fonts {
        Fonts {
            dirs: dirs.into_iter().map(Into::into).collect(),
        }
    }

    /// One configured directory.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Fonts {
        Fonts::new([dir.into()])
    }
}

/// The faces loaded for one set of directories, and the families the template asks for.
pub struct FontSet {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
    /// Serif families found, most preferred first (sans ones after them as a fallback).
    pub serif: Vec<String>,
    /// Sans families found, most preferred first (serif ones after them as a fallback).
    pub sans: Vec<String>,
}

/// A directory list and the fonts loaded from it.
type Loaded = (Vec<PathBuf>, Arc<FontSet>);

/// Loaded sets by directory list, so a server reads the 20 MB collections once.
static LOADED: LazyLock<Mutex<Vec<Loaded>>> = LazyLock::new(|| Mutex::new(Vec::new()));

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["ttc", "otc", "otf", "ttf"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Font files below `dir`, sorted, without following a directory twice.
fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(real) = d.canonicalize() else { continue };
        if !seen.insert(real) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if depth < MAX_DEPTH {
                    stack.push((path, depth + 1));
                }
            } else if is_font_file(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn wanted(family: &str) -> bool {
    SERIF
        .iter()
        .chain(SANS.iter())
        .any(|f| f.eq_ignore_ascii_case(family))
}

fn usable(font: &Font) -> bool {
    PROBE
        .chars()
        .all(|c| font.info().coverage.contains(c as u32))
}

fn present(order: &[&str], fonts: &[Font]) -> Vec<String> {
    order
        .iter()
        .filter(|f| {
            fonts
                .iter()
                .any(|x| x.info().family.eq_ignore_ascii_case(f))
        })
        .map(|f| f.to_string())
        .collect()
}

/// Whether the faces found so far give both roles in Regular and Bold, so that the later
/// (wider) directories need not be read.
fn complete(fonts: &[Font]) -> bool {
    let has = |order: &[&str], bold: bool| {
        fonts.iter().any(|f| {
            let weight = f.info().variant.weight.to_number();
            order
                .iter()
                .any(|o| f.info().family.eq_ignore_ascii_case(o))
                && (weight >= 600) == bold
        })
    };
    has(&SERIF, false) && has(&SERIF, true) && has(&SANS, true)
}

fn load(dirs: &[PathBuf]) -> Result<FontSet, ExportError> {
    let mut fonts: Vec<Font> = Vec::new();
    let mut read: HashSet<PathBuf> = HashSet::new();
    for dir in dirs {
        for file in font_files(dir) {
            let key = file.canonicalize().unwrap_or_else(|_| file.clone());
            if !read.insert(key) {
                continue;
            }
            let Ok(data) = std::fs::read(&file) else {
                continue;
            };
            fonts.extend(
                Font::iter(Bytes::new(data)).filter(|f| wanted(&f.info().family) && usable(f)),
            );
        }
        if complete(&fonts) {
            break;
        }
    }
    let serif = present(&SERIF, &fonts);
    let sans = present(&SANS, &fonts);
    if serif.is_empty() && sans.is_empty() {
        return Err(ExportError::NoFont {
            searched: dirs.to_vec(),
        });
    }
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Ok(FontSet {
        book,
        fonts,
        serif: serif.iter().chain(sans.iter()).cloned().collect(),
        sans: sans.iter().chain(serif.iter()).cloned().collect(),
    })
}

/// The fonts of `config`, loaded once per directory list.
pub fn font_set(config: &Fonts) -> Result<Arc<FontSet>, ExportError> {
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, set)) = loaded.iter().find(|(d, _)| *d == config.dirs) {
        return Ok(set.clone());
    }
    let set = Arc::new(load(&config.dirs)?);
    loaded.push((config.dirs.clone(), set.clone()));
    Ok(set)
}
