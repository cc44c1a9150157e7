//! A JSON Schema (draft 2020-12) of the interchange format, generated from the format data so
//! it always lists the keys the reader accepts.

use super::format::spec;
use super::json::FORMAT;
use super::keys::{T2Key, T3Col, T3Row, T4Col};
use super::model::Figures;
use serde_json::{Map, Value as Json, json};

fn count_cell() -> Json {
    json!({"description": "a count as printed; \"/\" not applicable; null blank; other text kept as printed",
           "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}, {"type": "null"}]})
}

/// 本年增/减 of the 2019 layout: a signed count (a decrease is printed negative, e.g. -18).
fn signed_cell() -> Json {
    json!({"description": "a signed count as printed (本年增/减: a decrease is negative, e.g. -18); \"/\" not applicable; null blank; other text kept as printed",
           "oneOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]})
}

fn amount_cell() -> Json {
    json!({"description": "an amount in 万元 as an exact decimal string, e.g. \"12.35\"; \"/\"; null",
           "oneOf": [{"type": "string"}, {"type": "number", "minimum": 0}, {"type": "null"}]})
}

fn closed(props: Map<String, Json>) -> Json {
    json!({"type": "object", "properties": props, "additionalProperties": false})
}

pub fn schema() -> Json {
    // Table 二: the union of the 2021 and 2019 sub-tables (the reader checks against the layout).
    let mut t2 = Map::new();
    for layout in [&spec().table2, &spec().table2_legacy_2019] {
        for sub in &layout.subtables {
            let entry = t2.entry(sub.key.clone()).or_insert_with(
                || json!({"type": "object", "properties": {}, "additionalProperties": false}),
            );
            for row in &sub.rows {
                let rows = entry["properties"]
                    .as_object_mut()
                    .expect("properties is an object");
                let row_entry = rows.entry(row.key.clone()).or_insert_with(|| json!({"type": "object", "description": row.label, "properties": {}, "additionalProperties": false}));
                for col in &sub.columns {
                    let key = T2Key {
                        sub: &sub.key,
                        row: &row.key,
                        col: &col.key,
                    };
                    let mut cell = if key.is_amount() {
                        amount_cell()
                    } else if key.is_signed() {
                        signed_cell()
                    } else {
                        count_cell()
                    };
                    cell["title"] = json!(col.label);
                    row_entry["properties"][col.key.as_str()] = cell;
                }
            }
        }
    }
    let t3_cols: Map<String, Json> = T3Col::ALL
        .iter()
        .map(|c| {
            (c.key().to_string(), {
                let mut v = count_cell();
                v["title"] = json!(c.label());
                v
            })
        })
        .collect();
    let t3_rows: Map<String, Json> = T3Row::all()
        .map(|r| {
            let mut v = closed(t3_cols.clone());
            v["title"] = json!(r.label());
            (r.key().to_string(), v)
        })
        .collect();
    let t4: Map<String, Json> = T4Col::all()
        .map(|c| {
            (c.key(), {
                let mut v = count_cell();
                v["title"] = json!(c.label());
                v
            })
        })
        .collect();
    let figures: Map<String, Json> = Figures::KNOWN
        .iter()
        .map(|(k, amount)| {
            (
                k.to_string(),
                if *amount {
                    json!({"type": "string"})
                } else {
                    json!({"type": "integer", "minimum": 0})
                },
            )
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://gongkai.invalid/schema/annual-report-1.json",
        "title": "gongkai.annual-report/1 — 政府信息公开工作年度报告",
        "type": "object",
        "required": ["agency", "year"],
        "properties": {
            "format": {"const": FORMAT},
            "layout": {"enum": ["2021", "2019"]},
            "agency": {"description": "the agency's name; null only when the reader could not identify it, with a source.unreadable entry whose field is \"agency\"",
                       "oneOf": [{"type": "string", "minLength": 1}, {"type": "null"}]},
            "year": {"description": "the report year; null only when the reader could not find it, with a source.unreadable entry whose field is \"year\"",
                     "oneOf": [{"type": "integer", "minimum": 1990, "maximum": 2200}, {"type": "null"}]},
            "title": {"type": "string"},
            "proactive": {"type": "object", "properties": {
                "total": {"type": "integer", "minimum": 0},
                "by_category": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}}},
            "table2": {"type": "object", "properties": t2, "additionalProperties": false},
            "table3": {"type": "object", "description": spec().table3.corner_note, "properties": t3_rows, "additionalProperties": false},
            "table4": closed(t4),
            "sections": {"type": "object", "properties": {
                "intro": {"type": "string"}, "overview": {"type": "string"},
                "problems": {"type": "string"}, "other": {"type": "string"}}},
            "figures": {"type": "object", "properties": figures},
            "notes": {"type": "string"},
            "source": {"type": "object", "properties": {
                "file": {"type": "string"},
                "cells": {"type": "object"},
                "agency": {"type": "object", "description": "where the reader found the agency's name",
                           "properties": {"from": {"enum": ["title", "text", "docx-properties", "html-title"]}}},
                "unreadable": {"type": "array", "description": "what the reader could not find or read; the rules treat these cells as unread, not as printed blanks",
                               "items": {"type": "object", "required": ["cell"], "properties": {
                                   "cell": {"type": ["string", "null"]},
                                   "field": {"enum": ["agency", "year"]},
                                   "label": {"type": "string"}, "message": {"type": "string"},
                                   "near": {"type": "object"}}}}}},
            "checks": {"type": "array", "description": "written by gongkai, ignored on input"}
        }
    })
}
