//! Reading an interchange document, with errors that name the JSON path.

use super::{FORMAT, JsonError, invalid};
use crate::report::cell::{Cell, Place, Source, Value};
use crate::report::format::spec;
use crate::report::gap::{AgencyEvidence, Gap, GapOf, YEAR_UNKNOWN};
use crate::report::keys::{CellRef, Layout, OtherShape, T2Key, T3Col, T3Row, T4Col};
use crate::report::model::{AnnualReport, Figures, Proactive, Sections, Table3};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json, json};
use std::str::FromStr;

/// Reads an interchange document from text.
pub fn from_str(text: &str) -> Result<AnnualReport, JsonError> {
    let value: Json = serde_json::from_str(text).map_err(|e| JsonError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    from_json(&value)
}

/// Reads an interchange document. Unknown top-level members are ignored; unknown table keys
/// are errors, because they mean a cell would be lost.
pub fn from_json(root: &Json) -> Result<AnnualReport, JsonError> {
    let obj = root
        .as_object()
        .ok_or_else(|| invalid("$", "a JSON object", root))?;
    if let Some(f) = obj.get("format")
        && f.as_str() != Some(FORMAT)
    {
        return Err(invalid("format", format!("\"{FORMAT}\""), f));
    }
    // An agency the reader could not identify is null (or empty), and only with its gap.
    let agency_gap = has_agency_gap(obj.get("source"));
    let agency = match obj.get("agency") {
        Some(Json::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Json::String(_)) | Some(Json::Null) | None if agency_gap => String::new(),
        Some(other) => {
            return Err(invalid(
                "agency",
                "the agency name as a non-empty string (null only with a source.unreadable entry for the agency)",
                other,
            ));
        }
        None => {
            return Err(invalid(
                "agency",
                "the agency name (member missing)",
                &Json::Null,
            ));
        }
    };
    // A year the reader could not find is null, and only with its gap.
    let year = match obj.get("year") {
        Some(Json::Null) | None if has_year_gap(obj.get("source")) => YEAR_UNKNOWN,
        Some(v) => match v.as_i64() {
            Some(y) if (1990..=2200).contains(&y) => y as i32,
            _ => {
                return Err(invalid(
                    "year",
                    "the report year as an integer such as 2021 (null only with a source.unreadable entry for the year)",
                    v,
                ));
            }
        },
        None => {
            return Err(invalid(
                "year",
                "the report year (member missing)",
                &Json::Null,
            ));
        }
    };
    let layout = match obj.get("layout") {
        Some(v) => v
            .as_str()
            .and_then(Layout::from_key)
            .ok_or_else(|| invalid("layout", "\"2021\" or \"2019\"", v))?,
        None => infer_layout(obj.get("table2"), year),
    };
    let mut report = AnnualReport::new(agency, year);
    report.layout = layout;
    report.title = opt_string(obj, "title")?;
    report.notes = opt_string(obj, "notes")?;
    if let Some(p) = obj.get("proactive") {
        report.proactive = Some(read_proactive(p)?);
    }
    if let Some(t2) = obj.get("table2") {
        read_table2(&mut report, t2)?;
    }
    if let Some(t3) = obj.get("table3") {
        report.table3 = read_table3(layout, t3)?;
    } else if layout == Layout::Y2021 {
        report.table3 = Table3::new(OtherShape::Split);
    }
    if let Some(t4) = obj.get("table4") {
        let t4obj = t4
            .as_object()
            .ok_or_else(|| invalid("table4", "an object of the 15 table 四 columns", t4))?;
        for (k, v) in t4obj {
            let path = format!("table4.{k}");
            let col = T4Col::from_key(k).ok_or_else(|| {
                invalid(
                    &path,
                    format!(
                        "a table 四 column: {}",
                        T4Col::all().map(|c| c.key()).collect::<Vec<_>>().join(", ")
                    ),
                    &json!(k),
                )
            })?;
            report.table4.set(col, Cell::new(read_count(&path, v)?));
        }
    }
    if let Some(s) = obj.get("sections") {
        report.sections = read_sections(s)?;
    }
    if let Some(f) = obj.get("figures") {
        report.figures = read_figures(f)?;
    }
    report.gaps = read_gaps(obj.get("source"), &report.cell_refs())?;
    if let Some(src) = obj.get("source") {
        read_sources(&mut report, src)?;
    }
    Ok(report)
}

fn infer_layout(table2: Option<&Json>, year: i32) -> Layout {
    let legacy_cols = ["new_made", "new_published", "total_published"];
    let has_legacy = table2
        .and_then(|t| {
            t.pointer("/art20_1/rules")
                .or_else(|| t.pointer("/art20_1/normative_docs"))
        })
        .and_then(Json::as_object)
        .is_some_and(|o| o.keys().any(|k| legacy_cols.contains(&k.as_str())));
    if has_legacy || (table2.is_none() && year <= 2020) {
        Layout::Y2019
    } else {
        Layout::Y2021
    }
}

fn opt_string(obj: &Map<String, Json>, key: &str) -> Result<Option<String>, JsonError> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(key, "a string", other)),
    }
}

