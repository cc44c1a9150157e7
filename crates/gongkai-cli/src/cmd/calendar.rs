//! `gongkai calendar …`: working-day arithmetic over the State Council holiday notices.

use anyhow::{Context, bail};
use clap::Subcommand;
use gongkai_core::calendar::{Calendar, iso, parse_iso_date};
use std::path::PathBuf;
use std::process::ExitCode;
use time::Date;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print the N-th working day after DATE (day 1 is the first working day after DATE).
    AddWorkingDays {
        /// YYYY-MM-DD
        date: String,
        n: u32,
        /// Extra year files (holiday-cn schema) to load on top of the shipped 2019–2026 data.
        #[arg(long = "holidays", value_name = "FILE")]
        holidays: Vec<PathBuf>,
    },
    /// Print `yes` if DATE is a working day, `no` if not.
    IsWorkingDay {
        /// YYYY-MM-DD
        date: String,
        #[arg(long = "holidays", value_name = "FILE")]
        holidays: Vec<PathBuf>,
    },
}

fn calendar(extra: &[PathBuf]) -> anyhow::Result<Calendar> {
    let mut cal = Calendar::builtin();
    for path in extra {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        cal.load_year(&text)
            .with_context(|| format!("in {}", path.display()))?;
    }
    Ok(cal)
}

fn date(s: &str) -> anyhow::Result<Date> {
    match parse_iso_date(s) {
        Some(d) => Ok(d),
        None => bail!("{s:?} is not a date (YYYY-MM-DD)"),
    }
}

pub fn run(cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CalendarCommand::AddWorkingDays {
            date: d,
            n,
            holidays,
        } => {
            let cal = calendar(&holidays)?;
            let due = cal.add_working_days(date(&d)?, n)?;
            say!("{}", iso(due));
        }
        CalendarCommand::IsWorkingDay { date: d, holidays } => {
            let cal = calendar(&holidays)?;
            let yes = cal.is_working_day(date(&d)?)?;
            say!("{}", if yes { "yes" } else { "no" });
        }
    }
    Ok(ExitCode::SUCCESS)
}
