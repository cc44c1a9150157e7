//! What the catalogue contributes to the annual report: section 一's counts by column (with the
//! sentence quoting them) and table 二 第二十条第（一）项 (规章 and 行政规范性文件 issued, repealed
//! and in force at year end). The other rows of table 二 are entered by staff ([`entered_cell`]).

use super::item::CatalogItem;
use super::validity::{NormativeKind, ValidityStatus};
use super::workflow::Stage;
use crate::ids::ItemId;
use crate::report::{Cell, Layout, Proactive, Source, T2Key, Value};
use time::{Date, Month};

/// Section 一's counts for one year: each column with the ids of the items counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProactiveCounts {
    pub year: i32,
    pub by_column: Vec<(String, Vec<ItemId>)>,
}

impl ProactiveCounts {
    pub fn total(&self) -> u64 {
        self.by_column.iter().map(|(_, ids)| ids.len() as u64).sum()
    }

    /// In the report model (every configured column, zeros included).
    pub fn to_proactive(&self) -> Proactive {
        Proactive {
            total: Some(self.total()),
            by_category: self
                .by_column
                .iter()
                .map(|(c, ids)| (c.clone(), ids.len() as u64))
                .collect(),
        }
    }

    /// `共公开政务信息85条。其中政策文件1条、…、政务公开保障机制8条。` (columns with none are left out).
    pub fn sentence(&self) -> String {
        let parts: Vec<String> = self
            .by_column
            .iter()
            .filter(|(_, ids)| !ids.is_empty())
            .map(|(c, ids)| format!("{c}{}条", ids.len()))
            .collect();
        let mut s = format!("共公开政务信息{}条。", self.total());
        if !parts.is_empty() {
            s.push_str(&format!("其中{}。", parts.join("、")));
        }
        s
    }

    /// The draft of section 一's first paragraph, which staff then edit into the narrative:
    /// `（一）主动公开情况。2021年1月1日至2021年12月31日，某局共公开政务信息85条。其中…`.
    pub fn overview(&self, agency: &str) -> String {
        let year = self.year;
        format!(
            "（一）主动公开情况。{year}年1月1日至{year}年12月31日，{agency}{}",
            self.sentence()
        )
    }
}

/// Whether `item` counts as published in `year`: published that year and not withdrawn within
/// it (an item taken down the same year was a mistake, not a disclosure; one withdrawn later
/// was still disclosed that year).
fn published_in(item: &CatalogItem, year: i32) -> bool {
    let Some(on) = item.published_on() else {
        return false;
    };
    on.year() == year && item.withdrawn_on().is_none_or(|w| w.year() > year)
}

/// Counts the items published in `year` by column, in the order of `columns`; items of a
/// column no longer configured are listed after them.
pub fn proactive_counts(items: &[CatalogItem], columns: &[String], year: i32) -> ProactiveCounts {
    let mut by_column: Vec<(String, Vec<ItemId>)> =
        columns.iter().map(|c| (c.clone(), Vec::new())).collect();
    for item in items.iter().filter(|i| published_in(i, year)) {
        let col = &item.content.column;
        match by_column.iter_mut().find(|(c, _)| c == col) {
            Some((_, ids)) => ids.push(item.id),
            None => by_column.push((col.clone(), vec![item.id])),
        }
    }
    ProactiveCounts { year, by_column }
}

fn year_end(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// Table 二 第二十条第（一）项 computed from the catalogue, each cell with the ids it counts.
///
/// - 本年制发件数: published 规章 / 行政规范性文件 with 成文日期 in `year`;
/// - 本年废止件数: those whose current validity is 废止 with 废止日期 in `year`;
/// - 现行有效件数: those formed by 31 December and in force on that day (实施日期 ≤ it < 废止日期).
///
/// Withdrawn items (taken down) are not counted.
pub fn art20_1(items: &[CatalogItem], year: i32) -> Vec<(T2Key, Cell)> {
    let end = year_end(year);
    let mut out = Vec::new();
    for kind in NormativeKind::ALL {
        let docs: Vec<(&CatalogItem, &super::validity::Validity)> = items
            .iter()
            .filter(|i| i.stage() == Stage::Published)
            .filter_map(|i| {
                let n = i.normative.as_ref()?;
                (n.kind == kind).then(|| (i, n.current()))
            })
            .collect();
        let issued = docs
            .iter()
            .filter(|(i, _)| i.content.formed_on.year() == year);
        let repealed = docs.iter().filter(|(_, v)| {
            v.status == ValidityStatus::Repealed && v.ends_on.is_some_and(|d| d.year() == year)
        });
        let in_force = docs
            .iter()
            .filter(|(i, v)| i.content.formed_on <= end && v.in_force_on(end));
        for (col, ids) in [
            ("issued", ids(issued)),
            ("repealed", ids(repealed)),
            ("in_force", ids(in_force)),
        ] {
            if let Some(key) = T2Key::find(Layout::Y2021, "art20_1", kind.key(), col) {
                out.push((key, computed(ids)));
            }
        }
    }
    out
}

fn ids<'a>(
    it: impl Iterator<Item = &'a (&'a CatalogItem, &'a super::validity::Validity)>,
) -> Vec<String> {
    it.map(|(i, _)| i.id.to_string()).collect()
}

