//! Nothing silently wrong (issue 13): tables printed one cell per line — PDF text without
//! layout (`pdftotext`, `pdftotext -raw`) or any tool that writes cells in reading order —
//! in row-major, column-major or grouped order. Every cell is read right or reported
//! unreadable, never placed in the wrong row or column. The variants are made here from the
//! expected model of dev reports and the format's labels (no fixture files).

use gongkai_core::report::format::spec;
use gongkai_core::report::json::{from_str, to_json};
use gongkai_core::report::keys::T4Group;
use gongkai_core::report::{AnnualReport, CellRef, Layout, T3Col, T3Row, T4Col};
use gongkai_import::{Imported, Options, import_bytes};

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus")
}

fn model(name: &str) -> AnnualReport {
    let text = std::fs::read_to_string(corpus().join(name)).expect("expected file");
    from_str(&text).expect("expected JSON")
}

fn flatten(prefix: &str, v: &Json, out: &mut HashMap<String, Json>) {
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                flatten(&format!("{prefix}.{k}"), x, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

/// Every cell's value as printed: `None` for a blank cell.
fn printed(report: &AnnualReport) -> HashMap<CellRef, Option<String>> {
    let doc = to_json(report, None);
    let mut flat = HashMap::new();
    for t in ["table2", "table3", "table4"] {
        if let Some(v) = doc.get(t) {
            flatten(t, v, &mut flat);
        }
    }
    report
        .cell_refs()
        .into_iter()
        .map(|at| {
            let text = match flat.get(&at.path()) {
                None | Some(Json::Null) => None,
                Some(Json::String(s)) => Some(s.trim().to_string()),
                Some(other) => Some(other.to_string()),
            };
            (at, text)
        })
        .collect()
}

fn norm(s: &Option<String>) -> String {
    match s {
        None => "null".into(),
        Some(s) if ["/", "—", "－", "-", "无", "不适用"].contains(&s.as_str()) => "/".into(),
        Some(s) => Decimal::from_str(s)
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|_| s.clone()),
    }
}

/// Cells of one import compared with the model.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    cells: usize,
    right: usize,
    wrong: usize,
    unreadable: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.cells += o.cells;
        self.right += o.right;
        self.wrong += o.wrong;
        self.unreadable += o.unreadable;
    }
}

fn tally(imported: &Imported, model: &AnnualReport, wrong: &mut Vec<String>) -> Tally {
    let want = printed(model);
    let got = printed(&imported.report);
    let mut t = Tally::default();
    for at in model.cell_refs() {
        t.cells += 1;
        let w = want.get(&at).cloned().flatten();
        let g = got.get(&at).cloned().flatten();
        if norm(&w) == norm(&g) {
            t.right += 1;
        } else if g.is_none() && imported.unreadable.iter().any(|u| u.cell() == Some(at)) {
            t.unreadable += 1;
        } else {
            t.wrong += 1;
            wrong.push(format!("{at}: expected {w:?}, got {g:?}"));
        }
    }
    t
}

fn import_text(text: &str) -> Option<Imported> {
    import_bytes(text.as_bytes(), Some("txt"), &Options::default()).ok()
}

/// How table 三's body is flattened, one cell per line.
#[derive(Debug, Clone, Copy)]
enum T3Order {
    /// Each row's label, then its seven values.
    RowMajor,
    /// Every row label, then the values column by column.
    ColumnMajor,
    /// Rows in blocks of `n`: the block's values row by row, then its labels.
    LabelsAfter(usize),
    /// Rows in blocks of `n`: the block's first label, its values column by column, then the
    /// other labels.
    BlockColumns(usize),
}

/// How table 四's fifteen values are flattened.
#[derive(Debug, Clone, Copy)]
enum T4Order {
    /// In the format's order after the header.
    Row,
    /// Group by group in the given order, each after its group label.
    Groups([usize; 3]),
    /// Group by group in the given order, all labels first.
    GroupsUnlabelled([usize; 3]),
    /// Outcome by outcome (维持 of the three groups, then 纠正 …).
    Interleaved,
}

/// How table 二's rows are flattened.
#[derive(Debug, Clone, Copy)]
enum T2Order {
    RowMajor,
    /// The values before the row label (as `pdftotext` prints a row whose label wraps).
    ValuesFirst,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    t2: T2Order,
    t3: T3Order,
    t4: T4Order,
    /// Leave out table 三's 总计 column.
    no_total: bool,
}

