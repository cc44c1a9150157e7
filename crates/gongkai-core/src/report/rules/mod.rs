//! The consistency rules (勾稽关系, docs/rules/annual-report.md) as data, and the one engine that
//! evaluates them on any report: computed from live data, entered, imported or rolled up.
//!
//! A blank cell is never read as 0. A rule that needs a blank cell is `Unassessable` and names
//! the cell; the domain rules T3-4/T4-4 fail on blanks because the format wants a 0 there.

use super::keys::{CellRef, Layout};
use serde::Deserialize;
use serde_json::{Value as Json, json};

use std::sync::LazyLock;

const RULES_JSON: &str = include_str!("../../../../../data/formats/rules.json");

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    struct RuleFile {
        rules: Vec<Rule>,
    }
    // Compiled in and covered by tests, so a parse failure is a build defect.
    serde_json::from_str::<RuleFile>(RULES_JSON)
        .expect("data/formats/rules.json is valid")
        .rules
});

/// Every rule, in the order of `data/formats/rules.json` (docs/rules/annual-report.md).
pub fn rules() -> &'static [Rule] {
    &RULES
}

pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().iter().find(|r| r.id == id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks publishing.
    Error,
    /// Reported, does not block.
    Warning,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// `sum(lhs) == sum(rhs)` for every instance of the scope.
    Sum,
    /// Every cell of a table holds a value of the right kind.
    Domain,
    /// Each counted record sits in exactly one outcome cell.
    OutcomeUnique,
    /// Compares with the previous year's report.
    CrossYear,
    /// Section 一's categories add up to the stated total.
    ProactiveCategories,
}

/// One rule, as declared in `data/formats/rules.json`.
#[derive(Debug, Deserialize)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub kind: RuleKind,
    pub scope: String,
    #[serde(default)]
    pub lhs: Vec<String>,
    #[serde(default)]
    pub rhs: Vec<String>,
    #[serde(default)]
    pub this: Option<String>,
    #[serde(default)]
    pub previous: Option<String>,
    pub title_zh: String,
    pub title_en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// A cell the rule needs is blank, `/` or unreadable, or was not read from the source file
    /// ([`Finding::unread`] says which).
    Unassessable,
    /// The rule does not apply to this report (e.g. no record ids to check).
    NotApplicable,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unassessable => "unassessable",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// What is wrong with a cell, in Chinese and in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub zh: String,
    pub en: String,
}

/// The result of one rule on one instance (a column, a row, a table).
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    pub layout: Layout,
    pub scope_zh: String,
    pub scope_en: String,
    pub status: Status,
    /// The cells the rule looked at.
    pub cells: Vec<CellRef>,
    /// The cells that broke a domain rule or made the rule unassessable.
    pub problem_cells: Vec<(CellRef, Note)>,
    /// The cells among them that the reader of the source file did not read (the report's
    /// `gaps`): what they hold is unknown, so the rule cannot say the report is wrong.
    pub unread: Vec<CellRef>,
    pub expected: Option<String>,
    pub found: Option<String>,
    /// Extra detail (e.g. what a sum would be if blanks were read as 0).
    pub detail_zh: Option<String>,
    pub detail_en: Option<String>,
}

impl Finding {
    pub fn is_error_failure(&self) -> bool {
        self.status == Status::Fail && self.rule.severity == Severity::Error
    }

    /// Unassessable because cells were not read from the source file (not the report's fault).
    pub fn is_unread(&self) -> bool {
        self.status == Status::Unassessable && !self.unread.is_empty()
    }

    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let (scope, title) = if zh {
            (&self.scope_zh, &self.rule.title_zh)
        } else {
            (&self.scope_en, &self.rule.title_en)
        };
        let mut msg = format!("{scope}: {title}");
        if zh {
            msg = format!("{scope}：{title}");
        }
        match self.status {
            Status::Pass => {}
            Status::NotApplicable => msg.push_str(if zh {
                "（不适用）"
            } else {
                " (not applicable)"
            }),
            Status::Fail | Status::Unassessable => {
                if let (Some(e), Some(f)) = (&self.expected, &self.found) {
                    msg.push_str(&if zh {
                        format!("；应为 {e}，实际为 {f}")
                    } else {
                        format!("; expected {e}, found {f}")
                    });
                }
                if !self.problem_cells.is_empty() {
                    let list: Vec<String> = self
                        .problem_cells
                        .iter()
                        .map(|(c, what)| {
                            if zh {
                                format!("{}（{}）{}", c.label_zh(self.layout), c.path(), what.zh)
                            } else {
                                format!("{} {}", c.path(), what.en)
                            }
                        })
                        .collect();
                    let head = match (self.status, zh) {
                        (Status::Unassessable, true) => "；无法判断，因为：",
                        (Status::Unassessable, false) => "; cannot be assessed: ",
                        (_, true) => "；不符合：",
                        (_, false) => "; offending cells: ",
                    };
                    msg.push_str(head);
                    msg.push_str(&list.join(if zh { "；" } else { "; " }));
                }
            }
        }
        let detail = if zh { &self.detail_zh } else { &self.detail_en };
        if let Some(d) = detail {
            msg.push_str(if zh { "；" } else { "; " });
            msg.push_str(d);
        }
        msg
    }

    /// The `checks` entry of the interchange format.
    pub fn to_json(&self) -> Json {
        let passed = match self.status {
            Status::Pass => json!(true),
            Status::Fail => json!(false),
            Status::Unassessable | Status::NotApplicable => Json::Null,
        };
        let mut o = json!({
            "rule": self.rule.id,
            "severity": self.rule.severity.key(),
            "passed": passed,
            "status": self.status.key(),
            "scope": self.scope_en,
            "cells": self.cells.iter().map(CellRef::path).collect::<Vec<_>>(),
            "message": self.message(Lang::Zh),
            "message_en": self.message(Lang::En),
        });
        if let Some(e) = &self.expected {
            o["expected"] = json!(e);
        }
        if let Some(f) = &self.found {
            o["found"] = json!(f);
        }
        if !self.unread.is_empty() {
            o["unread_cells"] = json!(self.unread.iter().map(CellRef::path).collect::<Vec<_>>());
        }
        if !self.problem_cells.is_empty() {
            o["problem_cells"] = json!(
                self.problem_cells
                    .iter()
                    .map(|(c, _)| c.path())
                    .collect::<Vec<_>>()
            );
        }
        o
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

mod engine;
pub use engine::{check, passes};

#[cfg(test)]
mod tests;
