//! The year's feedback as section 一(五) of the annual report states it, and its `figures`
//! (docs/feedback.md#what-the-report-says).

use super::{Rating, State};
use crate::report::AnnualReport;
use time::Date;

/// A submission as the report counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// The day it was received (in China).
    pub on: Date,
    pub rating: Rating,
    pub state: State,
}

/// The feedback of one year: what section 一(五) says and `figures` carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackYear {
    pub year: i32,
    /// Received in the year, less what was set aside as spam.
    pub received: u64,
    /// Of those, answered publicly or privately.
    pub answered: u64,
    /// Of those, rated 不满意.
    pub negative: u64,
}

impl FeedbackYear {
    pub fn tally(all: &[Counted], year: i32) -> FeedbackYear {
        let mut y = FeedbackYear {
            year,
            ..FeedbackYear::default()
        };
        for c in all
            .iter()
            .filter(|c| c.on.year() == year && c.state != State::Rejected)
        {
            y.received += 1;
            y.answered += u64::from(c.state.answered());
            y.negative += u64::from(c.rating.is_negative());
        }
        y
    }

    /// `figures.negative_evaluations` always (the portal takes evaluations on every item and
    /// column, so none received is a statement), `figures.feedback_received` when any was
    /// received — the sentence without feedback states no count, as the published reports do.
    pub fn set_figures(&self, report: &mut AnnualReport) {
        let counts = &mut report.figures.counts;
        counts.insert("negative_evaluations".into(), self.negative);
        if self.received > 0 {
            counts.insert("feedback_received".into(), self.received);
        }
    }

    /// The sentence of section 一(五) on the public's evaluation, in the wording of the
    /// published reports (the seed: “…自觉接受社会…的监督，目前未收到不良评议。”).
    pub fn sentence(&self) -> String {
        if self.received == 0 {
            return "社会评议情况。在门户网站政府信息公开专栏的信息和栏目页面设置评议功能，自觉接受社会监督，目前未收到不良评议。".into();
        }
        let tail = if self.negative == 0 {
            "，目前未收到不良评议"
        } else {
            ""
        };
        format!(
            "社会评议情况。{}年度通过门户网站收到公众评议{}条，已答复{}条，其中不满意评价{}条{tail}。",
            self.year, self.received, self.answered, self.negative
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_year_is_counted_without_spam_and_said_as_the_seed_says() {
        let c = |on, rating, state| Counted { on, rating, state };
        let all = [
            c(date!(2024 - 03 - 01), Rating::Satisfied, State::Published),
            c(date!(2024 - 04 - 01), Rating::Dissatisfied, State::Private),
            c(date!(2024 - 05 - 01), Rating::Dissatisfied, State::Pending),
            c(date!(2024 - 05 - 02), Rating::Dissatisfied, State::Rejected),
            c(
                date!(2023 - 12 - 31),
                Rating::Dissatisfied,
                State::Published,
            ),
        ];
        let y = FeedbackYear::tally(&all, 2024);
        assert_eq!((y.received, y.answered, y.negative), (3, 2, 2));
        assert_eq!(
            y.sentence(),
            "社会评议情况。2024年度通过门户网站收到公众评议3条，已答复2条，其中不满意评价2条。"
        );
        let mut report = AnnualReport::new("某局", 2024);
        y.set_figures(&mut report);
        assert_eq!(report.figures.counts["feedback_received"], 3);
        assert_eq!(report.figures.counts["negative_evaluations"], 2);

        let none = FeedbackYear::tally(&all, 2021);
        assert!(none.sentence().ends_with("目前未收到不良评议。"));
        let mut report = AnnualReport::new("某局", 2021);
        none.set_figures(&mut report);
        assert_eq!(report.figures.counts["negative_evaluations"], 0);
        assert!(!report.figures.counts.contains_key("feedback_received"));
    }
}