fn lines_of(out: &mut Vec<String>, v: &Option<String>) {
    if let Some(v) = v
        && !v.is_empty()
    {
        out.push(v.clone());
    }
}

/// The report as text one cell per line, in the given order.
fn flatten_report(r: &AnnualReport, style: Style) -> String {
    let p = printed(r);
    let val = |at: CellRef| p.get(&at).cloned().flatten();
    let mut out: Vec<String> = vec![
        format!("{}{}年政府信息公开工作年度报告", r.agency, r.year),
        "一、总体情况".into(),
        "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。".into(),
        spec().section_label("proactive").to_string(),
    ];
    let t2 = spec().table2_for(r.layout == Layout::Y2019);
    for sub in &t2.subtables {
        out.push(sub.caption.clone());
        out.push(t2.label_column.clone());
        for c in &sub.columns {
            out.push(c.label.clone());
        }
        for row in &sub.rows {
            let mut vals = Vec::new();
            for c in &sub.columns {
                if let Some(k) =
                    gongkai_core::report::T2Key::find(r.layout, &sub.key, &row.key, &c.key)
                {
                    lines_of(&mut vals, &val(CellRef::T2(k)));
                }
            }
            match style.t2 {
                T2Order::RowMajor => {
                    out.push(row.label.clone());
                    out.extend(vals);
                }
                T2Order::ValuesFirst => {
                    out.extend(vals);
                    out.push(row.label.clone());
                }
            }
        }
    }
    out.push(spec().section_label("applications").to_string());
    out.push(spec().table3.corner_note.clone());
    out.push(spec().table3.column_group.clone());
    let cols: Vec<T3Col> = T3Col::ALL
        .into_iter()
        .filter(|c| !(style.no_total && *c == T3Col::Total))
        .collect();
    for c in &cols {
        out.push(c.label().to_string());
    }
    let rows: &[T3Row] = T3Row::rows(r.table3.shape);
    let label = |row: T3Row| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        if let Some(g) = row.groups().last()
            && rows.iter().position(|x| x.groups().last() == Some(g))
                == rows.iter().position(|x| *x == row)
        {
            v.push(g.clone());
        }
        v.push(row.label().to_string());
        v
    };
    let values = |row: T3Row, out: &mut Vec<String>| {
        for c in &cols {
            lines_of(out, &val(CellRef::T3(row, *c)));
        }
    };
    match style.t3 {
        T3Order::RowMajor => {
            for &row in rows {
                out.extend(label(row));
                values(row, &mut out);
            }
        }
        T3Order::ColumnMajor => {
            for &row in rows {
                out.extend(label(row));
            }
            for c in &cols {
                for &row in rows {
                    lines_of(&mut out, &val(CellRef::T3(row, *c)));
                }
            }
        }
        T3Order::LabelsAfter(n) => {
            for block in rows.chunks(n) {
                for &row in block {
                    values(row, &mut out);
                }
                for &row in block {
                    out.extend(label(row));
                }
            }
        }
        T3Order::BlockColumns(n) => {
            for block in rows.chunks(n) {
                out.extend(label(block[0]));
                for c in &cols {
                    for &row in block {
                        lines_of(&mut out, &val(CellRef::T3(row, *c)));
                    }
                }
                for &row in &block[1..] {
                    out.extend(label(row));
                }
            }
        }
    }
    out.push(spec().section_label("review_litigation").to_string());
    let groups = &spec().table4.column_groups;
    for g in groups {
        out.push(g.label.clone());
    }
    let group_cols = |g: T4Group| -> Vec<T4Col> { T4Col::all().filter(|c| c.group == g).collect() };
    match style.t4 {
        T4Order::Row => {
            for c in &spec().table4.columns {
                out.push(c.label.clone());
            }
            for c in T4Col::all() {
                lines_of(&mut out, &val(CellRef::T4(c)));
            }
        }
        T4Order::Groups(order) | T4Order::GroupsUnlabelled(order) => {
            let labelled = matches!(style.t4, T4Order::Groups(_));
            if !labelled {
                for c in &spec().table4.columns {
                    out.push(c.label.clone());
                }
            }
            for gi in order {
                let g = T4Group::ALL[gi];
                if labelled {
                    out.push(g.label().to_string());
                    for c in &spec().table4.columns {
                        out.push(c.label.clone());
                    }
                }
                for c in group_cols(g) {
                    lines_of(&mut out, &val(CellRef::T4(c)));
                }
            }
        }
        T4Order::Interleaved => {
            for c in &spec().table4.columns {
                out.push(c.label.clone());
            }
            let all: Vec<T4Col> = T4Col::all().collect();
            for o in 0..5 {
                for g in T4Group::ALL {
                    lines_of(&mut out, &val(CellRef::T4(group_cols(g)[o])));
                }
            }
            let _ = all;
        }
    }
    out.push(spec().section_label("problems").to_string());
    out.push("无。".into());
    out.push(spec().section_label("other").to_string());
    out.push("无。".into());
    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

