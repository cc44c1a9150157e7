//! Writing a report as an interchange document.

use super::FORMAT;
use crate::report::cell::{Place, Source, Value};
use crate::report::format::spec;
use crate::report::gap::{Gap, GapOf};
use crate::report::keys::{Layout, T2Key, T3Col, T4Col};
use crate::report::model::{AnnualReport, Figures};
use crate::report::rules::Finding;
use serde_json::{Map, Value as Json, json};

/// Writes a report as an interchange document; `checks` adds the rule results.
pub fn to_json(report: &AnnualReport, checks: Option<&[Finding]>) -> Json {
    let mut root = Map::new();
    root.insert("format".into(), json!(FORMAT));
    root.insert("layout".into(), json!(report.layout.key()));
    // An agency the reader could not identify is null, with its gap in `source.unreadable`.
    if report.agency.trim().is_empty() {
        root.insert("agency".into(), Json::Null);
    } else {
        root.insert("agency".into(), json!(report.agency));
    }
    // A year the reader could not find is null, with its gap in `source.unreadable`.
    root.insert("year".into(), json!(report.known_year()));
    if let Some(title) = &report.title {
        root.insert("title".into(), json!(title));
    }
    if let Some(p) = &report.proactive {
        let mut obj = Map::new();
        if let Some(total) = p.total {
            obj.insert("total".into(), json!(total));
        }
        if !p.by_category.is_empty() {
            let cats: Map<String, Json> = p
                .by_category
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            obj.insert("by_category".into(), Json::Object(cats));
        }
        root.insert("proactive".into(), Json::Object(obj));
    }
    root.insert("table2".into(), table2_json(report));
    let mut t3 = Map::new();
    for &row in report.table3.rows() {
        let cols: Map<String, Json> = T3Col::ALL
            .iter()
            .map(|&c| {
                (
                    c.key().to_string(),
                    value_json(&report.table3.get(row, c).value),
                )
            })
            .collect();
        t3.insert(row.key().to_string(), Json::Object(cols));
    }
    root.insert("table3".into(), Json::Object(t3));
    let t4: Map<String, Json> = T4Col::all()
        .map(|c| (c.key(), value_json(&report.table4.get(c).value)))
        .collect();
    root.insert("table4".into(), Json::Object(t4));
    let s = &report.sections;
    let mut sections = Map::new();
    for (key, text) in [
        ("intro", &s.intro),
        ("overview", &s.overview),
        ("problems", &s.problems),
        ("other", &s.other),
    ] {
        if let Some(text) = text {
            sections.insert(key.into(), json!(text));
        }
    }
    if !sections.is_empty() {
        root.insert("sections".into(), Json::Object(sections));
    }
    if !report.figures.is_empty() {
        let mut f = Map::new();
        for (key, is_amount) in Figures::KNOWN {
            if is_amount {
                if let Some(d) = report.figures.amounts.get(key) {
                    f.insert(key.into(), json!(d.normalize().to_string()));
                }
            } else if let Some(n) = report.figures.counts.get(key) {
                f.insert(key.into(), json!(n));
            }
        }
        root.insert("figures".into(), Json::Object(f));
    }
    if let Some(notes) = &report.notes {
        root.insert("notes".into(), json!(notes));
    }
    let sources = sources_json(report);
    if report.source_file.is_some()
        || !sources.is_empty()
        || !report.gaps.is_empty()
        || report.agency_evidence.is_some()
    {
        let mut src = Map::new();
        if let Some(file) = &report.source_file {
            src.insert("file".into(), json!(file));
        }
        if let Some(e) = &report.agency_evidence {
            let mut o = Map::new();
            o.insert("from".into(), json!(e.from));
            o.extend(place_json(&e.place));
            src.insert("agency".into(), Json::Object(o));
        }
        src.insert("cells".into(), Json::Object(sources));
        if !report.gaps.is_empty() {
            src.insert(
                "unreadable".into(),
                Json::Array(report.gaps.iter().map(gap_json).collect()),
            );
        }
        root.insert("source".into(), Json::Object(src));
    }
    if let Some(checks) = checks {
        root.insert(
            "checks".into(),
            Json::Array(checks.iter().map(Finding::to_json).collect()),
        );
    }
    Json::Object(root)
}

fn table2_json(report: &AnnualReport) -> Json {
    let t2 = spec().table2_for(report.layout == Layout::Y2019);
    let mut out = Map::new();
    for sub in &t2.subtables {
        let mut rows = Map::new();
        for row in &sub.rows {
            let mut cols = Map::new();
            for col in &sub.columns {
                let key = T2Key {
                    sub: &sub.key,
                    row: &row.key,
                    col: &col.key,
                };
                cols.insert(col.key.clone(), value_json(&report.table2.get(key).value));
            }
            rows.insert(row.key.clone(), Json::Object(cols));
        }
        out.insert(sub.key.clone(), Json::Object(rows));
    }
    Json::Object(out)
}

/// The JSON form of a value (docs/report-json.md, "Values").
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Count(n) => json!(n),
        Value::Negative(m) => match i64::try_from(m.get()) {
            Ok(n) => json!(-n),
            Err(_) => json!(v.to_string()),
        },
        Value::Amount(d) => json!(d.normalize().to_string()),
        Value::NotApplicable => json!("/"),
        Value::Blank => Json::Null,
        Value::Invalid(s) => json!(s),
    }
}

fn sources_json(report: &AnnualReport) -> Map<String, Json> {
    let mut out = Map::new();
    for at in report.cell_refs() {
        if let Some(source) = &report.cell(at).source {
            out.insert(at.path(), source_json(source));
        }
    }
    out
}

fn source_json(source: &Source) -> Json {
    match source {
        Source::Computed { records } => json!({"kind": "computed", "records": records}),
        Source::Entered { by, at, note } => {
            let mut o = json!({"kind": "entered", "by": by, "at": at});
            if let Some(note) = note {
                o["note"] = json!(note);
            }
            o
        }
        Source::Imported(p) => {
            let mut o = Map::new();
            o.insert("kind".into(), json!("imported"));
            o.extend(place_json(p));
            Json::Object(o)
        }
    }
}

/// One entry of `source.unreadable`: `{"cell": path or null, "field": "agency"|"year" (identity
/// gaps only), "label", "message", "near"}`.
pub fn gap_json(g: &Gap) -> Json {
    let mut o = Map::new();
    o.insert(
        "cell".into(),
        match g.of {
            GapOf::Cell(at) => json!(at.path()),
            _ => Json::Null,
        },
    );
    if let Some(field) = g.of.field() {
        o.insert("field".into(), json!(field));
    }
    o.insert("label".into(), json!(g.label));
    o.insert("message".into(), json!(g.message));
    if let Some(near) = &g.near {
        o.insert("near".into(), Json::Object(place_json(near)));
    }
    Json::Object(o)
}

/// A place in an imported file as JSON: only the parts that are known.
pub fn place_json(p: &Place) -> Map<String, Json> {
    let mut o = Map::new();
    for (k, v) in [
        ("line", p.line),
        ("page", p.page),
        ("table", p.table),
        ("row", p.row),
        ("column", p.column),
    ] {
        if let Some(v) = v {
            o.insert(k.into(), json!(v));
        }
    }
    if let Some(text) = &p.text {
        o.insert("text".into(), json!(text));
    }
    o
}
