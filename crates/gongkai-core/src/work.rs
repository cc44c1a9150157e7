//! The agency's disclosure work recorded as it happens (docs/work-records.md): meetings of its
//! superiors attended, promotion meetings held, trainings given, and the documents that govern
//! the work (制度, 实施方案, 培训计划). The report's section 一 sentences on them and its
//! `figures` (`superior_meetings_attended`, `promotion_meetings_held`, `trainings_held`) are
//! computed from the records of the year (条例 Art. 50: the report covers how the agency
//! organised the work).

use crate::report::AnnualReport;
use time::Date;

/// What a work record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkKind {
    /// 参加上级政务公开工作专题会、业务推进培训会.
    SuperiorMeeting,
    /// 召开政务公开推进会议.
    PromotionMeeting,
    /// 组织政务公开培训.
    Training,
    /// A rule of the agency's disclosure work (保密审查制度, 定期清理制度 …), issued or revised.
    Rule,
    /// 政务公开工作实施方案.
    ImplementationPlan,
    /// 政务公开工作培训计划.
    TrainingPlan,
}

impl WorkKind {
    pub const ALL: [WorkKind; 6] = [
        WorkKind::SuperiorMeeting,
        WorkKind::PromotionMeeting,
        WorkKind::Training,
        WorkKind::Rule,
        WorkKind::ImplementationPlan,
        WorkKind::TrainingPlan,
    ];

    /// The stable key (database, CLI, forms).
    pub fn key(self) -> &'static str {
        match self {
            WorkKind::SuperiorMeeting => "superior_meeting",
            WorkKind::PromotionMeeting => "promotion_meeting",
            WorkKind::Training => "training",
            WorkKind::Rule => "rule",
            WorkKind::ImplementationPlan => "implementation_plan",
            WorkKind::TrainingPlan => "training_plan",
        }
    }

    pub fn parse(s: &str) -> Option<WorkKind> {
        let s = s.trim().replace('-', "_");
        WorkKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// The label staff see.
    pub fn label(self) -> &'static str {
        match self {
            WorkKind::SuperiorMeeting => "参加上级会议、培训",
            WorkKind::PromotionMeeting => "召开推进会议",
            WorkKind::Training => "组织培训",
            WorkKind::Rule => "工作制度",
            WorkKind::ImplementationPlan => "工作实施方案",
            WorkKind::TrainingPlan => "培训计划",
        }
    }

    /// A meeting or a training (counted), not a document (named).
    pub fn is_event(self) -> bool {
        matches!(
            self,
            WorkKind::SuperiorMeeting | WorkKind::PromotionMeeting | WorkKind::Training
        )
    }
}

/// One record as the report sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkRecord {
    pub kind: WorkKind,
    /// The day it was held, or the document issued.
    pub on: Date,
    /// The meeting's or training's subject, or the document's title (without 《》).
    pub title: String,
}

/// The longest title kept.
pub const MAX_TITLE_CHARS: usize = 200;

/// Why a record is refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub en: String,
    pub zh: String,
}

/// A title as stored: one line, trimmed, 《》 around the whole title removed, no control or
/// zero-width characters; refused when empty or too long.
pub fn clean_title(title: &str) -> Result<String, Refused> {
    let one: String = title
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}'))
        .collect();
    let one = one.trim();
    // 《》 around the whole title only (a title may quote another document inside).
    let t = match one.strip_prefix('《').and_then(|t| t.strip_suffix('》')) {
        Some(inner) if !inner.contains(['《', '》']) => inner.trim().to_string(),
        _ => one.to_string(),
    };
    if t.is_empty() {
        return Err(Refused {
            en: "the title is empty".into(),
            zh: "名称不能为空".into(),
        });
    }
    let n = t.chars().count();
    if n > MAX_TITLE_CHARS {
        return Err(Refused {
            en: format!("the title has {n} characters; at most {MAX_TITLE_CHARS}"),
            zh: format!("名称共{n}个字符，最多{MAX_TITLE_CHARS}个"),
        });
    }
    Ok(t)
}

/// The records of one year, counted and named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkYear {
    pub year: i32,
    pub superior_meetings: u64,
    pub promotion_meetings: u64,
    pub trainings: u64,
    /// Titles of the rules issued or revised in the year, in date order.
    pub rules: Vec<String>,
    pub implementation_plans: Vec<String>,
    pub training_plans: Vec<String>,
    /// Whether any record falls in the year (else the report states nothing of this).
    pub recorded: bool,
}

