//! A JSON Schema (draft 2020-12) of the interchange format, generated from the format data so
//! it always lists the keys the reader accepts.

use super::format::spec;
use super::json::FORMAT;
use super::keys::{T3Col, T3Row, T4Col};
use super::model::Figures;
use serde_json::{Map, Value as Json, json};

fn count_cell() -> Json {
    json!({"description": "a count as printed; \"/\" not applicable; null blank; other text kept as printed",
           "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string"}, {"type": "null"}]})
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
                    let cell = if col.key.ends_with("amount") {
                        amount_cell()
                    } else {
                        count_cell()
                    };
                    let mut cell = cell;
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
            "agency": {"type": "string", "minLength": 1},
            "year": {"type": "integer", "minimum": 1990},
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
            "source": {"type": "object", "properties": {"file": {"type": "string"}, "cells": {"type": "object"}}},
            "checks": {"type": "array", "description": "written by gongkai, ignored on input"}
        }
    })
}
