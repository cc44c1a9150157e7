//! `gongkai application list`: open cases, due soon, or overdue.

use super::text::{due_text, status_text};
use super::{DataArg, date_arg};
use clap::Args;
use gongkai_app::application::{self, Due};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::iso;
use std::process::ExitCode;
use time::Date;

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub data: DataArg,
    #[arg(long)]
    pub agency: Option<String>,
    /// Cases due within N working days (default 5).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "5", conflicts_with = "overdue")]
    pub due_soon: Option<u32>,
    /// Cases past their due date.
    #[arg(long, conflicts_with = "needs_action")]
    pub overdue: bool,
    /// Cases stopped on another party whose period has passed (补正, payment, consultation,
    /// reasons), or waiting for a letter's receipt to be recorded.
    #[arg(long, conflicts_with = "due_soon")]
    pub needs_action: bool,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
}

pub(super) async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let due = match (a.due_soon, a.overdue, a.needs_action) {
        (Some(n), _, _) => Due::Soon(n),
        (None, true, _) => Due::Overdue,
        (None, false, true) => Due::NeedsAction,
        (None, false, false) => Due::Open,
    };
    let app = App::open(&a.data.data).await?;
    let list = application::list_due(&app, a.agency.as_deref(), due, today).await?;
    app.db.close().await;
    for c in &list.cases {
        let mut line = format!(
            "{}\t{}\t{}\t{}\t{}",
            c.number,
            iso(c.received_on),
            due_text(c.clock.due),
            status_text(c.clock.status),
            c.agency.name
        );
        if due == Due::NeedsAction {
            for x in &c.clock.attention {
                line.push('\t');
                line.push_str(&x.line().en);
            }
        }
        say!("{line}");
    }
    // Open cases whose place in the list cannot be told: listed with the reason, and the exit
    // status says the list is incomplete.
    for (c, year) in &list.undetermined {
        say!(
            "{}\t{}\tundetermined: the holiday calendar for {year} is not loaded\t{}",
            c.number,
            iso(c.received_on),
            c.agency.name
        );
    }
    if list.cases.is_empty() && list.undetermined.is_empty() {
        eprintln!("no cases");
    }
    if !list.is_complete() {
        eprintln!(
            "incomplete: {} open case(s) need a holiday calendar that is not loaded (add DIR/holidays/cn/<year>.json)",
            list.undetermined.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
