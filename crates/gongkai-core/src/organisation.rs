//! Who does the agency's disclosure work (docs/organisation.md): its 政务公开工作领导小组
//! (组长, 副组长, 成员), the leader in charge (分管领导) and the staff responsible (专人负责), each
//! with the dates they served; and the internal assessment (考核) of its sections (科室) with
//! their findings and follow-up. Section 一 reports both (条例 Art. 50(4): 工作考核情况).

use crate::calendar::iso;
use time::{Date, Month};

/// What a person is in the disclosure work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Duty {
    /// 领导小组组长.
    Leader,
    /// 领导小组副组长.
    Deputy,
    /// 领导小组成员.
    Member,
    /// 分管领导.
    InCharge,
    /// 具体负责政府信息公开日常工作的工作人员.
    Officer,
}

impl Duty {
    pub const ALL: [Duty; 5] = [
        Duty::Leader,
        Duty::Deputy,
        Duty::Member,
        Duty::InCharge,
        Duty::Officer,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Duty::Leader => "leader",
            Duty::Deputy => "deputy",
            Duty::Member => "member",
            Duty::InCharge => "in_charge",
            Duty::Officer => "officer",
        }
    }

    pub fn parse(s: &str) -> Option<Duty> {
        let s = s.trim().replace('-', "_");
        Duty::ALL
            .into_iter()
            .find(|d| d.key() == s || d.label() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Duty::Leader => "领导小组组长",
            Duty::Deputy => "领导小组副组长",
            Duty::Member => "领导小组成员",
            Duty::InCharge => "分管领导",
            Duty::Officer => "工作人员",
        }
    }

    /// A member of the leading group (组长, 副组长, 成员).
    pub fn in_group(self) -> bool {
        matches!(self, Duty::Leader | Duty::Deputy | Duty::Member)
    }
}

/// One person in one duty, for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub duty: Duty,
    pub name: String,
    /// 职务 (中心主任, 办公室主任 …).
    pub post: String,
    /// The section (科室) an officer works in.
    pub section: Option<String>,
    pub from: Date,
    /// The last day served; `None` while serving.
    pub until: Option<Date>,
}

impl Appointment {
    /// Serving on some day of `year`.
    pub fn serves_in(&self, year: i32) -> bool {
        let (first, last) = year_days(year);
        self.from <= last && self.until.is_none_or(|u| u >= first)
    }

    /// Serving on `day`.
    pub fn serves_on(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|u| u >= day)
    }
}

fn year_days(year: i32) -> (Date, Date) {
    (
        Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN),
        Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX),
    )
}

/// Checks an appointment's dates: it ends on or after it starts.
pub fn check_period(from: Date, until: Option<Date>) -> Result<(), (String, String)> {
    match until {
        Some(u) if u < from => Err((
            format!("the end {} is before the start {}", iso(u), iso(from)),
            format!("离任日期{}早于任职日期{}", iso(u), iso(from)),
        )),
        _ => Ok(()),
    }
}