const DEV: [&str; 8] = ["008", "009", "014", "101", "107", "109", "115", "119"];

fn styles() -> Vec<(String, Style)> {
    let base = Style {
        t2: T2Order::RowMajor,
        t3: T3Order::RowMajor,
        t4: T4Order::Row,
        no_total: false,
    };
    let mut out = vec![("row-major".to_string(), base)];
    for (name, t3) in [
        ("column-major", T3Order::ColumnMajor),
        ("labels-after-3", T3Order::LabelsAfter(3)),
        ("labels-after-5", T3Order::LabelsAfter(5)),
        ("block-columns-3", T3Order::BlockColumns(3)),
        ("block-columns-10", T3Order::BlockColumns(10)),
    ] {
        out.push((name.to_string(), Style { t3, ..base }));
    }
    for (name, t4) in [
        ("t4-groups-shuffled", T4Order::Groups([2, 0, 1])),
        ("t4-groups-unlabelled", T4Order::GroupsUnlabelled([1, 2, 0])),
        ("t4-interleaved", T4Order::Interleaved),
    ] {
        out.push((name.to_string(), Style { t4, ..base }));
    }
    out.push((
        "t2-values-first".to_string(),
        Style {
            t2: T2Order::ValuesFirst,
            ..base
        },
    ));
    out.push((
        "no-total".to_string(),
        Style {
            no_total: true,
            ..base
        },
    ));
    out.push((
        "no-total-column-major".to_string(),
        Style {
            no_total: true,
            t3: T3Order::ColumnMajor,
            ..base
        },
    ));
    out
}