fn read_proactive(p: &Json) -> Result<Proactive, JsonError> {
    let obj = p
        .as_object()
        .ok_or_else(|| invalid("proactive", "an object with total and by_category", p))?;
    let total = match obj.get("total") {
        None | Some(Json::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or_else(|| invalid("proactive.total", "a non-negative integer", v))?,
        ),
    };
    let mut by_category = Vec::new();
    if let Some(cats) = obj.get("by_category") {
        let cats = cats.as_object().ok_or_else(|| {
            invalid(
                "proactive.by_category",
                "an object of category: count",
                cats,
            )
        })?;
        for (k, v) in cats {
            let n = v.as_u64().ok_or_else(|| {
                invalid(
                    &format!("proactive.by_category.{k}"),
                    "a non-negative integer",
                    v,
                )
            })?;
            by_category.push((k.clone(), n));
        }
    }
    Ok(Proactive { total, by_category })
}

fn read_table2(report: &mut AnnualReport, t2: &Json) -> Result<(), JsonError> {
    let layout = report.layout;
    let spec2 = spec().table2_for(layout == Layout::Y2019);
    let obj = t2
        .as_object()
        .ok_or_else(|| invalid("table2", "an object of sub-tables", t2))?;
    let keys_of = |items: &mut dyn Iterator<Item = &String>| {
        items.map(String::as_str).collect::<Vec<_>>().join(", ")
    };
    for (sub_key, rows) in obj {
        let path = format!("table2.{sub_key}");
        let sub = spec2.subtable(sub_key).ok_or_else(|| {
            let expected = keys_of(&mut spec2.subtables.iter().map(|s| &s.key));
            invalid(
                &path,
                format!(
                    "a table 二 sub-table of the {} layout: {expected}",
                    layout.key()
                ),
                &json!(sub_key),
            )
        })?;
        let rows = rows
            .as_object()
            .ok_or_else(|| invalid(&path, "an object of rows", rows))?;
        for (row_key, cols) in rows {
            let path = format!("{path}.{row_key}");
            let row = sub.rows.iter().find(|r| &r.key == row_key).ok_or_else(|| {
                let expected = keys_of(&mut sub.rows.iter().map(|r| &r.key));
                invalid(
                    &path,
                    format!(
                        "a row of {sub_key} in the {} layout: {expected}",
                        layout.key()
                    ),
                    &json!(row_key),
                )
            })?;
            let cols = cols
                .as_object()
                .ok_or_else(|| invalid(&path, "an object of columns", cols))?;
            for (col_key, v) in cols {
                let path = format!("{path}.{col_key}");
                let col = sub
                    .columns
                    .iter()
                    .find(|c| &c.key == col_key)
                    .ok_or_else(|| {
                        let expected = keys_of(&mut sub.columns.iter().map(|c| &c.key));
                        invalid(
                            &path,
                            format!(
                                "a column of {sub_key} in the {} layout: {expected}",
                                layout.key()
                            ),
                            &json!(col_key),
                        )
                    })?;
                let key = T2Key {
                    sub: &sub.key,
                    row: &row.key,
                    col: &col.key,
                };
                let value = if key.is_amount() {
                    read_amount(&path, v)?
                } else if key.is_signed() {
                    read_signed(&path, v)?
                } else {
                    read_count(&path, v)?
                };
                report.table2.set(key, Cell::new(value));
            }
        }
    }
    Ok(())
}

