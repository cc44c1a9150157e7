//! `gongkai organisation appoint|end|list|assess|rectify|assessments`: the 领导小组, the leader in
//! charge and the staff responsible for the disclosure work, and the assessment (考核) of the
//! agency's sections, from which section 一 writes its sentences (docs/organisation.md).

use super::actor::ActorArg;
use super::init::block_on;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::organisation::{self, AppointmentInput, AppointmentView, RoundInput, RoundView};
use gongkai_app::{App, today_in_china};
use gongkai_core::calendar::parse_iso_date;
use gongkai_core::organisation::Duty;
use std::path::PathBuf;
use std::process::ExitCode;
use time::{Date, OffsetDateTime};

#[derive(Subcommand)]
pub enum OrganisationCommand {
    /// Record an appointment: a member of the 领导小组, the leader in charge, a staff member.
    Appoint(Box<AppointArgs>),
    /// Record the last day of an appointment.
    End(EndArgs),
    /// List the agency's appointments.
    List(ListArgs),
    /// Record an assessment round of the agency's sections (考核).
    Assess(AssessArgs),
    /// Record that a finding was put right (整改).
    Rectify(RectifyArgs),
    /// List the assessment rounds of a year.
    Assessments(AssessmentsArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_iso_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn duty_arg(s: &str) -> Result<Duty, String> {
    Duty::parse(s).ok_or_else(|| {
        format!(
            "unknown duty {s:?}: one of {}",
            Duty::ALL.map(Duty::key).join(", ")
        )
    })
}

#[derive(Args)]
pub struct AppointArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long)]
    pub agency: String,
    /// leader (组长), deputy (副组长), member (成员), in_charge (分管领导) or officer (工作人员).
    #[arg(long, value_parser = duty_arg)]
    pub duty: Duty,
    #[arg(long)]
    pub name: String,
    /// 职务 (中心主任, 办公室主任 …).
    #[arg(long)]
    pub post: String,
    /// The section (科室) a staff member works in.
    #[arg(long)]
    pub section: Option<String>,
    #[arg(long, value_parser = date_arg)]
    pub from: Date,
    #[arg(long, value_parser = date_arg)]
    pub until: Option<Date>,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct EndArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The appointment's id (as `organisation list` prints it).
    pub id: i64,
    /// The last day served.
    #[arg(long, value_parser = date_arg)]
    pub until: Date,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct ListArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long)]
    pub agency: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct AssessArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long)]
    pub agency: String,
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    #[arg(long)]
    pub title: String,
    /// One per section: 「科室 [分数] [发现的问题]」 (repeat the option).
    #[arg(long = "result", required = true)]
    pub results: Vec<String>,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct RectifyArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The result's id (as `organisation assessments` prints it).
    pub id: i64,
    #[arg(long, value_parser = date_arg)]
    pub on: Date,
    #[arg(long, value_parser = date_arg)]
    pub today: Option<Date>,
    #[command(flatten)]
    pub actor: ActorArg,
}

#[derive(Args)]
pub struct AssessmentsArgs {
    #[arg(long)]
    pub data: PathBuf,
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn run(cmd: OrganisationCommand) -> anyhow::Result<ExitCode> {
    block_on(async move {
        match cmd {
            OrganisationCommand::Appoint(a) => appoint(*a).await,
            OrganisationCommand::End(a) => end(a).await,
            OrganisationCommand::List(a) => list(a).await,
            OrganisationCommand::Assess(a) => assess(a).await,
            OrganisationCommand::Rectify(a) => rectify(a).await,
            OrganisationCommand::Assessments(a) => assessments(a).await,
        }
    })?
}

async fn appoint(a: AppointArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = AppointmentInput {
            agency: a.agency,
            duty: a.duty,
            name: a.name,
            post: a.post,
            section: a.section,
            from: a.from,
            until: a.until,
        };
        let now = OffsetDateTime::now_utc();
        Ok::<_, anyhow::Error>(organisation::appoint(&app, &actor, &input, today, now).await?)
    }
    .await;
    app.db.close().await;
    print_appointments(&[done?], a.format)
}

async fn end(a: EndArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let now = OffsetDateTime::now_utc();
        Ok::<_, anyhow::Error>(organisation::end(&app, &actor, a.id, a.until, today, now).await?)
    }
    .await;
    app.db.close().await;
    print_appointments(&[done?], a.format)
}

async fn list(a: ListArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(organisation::appointments(&app, &actor, &a.agency).await?)
    }
    .await;
    app.db.close().await;
    let all = done?;
    if all.is_empty() && a.format == Format::Text {
        eprintln!("no appointments");
    }
    print_appointments(&all, a.format)
}

async fn assess(a: AssessArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let input = RoundInput {
            agency: a.agency,
            on: a.on,
            title: a.title,
            results: a.results.join("\n"),
        };
        let now = OffsetDateTime::now_utc();
        Ok::<_, anyhow::Error>(organisation::add_round(&app, &actor, &input, today, now).await?)
    }
    .await;
    app.db.close().await;
    print_rounds(&[done?], a.format)
}

async fn rectify(a: RectifyArgs) -> anyhow::Result<ExitCode> {
    let today = a.today.unwrap_or_else(today_in_china);
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        let now = OffsetDateTime::now_utc();
        Ok::<_, anyhow::Error>(organisation::rectify(&app, &actor, a.id, a.on, today, now).await?)
    }
    .await;
    app.db.close().await;
    let r = done?;
    say!(
        "{}\t{}\t整改 {}",
        r.id,
        r.section,
        r.rectified_on.unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

async fn assessments(a: AssessmentsArgs) -> anyhow::Result<ExitCode> {
    let app = App::open(&a.data).await?;
    let done = async {
        let actor = a.actor.resolve(&app).await?;
        Ok::<_, anyhow::Error>(organisation::rounds(&app, &actor, &a.agency, a.year).await?)
    }
    .await;
    app.db.close().await;
    let all = done?;
    if all.is_empty() && a.format == Format::Text {
        eprintln!("no assessment rounds");
    }
    print_rounds(&all, a.format)
}

/// One line each: id, duty, post and name, section, from, until.
fn print_appointments(all: &[AppointmentView], format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(all)?),
        Format::Text => {
            for p in all {
                say!(
                    "{}\t{}\t{}{}\t{}\t{} 至 {}",
                    p.id,
                    p.duty_label,
                    p.post,
                    p.name,
                    p.section.as_deref().unwrap_or(""),
                    p.from,
                    p.until.as_deref().unwrap_or("今")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The round's line, then one line per result: id, section, score, finding, rectified.
fn print_rounds(all: &[RoundView], format: Format) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(all)?),
        Format::Text => {
            for r in all {
                say!("{}\t{}\t{}", r.id, r.on, r.title);
                for x in &r.results {
                    let score = x.score.map(|s| s.to_string()).unwrap_or_default();
                    let finding = match (&x.finding, &x.rectified_on) {
                        (Some(f), Some(on)) => format!("{f}（{on}已整改）"),
                        (Some(f), None) => format!("{f}（未整改）"),
                        (None, _) => "未发现问题".into(),
                    };
                    say!("  {}\t{}\t{score}\t{finding}", x.id, x.section);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