impl WorkYear {
    /// The records of `year` among `records`.
    pub fn tally(records: &[WorkRecord], year: i32) -> WorkYear {
        let mut mine: Vec<&WorkRecord> = records.iter().filter(|r| r.on.year() == year).collect();
        // By day; records of one day keep the order they were given (entry order).
        mine.sort_by_key(|r| r.on);
        let mut w = WorkYear {
            year,
            recorded: !mine.is_empty(),
            ..WorkYear::default()
        };
        for r in mine {
            match r.kind {
                WorkKind::SuperiorMeeting => w.superior_meetings += 1,
                WorkKind::PromotionMeeting => w.promotion_meetings += 1,
                WorkKind::Training => w.trainings += 1,
                WorkKind::Rule => w.rules.push(r.title.clone()),
                WorkKind::ImplementationPlan => w.implementation_plans.push(r.title.clone()),
                WorkKind::TrainingPlan => w.training_plans.push(r.title.clone()),
            }
        }
        w
    }

    /// Writes the year's counts into the report's `figures` — only when the agency recorded its
    /// work for the year: without records the report states nothing, rather than zero.
    pub fn set_figures(&self, report: &mut AnnualReport) {
        if !self.recorded {
            return;
        }
        for (key, n) in [
            ("superior_meetings_attended", self.superior_meetings),
            ("promotion_meetings_held", self.promotion_meetings),
            ("trainings_held", self.trainings),
        ] {
            report.figures.counts.insert(key.into(), n);
        }
    }

    /// Section 一's paragraph on the year's work (`（五）监督保障情况。…`), or `None` without
    /// records: the plans issued, the rules, then the meetings and trainings, in the wording of
    /// the published reports ("参加上级政务公开工作专题会及业务推进培训会7次…").
    pub fn paragraph(&self) -> Option<String> {
        if !self.recorded {
            return None;
        }
        let year = self.year;
        let quoted = |titles: &[String]| {
            titles
                .iter()
                .map(|t| format!("《{t}》"))
                .collect::<Vec<_>>()
                .join("、")
        };
        let mut s = String::from("（五）监督保障情况。");
        let plans: Vec<String> = self
            .implementation_plans
            .iter()
            .chain(&self.training_plans)
            .cloned()
            .collect();
        if !plans.is_empty() {
            s.push_str(&format!("{year}年印发{}。", quoted(&plans)));
        }
        if !self.rules.is_empty() {
            s.push_str(&format!(
                "制定、完善{}等{}项工作制度。",
                self.rules.join("、"),
                self.rules.len()
            ));
        }
        s.push_str(&format!(
            "{year}年参加上级政务公开工作专题会及业务推进培训会{}次，召开政务公开推进会议{}次，组织全体人员开展政务公开培训{}次。",
            self.superior_meetings, self.promotion_meetings, self.trainings
        ));
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn r(kind: WorkKind, on: Date, title: &str) -> WorkRecord {
        WorkRecord {
            kind,
            on,
            title: title.into(),
        }
    }

    #[test]
    fn the_year_is_counted_and_the_sentence_written() {
        let mut records = vec![
            r(WorkKind::PromotionMeeting, date!(2021 - 03 - 02), "推进会"),
            r(WorkKind::Training, date!(2021 - 06 - 10), "全体培训"),
            r(WorkKind::SuperiorMeeting, date!(2020 - 12 - 30), "上年"),
            r(
                WorkKind::ImplementationPlan,
                date!(2021 - 02 - 01),
                "2021年政务公开工作实施方案",
            ),
        ];
        for d in [date!(2021 - 01 - 05), date!(2021 - 04 - 05)] {
            records.push(r(WorkKind::SuperiorMeeting, d, "专题会"));
        }
        let w = WorkYear::tally(&records, 2021);
        assert_eq!(
            (w.superior_meetings, w.promotion_meetings, w.trainings),
            (2, 1, 1)
        );
        assert_eq!(
            w.paragraph().as_deref(),
            Some(
                "（五）监督保障情况。2021年印发《2021年政务公开工作实施方案》。2021年参加上级政务公开工作专题会及业务推进培训会2次，召开政务公开推进会议1次，组织全体人员开展政务公开培训1次。"
            )
        );
        let mut report = AnnualReport::new("某局", 2021);
        w.set_figures(&mut report);
        assert_eq!(report.figures.counts["trainings_held"], 1);
    }

    #[test]
    fn a_year_without_records_states_nothing() {
        let w = WorkYear::tally(&[], 2021);
        assert_eq!(w.paragraph(), None);
        let mut report = AnnualReport::new("某局", 2021);
        w.set_figures(&mut report);
        assert!(report.figures.counts.is_empty());
    }

    #[test]
    fn titles_are_one_clean_line() {
        assert_eq!(
            clean_title("  《政府信息\n保密审查制度》\u{200b} ").expect("clean"),
            "政府信息 保密审查制度"
        );
        assert_eq!(
            clean_title("《保密审查》专题培训").expect("clean"),
            "《保密审查》专题培训"
        );
        assert!(clean_title("\u{200b}\u{200b} ").is_err());
        assert!(clean_title(&"长".repeat(MAX_TITLE_CHARS + 1)).is_err());
        assert_eq!(
            WorkKind::parse("superior-meeting"),
            Some(WorkKind::SuperiorMeeting)
        );
    }
}