fn read_table3(layout: Layout, t3: &Json) -> Result<Table3, JsonError> {
    let obj = t3
        .as_object()
        .ok_or_else(|| invalid("table3", "an object of table 三 rows", t3))?;
    let has_single = obj.contains_key("other");
    let split_key = obj.keys().find(|k| k.starts_with("other."));
    let shape = match (has_single, split_key) {
        (true, Some(k)) => {
            return Err(invalid(
                &format!("table3.{k}"),
                "either the single row \"other\" or the three rows \"other.*\", not both",
                &json!(k),
            ));
        }
        (false, Some(k)) if layout == Layout::Y2019 => {
            return Err(invalid(
                &format!("table3.{k}"),
                "the single row \"other\" (the 2019 layout has one （六）其他处理 row)",
                &json!(k),
            ));
        }
        (true, None) => OtherShape::Single,
        (false, _) if layout == Layout::Y2019 => OtherShape::Single,
        _ => OtherShape::Split,
    };
    let mut table = Table3::new(shape);
    for (row_key, cols) in obj {
        let path = format!("table3.{row_key}");
        let row = T3Row::from_key(row_key).ok_or_else(|| {
            let expected = T3Row::rows(shape)
                .iter()
                .map(|r| r.key())
                .collect::<Vec<_>>()
                .join(", ");
            invalid(
                &path,
                format!("a table 三 row: {expected}"),
                &json!(row_key),
            )
        })?;
        let cols = cols
            .as_object()
            .ok_or_else(|| invalid(&path, "an object of the 7 applicant columns", cols))?;
        for (col_key, v) in cols {
            let path = format!("{path}.{col_key}");
            let col = T3Col::from_key(col_key).ok_or_else(|| {
                let expected = T3Col::ALL
                    .iter()
                    .map(|c| c.key())
                    .collect::<Vec<_>>()
                    .join(", ");
                invalid(
                    &path,
                    format!("a table 三 column: {expected}"),
                    &json!(col_key),
                )
            })?;
            table.set(row, col, Cell::new(read_count(&path, v)?));
        }
    }
    Ok(table)
}

const NOT_APPLICABLE: [&str; 7] = ["/", "／", "—", "－", "-", "无", "不适用"];

fn read_text_value(s: &str) -> Value {
    let t = s.trim();
    if t.is_empty() {
        Value::Blank
    } else if NOT_APPLICABLE.contains(&t) {
        Value::NotApplicable
    } else {
        Value::Invalid(s.to_string())
    }
}

fn read_count(path: &str, v: &Json) -> Result<Value, JsonError> {
    match v {
        Json::Null => Ok(Value::Blank),
        Json::Number(n) => n
            .as_u64()
            .map(Value::Count)
            .ok_or_else(|| invalid(path, "a count: an integer ≥ 0", v)),
        Json::String(s) => Ok(match s.trim().parse::<u64>() {
            Ok(n) if !s.trim().starts_with('+') => Value::Count(n),
            _ => read_text_value(s),
        }),
        _ => Err(invalid(
            path,
            "a count (integer ≥ 0), \"/\", a string as printed, or null",
            v,
        )),
    }
}

/// A signed count (本年增/减 of the 2019 layout): any integer, e.g. `-18`.
fn read_signed(path: &str, v: &Json) -> Result<Value, JsonError> {
    match v {
        Json::Number(n) => n.as_i64().map(Value::signed).ok_or_else(|| {
            invalid(
                path,
                "a signed count (本年增/减): an integer such as -18",
                v,
            )
        }),
        Json::String(s) => Ok(match s.trim().parse::<i64>() {
            Ok(n) if !s.trim().starts_with('+') => Value::signed(n),
            _ => read_text_value(s),
        }),
        _ => read_count(path, v),
    }
}

fn read_amount(path: &str, v: &Json) -> Result<Value, JsonError> {
    match v {
        Json::Null => Ok(Value::Blank),
        Json::Number(n) => match Decimal::from_str(&n.to_string()) {
            Ok(d) if !d.is_sign_negative() => Ok(Value::Amount(d)),
            _ => Err(invalid(
                path,
                "an amount in 万元 ≥ 0 (write decimals as strings, e.g. \"12.35\")",
                v,
            )),
        },
        Json::String(s) => Ok(match Decimal::from_str(s.trim()) {
            Ok(d) if !d.is_sign_negative() => Value::Amount(d),
            _ => read_text_value(s),
        }),
        _ => Err(invalid(
            path,
            "an amount in 万元 as a decimal string, \"/\", or null",
            v,
        )),
    }
}

