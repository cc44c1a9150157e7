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
    #[arg(long)]
    pub overdue: bool,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
}

pub(super) async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let due = match (a.due_soon, a.overdue) {
        (Some(n), _) => Due::Soon(n),
        (None, true) => Due::Overdue,
        (None, false) => Due::Open,
    };
    let app = App::open(&a.data.data).await?;
    let cases = application::list_due(&app, a.agency.as_deref(), due, today).await?;
    for c in &cases {
        println!(
            "{}\t{}\t{}\t{}\t{}",
            c.row.number,
            iso(c.row.received_on),
            due_text(c.clock.due),
            status_text(c.clock.status),
            c.agency.name
        );
    }
    if cases.is_empty() {
        eprintln!("no cases");
    }
    app.db.close().await;
    Ok(ExitCode::SUCCESS)
}