/// Section 一's sentence on the organisation of the work in `year` (none without records):
/// whether the group was set up or adjusted in the year, who leads it as of the year's end (or
/// its last day served), who is in charge and who does the daily work.
pub fn organisation_sentence(all: &[Appointment], agency: &str, year: i32) -> Option<String> {
    let serving: Vec<&Appointment> = all.iter().filter(|a| a.serves_in(year)).collect();
    if serving.is_empty() {
        return None;
    }
    let (first, last) = year_days(year);
    // As of the year's end, else as of the latest day anyone served.
    let as_of = serving
        .iter()
        .map(|a| a.until.map_or(last, |u| u.min(last)))
        .max()
        .unwrap_or(last);
    let now: Vec<&&Appointment> = serving.iter().filter(|a| a.serves_on(as_of)).collect();
    let group: Vec<&&&Appointment> = now.iter().filter(|a| a.duty.in_group()).collect();
    let mut s = String::from("加强组织领导。");
    if !group.is_empty() {
        let formed_before = all.iter().any(|a| a.duty.in_group() && a.from < first);
        let changed = serving
            .iter()
            .any(|a| a.duty.in_group() && (a.from >= first || a.until.is_some_and(|u| u <= last)));
        let verb = match (formed_before, changed) {
            (false, _) => "成立",
            (true, true) => "调整",
            (true, false) => "健全",
        };
        s.push_str(&format!("{verb}{agency}政务公开工作领导小组"));
        let named = |d: Duty| -> Vec<String> {
            group
                .iter()
                .filter(|a| a.duty == d)
                .map(|a| format!("{}{}", a.post, a.name))
                .collect()
        };
        let leaders = named(Duty::Leader);
        let deputies = named(Duty::Deputy);
        let members = group.iter().filter(|a| a.duty == Duty::Member).count();
        let mut parts = Vec::new();
        if !leaders.is_empty() {
            parts.push(format!("由{}任组长", leaders.join("、")));
        }
        if !deputies.is_empty() {
            parts.push(format!("{}任副组长", deputies.join("、")));
        }
        if members > 0 {
            parts.push(format!("成员{members}人"));
        }
        if !parts.is_empty() {
            s.push('，');
            s.push_str(&parts.join("，"));
        }
        s.push('。');
    }
    let in_charge: Vec<String> = now
        .iter()
        .filter(|a| a.duty == Duty::InCharge)
        .map(|a| format!("{}{}", a.post, a.name))
        .collect();
    if !in_charge.is_empty() {
        s.push_str(&format!("由{}分管政务公开工作", in_charge.join("、")));
    }
    let officers: Vec<String> = now
        .iter()
        .filter(|a| a.duty == Duty::Officer)
        .map(|a| format!("{}{}", a.section.as_deref().unwrap_or(""), a.name))
        .collect();
    if !officers.is_empty() {
        if !in_charge.is_empty() {
            s.push('，');
        }
        s.push_str(&format!(
            "明确{}负责政府信息公开日常工作",
            officers.join("、")
        ));
    }
    if !in_charge.is_empty() || !officers.is_empty() {
        s.push_str("，做到有领导分管、专人负责。");
    }
    Some(s)
}

/// One section's result in an assessment round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentResult {
    /// 科室.
    pub section: String,
    /// A score out of 100, where the round scores.
    pub score: Option<u8>,
    /// What was found wanting; `None` when nothing was.
    pub finding: Option<String>,
    /// The day the finding was put right (整改完成).
    pub rectified_on: Option<Date>,
}

/// The most sections one round records.
pub const MAX_RESULTS: usize = 200;

/// Reads a round's results written one section a line — 「科室 [分数] [发现的问题]」, the parts
/// separated by spaces, tabs or commas: `办公室 95`, `财务科 88 栏目更新不及时`, `保障科`.
/// Blank lines are skipped; a score is a whole number from 0 to 100; a section twice, a name
/// over 50 characters or a finding over 500 is refused naming the line.
pub fn parse_results(text: &str) -> Result<Vec<AssessmentResult>, (String, String)> {
    let mut out: Vec<AssessmentResult> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line: String = raw
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}'))
            .map(|c| {
                if matches!(c, ',' | '，' | '、' | '\t' | '\u{3000}') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let mut parts = line.split_whitespace();
        let Some(section) = parts.next() else {
            continue;
        };
        let rest: Vec<&str> = parts.collect();
        let (score, finding) = match rest.first().map(|t| t.parse::<i64>()) {
            Some(Ok(v)) if (0..=100).contains(&v) => (Some(v as u8), &rest[1..]),
            Some(Ok(v)) => {
                return Err((
                    format!("line {n}: the score {v} is not between 0 and 100"),
                    format!("第{n}行：分数{v}应在0至100之间"),
                ));
            }
            _ => (None, &rest[..]),
        };
        let finding = finding.join(" ");
        if section.chars().count() > 50 || finding.chars().count() > 500 {
            return Err((
                format!("line {n}: a section is at most 50 characters and a finding 500"),
                format!("第{n}行：科室名称不能超过50个字符，问题不能超过500个字符"),
            ));
        }
        if out.iter().any(|r| r.section == section) {
            return Err((
                format!("line {n}: {section} is already in the round"),
                format!("第{n}行：“{section}”重复"),
            ));
        }
        out.push(AssessmentResult {
            section: section.to_string(),
            score,
            finding: (!finding.is_empty()).then_some(finding),
            rectified_on: None,
        });
    }
    if out.is_empty() {
        return Err((
            "no section assessed".into(),
            "请至少填写一个被考核的科室".into(),
        ));
    }
    if out.len() > MAX_RESULTS {
        return Err((
            format!("more than {MAX_RESULTS} sections"),
            format!("一次考核最多{MAX_RESULTS}个科室"),
        ));
    }
    Ok(out)
}