fn read_sections(s: &Json) -> Result<Sections, JsonError> {
    let obj = s
        .as_object()
        .ok_or_else(|| invalid("sections", "an object of section texts", s))?;
    let text = |key: &str| -> Result<Option<String>, JsonError> {
        match obj.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(t)) => Ok(Some(t.clone())),
            Some(other) => Err(invalid(
                &format!("sections.{key}"),
                "the section text as a string",
                other,
            )),
        }
    };
    Ok(Sections {
        intro: text("intro")?,
        overview: text("overview")?,
        problems: text("problems")?,
        other: text("other")?,
    })
}

fn read_figures(f: &Json) -> Result<Figures, JsonError> {
    let obj = f
        .as_object()
        .ok_or_else(|| invalid("figures", "an object of figures", f))?;
    let mut figures = Figures::default();
    for (key, is_amount) in Figures::KNOWN {
        let Some(v) = obj.get(key) else { continue };
        let path = format!("figures.{key}");
        if v.is_null() {
            continue;
        }
        if is_amount {
            let text = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            let d = Decimal::from_str(&text)
                .ok()
                .filter(|d| !d.is_sign_negative())
                .ok_or_else(|| invalid(&path, "an amount in yuan ≥ 0 as a decimal string", v))?;
            figures.amounts.insert(key.into(), d);
        } else {
            let n = v
                .as_u64()
                .ok_or_else(|| invalid(&path, "a non-negative integer", v))?;
            figures.counts.insert(key.into(), n);
        }
    }
    Ok(figures)
}

fn read_sources(report: &mut AnnualReport, src: &Json) -> Result<(), JsonError> {
    let obj = src
        .as_object()
        .ok_or_else(|| invalid("source", "an object with file and cells", src))?;
    report.source_file =
        opt_string(obj, "file").map_err(|_| invalid("source.file", "a file name", &obj["file"]))?;
    report.agency_evidence = read_agency_evidence(src);
    let Some(cells) = obj.get("cells") else {
        return Ok(());
    };
    let cells = cells
        .as_object()
        .ok_or_else(|| invalid("source.cells", "an object of cell path: source", cells))?;
    let refs = report.cell_refs();
    for (path, s) in cells {
        let at = refs
            .iter()
            .copied()
            .find(|r| &r.path() == path)
            .ok_or_else(|| {
                invalid(
                    &format!("source.cells.{path}"),
                    "the path of a cell of this report's layout",
                    &json!(path),
                )
            })?;
        let source = read_source(&format!("source.cells.{path}"), s)?;
        let mut cell = report.cell(at).clone();
        cell.source = Some(source);
        report.set(at, cell);
    }
    Ok(())
}

/// Whether `source.unreadable` lists the agency (see [`read_gaps`]).
fn has_agency_gap(src: Option<&Json>) -> bool {
    has_identity_gap(src, |field| matches!(field, Some("agency") | None))
}

fn has_year_gap(src: Option<&Json>) -> bool {
    has_identity_gap(src, |field| field == Some("year"))
}

/// Whether `source.unreadable` has an entry with `"cell": null` whose `field` matches.
fn has_identity_gap(src: Option<&Json>, field: impl Fn(Option<&str>) -> bool) -> bool {
    src.and_then(|s| s.get("unreadable"))
        .and_then(Json::as_array)
        .is_some_and(|list| {
            list.iter().any(|g| {
                g.get("cell").is_none_or(Json::is_null)
                    && field(g.get("field").and_then(Json::as_str))
            })
        })
}