fn computed(records: Vec<String>) -> Cell {
    Cell::count(records.len() as u64).with_source(Source::Computed { records })
}

/// Whether a cell of table 二 is computed from the catalogue (not entered by staff).
pub fn is_computed(key: T2Key) -> bool {
    key.sub == "art20_1"
}

/// A cell of table 二 entered by staff: the value, who, when (RFC 3339) and a source note.
pub fn entered_cell(value: Value, by: &str, at: &str, note: Option<&str>) -> Cell {
    Cell::new(value).with_source(Source::Entered {
        by: by.to_string(),
        at: at.to_string(),
        note: note.map(str::to_string),
    })
}

/// Reads a staff entry for `key`: a count (件), an amount in 万元 for 第（八）项, a signed count
/// for 本年增/减 of the 2019 layout, or `/`.
pub fn parse_entry(key: T2Key, text: &str) -> Result<Value, String> {
    let t = text.trim();
    if matches!(t, "/" | "／" | "—" | "不适用") {
        return Ok(Value::NotApplicable);
    }
    if key.is_amount() {
        let d: rust_decimal::Decimal = t
            .parse()
            .map_err(|_| format!("{t:?} is not an amount in 万元"))?;
        if d.is_sign_negative() {
            return Err(format!("{t:?} is negative"));
        }
        Ok(Value::Amount(d))
    } else if key.is_signed() {
        t.parse::<i64>()
            .ok()
            .filter(|_| !t.starts_with('+'))
            .map(Value::signed)
            .ok_or_else(|| format!("{t:?} is not a whole number (a decrease is negative: -8)"))
    } else {
        t.parse::<u64>()
            .map(Value::Count)
            .map_err(|_| format!("{t:?} is not a whole number ≥ 0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::config::CatalogConfig;
    use crate::catalog::item::tests::{Escape, input, who};
    use crate::catalog::item::{CatalogItem, ItemContent, NormativeInput};
    use crate::catalog::validity::Validity;
    use crate::catalog::workflow::Action;
    use crate::ids::AgencyId;
    use time::OffsetDateTime;
    use time::macros::{date, datetime};

    fn item(
        id: &str,
        column: &str,
        formed: Date,
        published: Option<OffsetDateTime>,
        normative: Option<NormativeInput>,
    ) -> CatalogItem {
        let mut i = input();
        i.column = column.into();
        i.formed_on = Some(formed);
        let kind = normative.as_ref().map(|n| n.kind);
        i.normative = normative;
        let parsed = ItemContent::parse(&i, &CatalogConfig::default(), &Escape).expect("ok");
        let t = datetime!(2021-01-04 9:00 +08:00);
        let mut it =
            CatalogItem::create(AgencyId::new(1), parsed, kind, &who("张"), t).expect("ok");
        it.id = id.parse().expect("id");
        if let Some(p) = published {
            it.act(Action::Submit, &who("张"), p, None).expect("ok");
            it.act(Action::ClearSecrecy, &who("李"), p, None)
                .expect("ok");
            it.act(Action::Approve, &who("王"), p, None).expect("ok");
            it.publish(format!("X/{id}"), &who("张"), p).expect("ok");
        }
        it
    }

    #[test]
    fn section_one_counts_and_sentence() {
        let p21 = Some(datetime!(2021-05-01 9:00 +08:00));
        let p20 = Some(datetime!(2020-12-31 23:00 +08:00));
        let items = vec![
            item("1", "政策文件", date!(2021 - 04 - 01), p21, None),
            item("2", "会议公开", date!(2021 - 04 - 01), p21, None),
            item("3", "会议公开", date!(2021 - 04 - 01), p21, None),
            item("4", "会议公开", date!(2020 - 12 - 01), p20, None),
            item("5", "会议公开", date!(2021 - 04 - 01), None, None),
        ];
        let cfg = CatalogConfig::default();
        let c = proactive_counts(&items, &cfg.columns, 2021);
        assert_eq!(c.total(), 3);
        assert_eq!(
            c.by_column[4],
            ("会议公开".to_string(), vec![ItemId::new(2), ItemId::new(3)])
        );
        assert_eq!(
            c.sentence(),
            "共公开政务信息3条。其中政策文件1条、会议公开2条。"
        );
        assert_eq!(
            c.overview("某局"),
            "（一）主动公开情况。2021年1月1日至2021年12月31日，某局共公开政务信息3条。其中政策文件1条、会议公开2条。"
        );
        let none = proactive_counts(&[], &cfg.columns, 2022);
        assert_eq!(
            none.overview("某局"),
            "（一）主动公开情况。2022年1月1日至2022年12月31日，某局共公开政务信息0条。"
        );
        let p = c.to_proactive();
        assert_eq!(p.total, Some(3));
        assert_eq!(p.by_category.len(), 13);
    }

    #[test]
    fn withdrawn_items_count_only_if_withdrawn_in_a_later_year() {
        let p = Some(datetime!(2021-05-01 9:00 +08:00));
        let mut same_year = item("1", "会议公开", date!(2021 - 04 - 01), p, None);
        same_year
            .act(
                Action::Withdraw,
                &who("王"),
                datetime!(2021-05-02 9:00 +08:00),
                Some("发布有误"),
            )
            .expect("withdraw");
        let mut next_year = item("2", "会议公开", date!(2021 - 04 - 01), p, None);
        next_year
            .act(
                Action::Withdraw,
                &who("王"),
                datetime!(2022-03-01 9:00 +08:00),
                Some("已过时"),
            )
            .expect("withdraw");
        let cfg = CatalogConfig::default();
        let c = proactive_counts(&[same_year, next_year], &cfg.columns, 2021);
        assert_eq!(c.total(), 1);
        assert_eq!(c.by_column[4].1, vec![ItemId::new(2)]);
    }

    #[test]
    fn art20_1_from_validity() {
        let p = Some(datetime!(2021-06-01 9:00 +08:00));
        let doc = |status, eff, end| {
            Some(NormativeInput {
                kind: NormativeKind::NormativeDoc,
                status,
                effective_on: eff,
                ends_on: end,
            })
        };
        let mut items = vec![
            // issued 2021, in force
            item(
                "1",
                "政策文件",
                date!(2021 - 05 - 01),
                p,
                doc(ValidityStatus::Valid, Some(date!(2021 - 06 - 01)), None),
            ),
            // issued 2019, repealed 2021
            item(
                "2",
                "政策文件",
                date!(2019 - 05 - 01),
                p,
                doc(
                    ValidityStatus::Repealed,
                    Some(date!(2019 - 06 - 01)),
                    Some(date!(2021 - 10 - 01)),
                ),
            ),
            // issued 2020, in force until 2022
            item(
                "3",
                "政策文件",
                date!(2020 - 05 - 01),
                p,
                doc(ValidityStatus::Valid, Some(date!(2020 - 06 - 01)), None),
            ),
            // not published: not counted
            item(
                "4",
                "政策文件",
                date!(2021 - 05 - 01),
                None,
                doc(ValidityStatus::Valid, None, None),
            ),
        ];
        items[2]
            .change_validity(
                Validity::new(
                    ValidityStatus::Repealed,
                    Some(date!(2020 - 06 - 01)),
                    Some(date!(2022 - 03 - 01)),
                )
                .expect("ok"),
                &who("李"),
                datetime!(2022-03-01 9:00 +08:00),
                Some("被新文件替代"),
            )
            .expect("ok");
        let cells = art20_1(&items, 2021);
        let get = |row: &str, col: &str| {
            cells
                .iter()
                .find(|(k, _)| k.row == row && k.col == col)
                .map(|(_, c)| c.clone())
                .expect("cell")
        };
        assert_eq!(get("normative_docs", "issued").value, Value::Count(1));
        assert_eq!(get("normative_docs", "repealed").value, Value::Count(1));
        assert_eq!(get("normative_docs", "in_force").value, Value::Count(2));
        assert_eq!(
            get("normative_docs", "in_force").source,
            Some(Source::Computed {
                records: vec!["1".into(), "3".into()]
            })
        );
        assert_eq!(get("rules", "issued").value, Value::Count(0));
        assert_eq!(cells.len(), 6);
        // 2022: c repealed, a still in force.
        let cells = art20_1(&items, 2022);
        let n = |col: &str| {
            cells
                .iter()
                .find(|(k, _)| k.row == "normative_docs" && k.col == col)
                .map(|(_, c)| c.value.clone())
        };
        assert_eq!(n("repealed"), Some(Value::Count(1)));
        assert_eq!(n("in_force"), Some(Value::Count(1)));
    }

    #[test]
    fn staff_entries_parse() {
        let fee = T2Key::find(Layout::Y2021, "art20_8", "admin_fees", "fee_amount").expect("key");
        let lic = T2Key::find(Layout::Y2021, "art20_5", "admin_license", "decisions").expect("key");
        assert_eq!(
            parse_entry(fee, "0"),
            Ok(Value::Amount(rust_decimal::Decimal::ZERO))
        );
        assert_eq!(parse_entry(lic, "/"), Ok(Value::NotApplicable));
        assert!(parse_entry(lic, "-1").is_err());
        assert!(parse_entry(fee, "-0.5").is_err());
        let change = T2Key::find(Layout::Y2019, "art20_5", "admin_license", "change").expect("key");
        assert_eq!(parse_entry(change, "-18"), Ok(Value::signed(-18)));
        assert_eq!(parse_entry(change, "3"), Ok(Value::Count(3)));
        assert!(parse_entry(change, "+3").is_err() && parse_entry(change, "-1.5").is_err());
        assert!(is_computed(
            T2Key::find(Layout::Y2021, "art20_1", "rules", "issued").expect("key")
        ));
        assert!(!is_computed(lic));
    }
}