/// One assessment round (考核).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRound {
    pub on: Date,
    pub title: String,
    pub results: Vec<AssessmentResult>,
}

/// The assessment of a year, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssessmentYear {
    pub rounds: u64,
    /// Distinct sections assessed.
    pub sections: u64,
    pub findings: u64,
    /// Findings put right (by the time of the report).
    pub rectified: u64,
}

impl AssessmentYear {
    pub fn tally(rounds: &[AssessmentRound], year: i32) -> AssessmentYear {
        let mine: Vec<&AssessmentRound> = rounds.iter().filter(|r| r.on.year() == year).collect();
        let mut sections: Vec<&str> = mine
            .iter()
            .flat_map(|r| r.results.iter().map(|x| x.section.as_str()))
            .collect();
        sections.sort_unstable();
        sections.dedup();
        let results = mine.iter().flat_map(|r| r.results.iter());
        let (findings, rectified) = results.fold((0, 0), |(f, r), x| match &x.finding {
            Some(_) => (f + 1, r + u64::from(x.rectified_on.is_some())),
            None => (f, r),
        });
        AssessmentYear {
            rounds: mine.len() as u64,
            sections: sections.len() as u64,
            findings,
            rectified,
        }
    }

    /// Section 一's sentence (none without a round in the year).
    pub fn sentence(&self, year: i32) -> Option<String> {
        if self.rounds == 0 {
            return None;
        }
        let mut s = format!(
            "工作考核情况。{year}年开展政务公开工作考核{}次，对{}个科室进行考核",
            self.rounds, self.sections
        );
        if self.findings == 0 {
            s.push_str("，未发现问题。");
        } else if self.rectified == self.findings {
            s.push_str(&format!("，发现问题{}个，已全部整改。", self.findings));
        } else {
            s.push_str(&format!(
                "，发现问题{}个，已整改{}个，其余正在整改。",
                self.findings, self.rectified
            ));
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn appt(duty: Duty, name: &str, post: &str, from: Date, until: Option<Date>) -> Appointment {
        Appointment {
            duty,
            name: name.into(),
            post: post.into(),
            section: (duty == Duty::Officer).then(|| "办公室".to_string()),
            from,
            until,
        }
    }

    #[test]
    fn a_group_adjusted_in_the_year_names_who_leads_it_at_the_end() {
        let all = vec![
            appt(
                Duty::Leader,
                "张三",
                "中心主任",
                date!(2019 - 03 - 01),
                Some(date!(2021 - 04 - 30)),
            ),
            appt(
                Duty::Leader,
                "李四",
                "中心主任",
                date!(2021 - 05 - 01),
                None,
            ),
            appt(Duty::Deputy, "王五", "副主任", date!(2019 - 03 - 01), None),
            appt(Duty::Member, "赵六", "科长", date!(2019 - 03 - 01), None),
            appt(Duty::Member, "钱七", "科长", date!(2019 - 03 - 01), None),
            appt(
                Duty::InCharge,
                "王五",
                "副主任",
                date!(2019 - 03 - 01),
                None,
            ),
            appt(Duty::Officer, "孙八", "科员", date!(2020 - 01 - 01), None),
        ];
        assert_eq!(
            organisation_sentence(&all, "某中心", 2021).as_deref(),
            Some(
                "加强组织领导。调整某中心政务公开工作领导小组，由中心主任李四任组长，副主任王五任副组长，成员2人。由副主任王五分管政务公开工作，明确办公室孙八负责政府信息公开日常工作，做到有领导分管、专人负责。"
            )
        );
        // 2020: nobody changed → 健全; 2019: first set up → 成立.
        assert!(
            organisation_sentence(&all, "某中心", 2020)
                .expect("ok")
                .contains("健全某中心")
        );
        assert!(
            organisation_sentence(&all, "某中心", 2019)
                .expect("ok")
                .contains("成立某中心")
        );
        assert_eq!(organisation_sentence(&all, "某中心", 2018), None);
    }

    #[test]
    fn periods_end_after_they_start() {
        assert!(check_period(date!(2021 - 05 - 01), Some(date!(2021 - 04 - 30))).is_err());
        assert!(check_period(date!(2021 - 05 - 01), Some(date!(2021 - 05 - 01))).is_ok());
        assert_eq!(Duty::parse("分管领导"), Some(Duty::InCharge));
        assert_eq!(Duty::parse("in-charge"), Some(Duty::InCharge));
    }

    #[test]
    fn results_are_read_one_section_a_line() {
        let r =
            parse_results("办公室 95\n\n财务科，88，栏目更新 不及时\n保障科\n人事科 信息未经审核")
                .expect("ok");
        assert_eq!(r.len(), 4);
        assert_eq!(
            (r[0].section.as_str(), r[0].score, r[0].finding.as_deref()),
            ("办公室", Some(95), None)
        );
        assert_eq!(r[1].finding.as_deref(), Some("栏目更新 不及时"));
        assert_eq!((r[2].score, r[2].finding.as_deref()), (None, None));
        assert_eq!(
            (r[3].score, r[3].finding.as_deref()),
            (None, Some("信息未经审核"))
        );
        assert_eq!(
            parse_results("办公室 101").expect_err("refused").1,
            "第1行：分数101应在0至100之间"
        );
        assert_eq!(
            parse_results("办公室\n办公室 90").expect_err("refused").1,
            "第2行：“办公室”重复"
        );
        assert_eq!(
            parse_results(" \n\u{200b}").expect_err("refused").1,
            "请至少填写一个被考核的科室"
        );
    }

    #[test]
    fn assessment_is_counted_by_year() {
        let result =
            |section: &str, finding: Option<&str>, rectified: Option<Date>| AssessmentResult {
                section: section.into(),
                score: Some(95),
                finding: finding.map(str::to_string),
                rectified_on: rectified,
            };
        let rounds = vec![
            AssessmentRound {
                on: date!(2021 - 06 - 30),
                title: "上半年考核".into(),
                results: vec![
                    result("办公室", None, None),
                    result(
                        "财务科",
                        Some("栏目更新不及时"),
                        Some(date!(2021 - 07 - 15)),
                    ),
                ],
            },
            AssessmentRound {
                on: date!(2021 - 12 - 20),
                title: "年度考核".into(),
                results: vec![
                    result("办公室", Some("信息发布未经审核"), None),
                    result("保障科", None, None),
                ],
            },
            AssessmentRound {
                on: date!(2020 - 12 - 20),
                title: "上年".into(),
                results: vec![result("办公室", None, None)],
            },
        ];
        let y = AssessmentYear::tally(&rounds, 2021);
        assert_eq!(
            (y.rounds, y.sections, y.findings, y.rectified),
            (2, 3, 2, 1)
        );
        assert_eq!(
            y.sentence(2021).as_deref(),
            Some(
                "工作考核情况。2021年开展政务公开工作考核2次，对3个科室进行考核，发现问题2个，已整改1个，其余正在整改。"
            )
        );
        assert_eq!(
            AssessmentYear::tally(&rounds, 2020)
                .sentence(2020)
                .as_deref(),
            Some("工作考核情况。2020年开展政务公开工作考核1次，对1个科室进行考核，未发现问题。")
        );
        assert_eq!(AssessmentYear::tally(&rounds, 2019).sentence(2019), None);
    }
}