/// Every dev report's expected model, flattened every way: zero wrong cells.
#[test]
fn one_cell_per_line_variants_are_never_wrong() {
    let mut wrong = Vec::new();
    let mut report = Vec::new();
    for (name, style) in styles() {
        let mut sum = Tally::default();
        for n in DEV {
            let m = model(&format!("dev/{n}.expected.json"));
            let text = flatten_report(&m, style);
            let Some(imported) = import_text(&text) else {
                panic!("{name} {n}: not imported");
            };
            let mut w = Vec::new();
            let t = tally(&imported, &m, &mut w);
            if std::env::var_os("GONGKAI_LINES_DETAIL").is_some() {
                eprintln!("  {name} {n}: {t:?}");
                for u in imported.unreadable.iter().take(3) {
                    eprintln!("    {}", u.message());
                }
            }
            sum += t;
            wrong.extend(w.into_iter().map(|w| format!("{name} {n}: {w}")));
        }
        report.push(format!("{name}: {sum:?}"));
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

fn pdftotext(file: &str, raw: bool) -> Option<String> {
    let mut cmd = std::process::Command::new("pdftotext");
    if raw {
        cmd.arg("-raw");
    }
    let out = cmd
        .arg(corpus().join(file))
        .arg("-")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The dev PDFs as `pdftotext` writes them without `-layout`: zero wrong cells.
#[test]
fn pdf_text_without_layout_is_never_wrong() {
    let mut wrong = Vec::new();
    for n in ["008", "009"] {
        for raw in [false, true] {
            let Some(text) = pdftotext(&format!("dev/{n}.pdf"), raw) else {
                eprintln!("pdftotext not available; skipped");
                return;
            };
            let m = model(&format!("dev/{n}.expected.json"));
            let imported = import_text(&text).expect("imports");
            let mut w = Vec::new();
            let t = tally(&imported, &m, &mut w);
            eprintln!("{n} raw={raw}: {t:?}");
            wrong.extend(w.into_iter().map(|w| format!("{n} raw={raw}: {w}")));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// A random report whose totals agree with their parts, with many zeros (as real reports
/// have), in the 2021 layout with either shape of （六）.
fn consistent_report(
    single: bool,
    t2: Vec<u64>,
    parts: Vec<u64>,
    carried: Vec<u64>,
    t4: Vec<u64>,
) -> AnnualReport {
    use gongkai_core::report::{Cell, OtherShape, T2Key, Table3, Value};
    let mut r = AnnualReport::new("测试市某某局", 2023);
    r.layout = Layout::Y2021;
    let shape = if single {
        OtherShape::Single
    } else {
        OtherShape::Split
    };
    r.table3 = Table3::new(shape);
    for (i, k) in T2Key::all(Layout::Y2021).into_iter().enumerate() {
        let n = t2[i % t2.len()];
        let v = if k.is_amount() {
            Value::Amount(Decimal::new(n as i64 * 25, 1))
        } else {
            Value::Count(n)
        };
        r.set(CellRef::T2(k), Cell::new(v));
    }
    let rows = T3Row::rows(shape);
    let outcomes: Vec<T3Row> = rows.iter().copied().filter(|r| r.is_outcome()).collect();
    let mut processed = [0u64; 6];
    let mut forward = [0u64; 6];
    let mut over = [0u64; 6];
    for (c, col) in T3Col::PARTS.into_iter().enumerate() {
        for (i, &row) in outcomes.iter().enumerate() {
            let n = parts[(c * 31 + i) % parts.len()];
            processed[c] += n;
            r.set(CellRef::T3(row, col), Cell::new(Value::Count(n)));
        }
        forward[c] = carried[c % carried.len()];
        over[c] = carried[(c + 3) % carried.len()].min(processed[c] + forward[c]);
        let new = processed[c] + forward[c] - over[c];
        for (row, n) in [
            (T3Row::NewReceived, new),
            (T3Row::CarriedOver, over[c]),
            (T3Row::TotalProcessed, processed[c]),
            (T3Row::CarriedForward, forward[c]),
        ] {
            r.set(CellRef::T3(row, col), Cell::new(Value::Count(n)));
        }
    }
    for &row in rows {
        let sum: u64 = T3Col::PARTS
            .into_iter()
            .map(|c| match r.cell(CellRef::T3(row, c)).value {
                Value::Count(n) => n,
                _ => 0,
            })
            .sum();
        r.set(CellRef::T3(row, T3Col::Total), Cell::new(Value::Count(sum)));
    }
    for (gi, g) in T4Group::ALL.into_iter().enumerate() {
        let cols: Vec<T4Col> = T4Col::all().filter(|c| c.group == g).collect();
        let mut sum = 0;
        for (k, c) in cols.iter().enumerate().take(4) {
            let n = t4[(gi * 4 + k) % t4.len()];
            sum += n;
            r.set(CellRef::T4(*c), Cell::new(Value::Count(n)));
        }
        r.set(CellRef::T4(cols[4]), Cell::new(Value::Count(sum)));
    }
    r
}

fn style_strategy() -> impl Strategy<Value = Style> {
    let t3 = prop_oneof![
        Just(T3Order::RowMajor),
        Just(T3Order::ColumnMajor),
        (1usize..8).prop_map(T3Order::LabelsAfter),
        (2usize..12).prop_map(T3Order::BlockColumns),
    ];
    let perm = prop::sample::select(vec![
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ]);
    let t4 = prop_oneof![
        Just(T4Order::Row),
        perm.clone().prop_map(T4Order::Groups),
        perm.prop_map(T4Order::GroupsUnlabelled),
        Just(T4Order::Interleaved),
    ];
    let t2 = prop_oneof![Just(T2Order::RowMajor), Just(T2Order::ValuesFirst)];
    (t2, t3, t4, any::<bool>()).prop_map(|(t2, t3, t4, no_total)| Style {
        t2,
        t3,
        t4,
        no_total,
    })
}

/// Mostly zeros and small counts, sometimes a large one.
fn small() -> impl Strategy<Value = u64> {
    prop_oneof![6 => Just(0u64), 3 => 1u64..5, 1 => 5u64..500]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// T-PROP: random consistent reports flattened one cell per line in every order: no cell
    /// is placed wrong (each is right or reported unreadable).
    #[test]
    fn t_prop_one_cell_per_line_is_never_wrong(
        single in any::<bool>(),
        t2 in prop::collection::vec(small(), 1..12),
        parts in prop::collection::vec(small(), 1..40),
        carried in prop::collection::vec(small(), 1..8),
        t4 in prop::collection::vec(small(), 1..12),
        style in style_strategy(),
        blanks in prop::collection::vec(prop::bool::weighted(0.02), 1..97),
        blank_any in any::<bool>(),
        corrupt in prop::option::of((any::<prop::sample::Index>(), 1u64..30)),
    ) {
        let mut m = consistent_report(single, t2, parts, carried, t4);
        // Some reports leave cells blank; one cell per line, a blank is simply absent.
        if blank_any {
            for (i, at) in m.cell_refs().into_iter().enumerate() {
                if blanks[i % blanks.len()] {
                    m.set(at, gongkai_core::report::Cell::new(gongkai_core::report::Value::Blank));
                }
            }
        }
        // Reports break their own rules: one cell printed off by some amount.
        if let Some((at, by)) = corrupt {
            let refs = m.cell_refs();
            let at = refs[at.index(refs.len())];
            if let gongkai_core::report::Value::Count(n) = m.cell(at).value {
                m.set(at, gongkai_core::report::Cell::new(gongkai_core::report::Value::Count(n + by)));
            }
        }
        let text = flatten_report(&m, style);
        let Some(imported) = import_text(&text) else {
            // Refusing is right only for a report without a single figure printed (every cell
            // blank): there is nothing to read, and nothing was placed wrong.
            let printed = m
                .cell_refs()
                .into_iter()
                .filter(|at| m.cell(*at).value != gongkai_core::report::Value::Blank)
                .count();
            prop_assert_eq!(printed, 0, "{:?}: a report with figures was refused", style);
            return Ok(());
        };
        let mut wrong = Vec::new();
        tally(&imported, &m, &mut wrong);
        prop_assert!(wrong.is_empty(), "{style:?}: {}", wrong.join("\n"));
    }
}

/// Where the order is certain without totals (each row after its label), a report's broken
/// totals are its own (BI-IM-6); where only totals could settle the order and they disagree
/// with their parts, nothing is placed, so no rule fails on a placement the importer made
/// up. 109 prints a 总计 column that is not the sum of its rows; 009 prints table 四 totals
/// of 0 beside non-zero parts.
#[test]
fn broken_totals_settle_nothing() {
    use gongkai_core::report::{Status, check};
    let failed = |imported: &Imported, prefix: &str| -> Vec<String> {
        check(&imported.report, None)
            .iter()
            .filter(|f| f.status == Status::Fail && f.rule.id.starts_with(prefix))
            .map(|f| f.rule.id.clone())
            .collect()
    };
    let base = Style {
        t2: T2Order::RowMajor,
        t3: T3Order::RowMajor,
        t4: T4Order::Row,
        no_total: false,
    };
    let m = model("dev/109.expected.json");
    let rows = import_text(&flatten_report(&m, base)).expect("imports");
    let f = failed(&rows, "T3");
    assert!(f.contains(&"T3-3".to_string()), "{f:?}");
    let columns = Style {
        t3: T3Order::ColumnMajor,
        ..base
    };
    let cols = import_text(&flatten_report(&m, columns)).expect("imports");
    assert!(failed(&cols, "T3").is_empty());
    let why: Vec<String> = cols.unreadable.iter().map(|u| u.message()).collect();
    assert!(
        why.iter()
            .any(|w| w.contains("no reading agrees with the printed totals")),
        "{why:?}"
    );

    let m = model("dev/009.expected.json");
    let grouped = Style {
        t4: T4Order::GroupsUnlabelled([0, 1, 2]),
        ..base
    };
    let imported = import_text(&flatten_report(&m, grouped)).expect("imports");
    assert!(failed(&imported, "T4").is_empty());
    assert!(imported.unreadable.iter().any(
        |u| matches!(u.cell(), Some(CellRef::T4(_))) && u.why.contains("printed group totals")
    ),);
    // Each group after its own label: certain, and the report's own totals fail.
    let labelled = Style {
        t4: T4Order::Groups([0, 1, 2]),
        ..base
    };
    let imported = import_text(&flatten_report(&m, labelled)).expect("imports");
    assert!(!failed(&imported, "T4").is_empty());
}

/// The case the property once met: every cell blank, one cell per line, leaves only labels. The
/// importer refuses it (nothing to read) — never a report with a figure placed.
#[test]
fn t_prop_a_report_with_every_cell_blank_has_nothing_placed() {
    let mut m = consistent_report(false, vec![0], vec![0], vec![0], vec![0]);
    for at in m.cell_refs() {
        m.set(
            at,
            gongkai_core::report::Cell::new(gongkai_core::report::Value::Blank),
        );
    }
    let style = Style {
        t2: T2Order::RowMajor,
        t3: T3Order::RowMajor,
        t4: T4Order::Row,
        no_total: false,
    };
    if let Some(imported) = import_text(&flatten_report(&m, style)) {
        let mut wrong = Vec::new();
        tally(&imported, &m, &mut wrong);
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