/// `source.unreadable`: what the reader of the source file could not find or read. An entry
/// with `"cell": null` and no `field` (written before `field` existed) is the agency.
fn read_gaps(src: Option<&Json>, refs: &[CellRef]) -> Result<Vec<Gap>, JsonError> {
    let Some(list) = src.and_then(|s| s.get("unreadable")) else {
        return Ok(Vec::new());
    };
    let list = list.as_array().ok_or_else(|| {
        invalid(
            "source.unreadable",
            "an array of {cell, label, message, near}",
            list,
        )
    })?;
    let mut out = Vec::new();
    for (i, g) in list.iter().enumerate() {
        let path = format!("source.unreadable[{i}]");
        let str_of = |k: &str| g.get(k).and_then(Json::as_str).map(str::to_string);
        let of = match (g.get("cell"), str_of("field").as_deref()) {
            (Some(Json::String(cell)), _) => GapOf::Cell(
                refs.iter()
                    .copied()
                    .find(|r| &r.path() == cell)
                    .ok_or_else(|| {
                        invalid(
                            &format!("{path}.cell"),
                            "the path of a cell of this report's layout",
                            &json!(cell),
                        )
                    })?,
            ),
            (None | Some(Json::Null), Some("year")) => GapOf::Year,
            (None | Some(Json::Null), Some("agency") | None) => GapOf::Agency,
            _ => {
                return Err(invalid(
                    &path,
                    "a cell path, or \"cell\": null with \"field\": \"agency\" or \"year\"",
                    g,
                ));
            }
        };
        let near = g.get("near").filter(|n| n.is_object()).map(|n| {
            let u32_of = |k: &str| {
                n.get(k)
                    .and_then(Json::as_u64)
                    .and_then(|v| u32::try_from(v).ok())
            };
            Place {
                line: u32_of("line"),
                page: u32_of("page"),
                table: u32_of("table"),
                row: u32_of("row"),
                column: u32_of("column"),
                text: n.get("text").and_then(Json::as_str).map(str::to_string),
            }
        });
        out.push(Gap {
            of,
            label: str_of("label").unwrap_or_default(),
            message: str_of("message").unwrap_or_default(),
            near,
        });
    }
    Ok(out)
}

/// `source.agency`: where the reader found the agency's name.
fn read_agency_evidence(src: &Json) -> Option<AgencyEvidence> {
    let e = src.get("agency")?;
    let from = e.get("from").and_then(Json::as_str)?.to_string();
    let u32_of = |k: &str| {
        e.get(k)
            .and_then(Json::as_u64)
            .and_then(|v| u32::try_from(v).ok())
    };
    Some(AgencyEvidence {
        from,
        place: Place {
            line: u32_of("line"),
            page: u32_of("page"),
            table: u32_of("table"),
            row: u32_of("row"),
            column: u32_of("column"),
            text: e.get("text").and_then(Json::as_str).map(str::to_string),
        },
    })
}

fn read_source(path: &str, s: &Json) -> Result<Source, JsonError> {
    let str_of = |k: &str| s.get(k).and_then(Json::as_str).map(str::to_string);
    let u32_of = |k: &str| {
        s.get(k)
            .and_then(Json::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    match s.get("kind").and_then(Json::as_str) {
        Some("computed") => {
            let records = s
                .get("records")
                .and_then(Json::as_array)
                .ok_or_else(|| invalid(&format!("{path}.records"), "an array of record ids", s))?
                .iter()
                .map(|r| {
                    r.as_str().map(str::to_string).ok_or_else(|| {
                        invalid(&format!("{path}.records"), "record ids as strings", r)
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Source::Computed { records })
        }
        Some("entered") => Ok(Source::Entered {
            by: str_of("by")
                .ok_or_else(|| invalid(&format!("{path}.by"), "who entered the value", s))?,
            at: str_of("at")
                .ok_or_else(|| invalid(&format!("{path}.at"), "when the value was entered", s))?,
            note: str_of("note"),
        }),
        Some("imported") => Ok(Source::Imported(Place {
            line: u32_of("line"),
            page: u32_of("page"),
            table: u32_of("table"),
            row: u32_of("row"),
            column: u32_of("column"),
            text: str_of("text"),
        })),
        _ => Err(invalid(
            &format!("{path}.kind"),
            "\"computed\", \"entered\" or \"imported\"",
            s,
        )),
    }
}

/// The cells a JSON path names, for callers that address cells by path.
pub fn cell_ref_by_path(report: &AnnualReport, path: &str) -> Option<CellRef> {
    report.cell_refs().into_iter().find(|r| r.path() == path)
}
