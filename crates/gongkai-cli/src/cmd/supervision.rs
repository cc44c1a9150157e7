//! Supervision from the command line (docs/supervision.md): `region list`, `report import
//! --data --agency` (a unit's report stored), `report rollup`, `report review`.

use super::actor::ActorArg;
use super::init::block_on;
use crate::output::write_output;
use clap::{Args, Subcommand, ValueEnum};
use gongkai_app::supervision::intake::{self, UnitFile};
use gongkai_app::supervision::review::{self, Decision, Reason};
use gongkai_app::supervision::rollup;
use gongkai_app::{App, agency};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum RegionCommand {
    /// Print the regions, one a line: the path (as `agency add --region` takes it), the level,
    /// and how many agencies sit directly in it.
    List(RegionListArgs),
}

#[derive(Args)]
pub struct RegionListArgs {
    #[arg(long)]
    pub data: PathBuf,
}

pub fn region_cmd(cmd: RegionCommand) -> anyhow::Result<ExitCode> {
    let RegionCommand::List(args) = cmd;
    block_on(async move {
        let app = App::open(&args.data).await?;
        let regions = agency::regions(&app).await?;
        let agencies = agency::list(&app).await?;
        app.db.close().await;
        let mut out = String::new();
        for r in regions {
            let n = agencies
                .iter()
                .filter(|a| a.agency.region_id == r.id)
                .count();
            out.push_str(&format!("{}\t{}\t{n}\n", r.path.join("/"), r.level_label));
        }
        write_output(None, out.as_bytes())?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}

/// `report import FILE --data DIR --agency NAME`: the unit's report stored for its year.
pub fn import_unit(
    file: &Path,
    data: &Path,
    unit: &str,
    year: Option<i32>,
    actor: &ActorArg,
    options: &gongkai_app::import::Options,
) -> anyhow::Result<ExitCode> {
    let bytes = gongkai_import::read_file(file, options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    block_on(async move {
        let app = App::open(data).await?;
        let actor = actor.resolve(&app).await?;
        let name = file.display().to_string();
        let stored = intake::import_unit_report(
            &app,
            &actor,
            unit,
            UnitFile {
                name: &name,
                bytes: &bytes,
                year,
            },
            options,
            time::OffsetDateTime::now_utc(),
        )
        .await;
        app.db.close().await;
        let v = stored?;
        let mut out = format!(
            "imported {} as the {} report of {} ({} of {} cells read, {} unreadable){}\n",
            v.file,
            v.year,
            v.agency,
            v.cells_read,
            v.cells_total,
            v.unreadable.len(),
            if v.replaces > 0 {
                format!("; replaces {} earlier import(s)", v.replaces)
            } else {
                String::new()
            }
        );
        if let Some(n) = &v.name_in_file {
            out.push_str(&format!("note: the file names the agency {n}\n"));
        }
        match &v.excluded_reason {
            None => out.push_str("counted in the region's roll-up\n"),
            Some(r) => out.push_str(&format!("not counted in the region's roll-up: {r}\n")),
        }
        if !v.unread_rules.is_empty() {
            out.push_str(&format!(
                "rules not assessable because cells were not read: {}\n",
                v.unread_rules.join(", ")
            ));
        }
        write_output(None, out.as_bytes())?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RollupFormat {
    /// The aggregate in the interchange format with `rollup` and `units` members.
    Json,
    /// One line per unit: its state, origin, and whether it is counted.
    Txt,
    /// Every unit's cells, a row per unit and a column per cell (UTF-8 with BOM).
    Csv,
    /// The same table as an Excel workbook (needs -o).
    Xlsx,
}

#[derive(Args)]
pub struct RollupArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The region: its path (山东省/淄博市) or a name only one region has.
    #[arg(long)]
    pub region: String,
    #[arg(long)]
    pub year: i32,
    #[arg(long, value_enum, default_value = "json")]
    pub format: RollupFormat,
    /// Drill one cell down to every unit's value (its JSON path, e.g. table3.granted.total).
    #[arg(long, value_name = "PATH")]
    pub cell: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn rollup_cmd(args: RollupArgs) -> anyhow::Result<ExitCode> {
    block_on(async move {
        let app = App::open(&args.data).await?;
        let actor = args.actor.resolve(&app).await?;
        if matches!(args.format, RollupFormat::Csv | RollupFormat::Xlsx) && args.cell.is_none() {
            let region =
                gongkai_app::supervision::supervised_region(&app, &actor, &args.region).await;
            let table = match region {
                Ok(r) => gongkai_app::supervision::export::units_table(&app, &r, args.year).await,
                Err(e) => Err(e),
            };
            app.db.close().await;
            let table = table?;
            let bytes = match args.format {
                RollupFormat::Xlsx => {
                    if args.output.is_none() {
                        anyhow::bail!("--format xlsx writes a file: give it with -o FILE.xlsx");
                    }
                    table.xlsx("各单位数据")?
                }
                _ => table.csv().into_bytes(),
            };
            write_output(args.output.as_deref(), &bytes)?;
            return Ok(ExitCode::SUCCESS);
        }
        let out = match &args.cell {
            Some(path) => {
                let d = rollup::drill(&app, &actor, &args.region, args.year, path).await;
                app.db.close().await;
                let d = d?;
                match args.format {
                    RollupFormat::Json | RollupFormat::Csv | RollupFormat::Xlsx => {
                        format!("{}\n", serde_json::to_string_pretty(&d)?)
                    }
                    RollupFormat::Txt => {
                        let mut s = format!("{} {}\n", d.cell, d.label);
                        for e in &d.entries {
                            s.push_str(&format!(
                                "{}\t{}\t{}{}\n",
                                e.agency,
                                e.value.as_deref().unwrap_or("-"),
                                e.state,
                                if e.included { "" } else { "\t未计入" }
                            ));
                        }
                        s
                    }
                }
            }
            None => {
                let r = rollup::rollup(&app, &actor, &args.region, args.year).await;
                app.db.close().await;
                let r = r?;
                match args.format {
                    RollupFormat::Txt => rollup_text(&r),
                    _ => format!("{}\n", serde_json::to_string_pretty(&r.document())?),
                }
            }
        };
        write_output(args.output.as_deref(), out.as_bytes())?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}

fn rollup_text(r: &rollup::Rollup) -> String {
    let mut s = format!("{} {}年 汇总\n", r.path, r.year);
    for u in &r.units {
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            u.agency,
            u.state.label(),
            u.origin.map_or("-", |o| o.label()),
            match (&u.excluded_reason, u.origin) {
                (_, None) => String::new(),
                (None, _) => "计入汇总".into(),
                (Some(r), _) => r.clone(),
            }
        ));
    }
    s
}

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Accept a unit's current report for the year.
    Accept(ReviewArgs),
    /// Return a unit's current report with one or more --reason.
    Return(ReviewArgs),
    /// The unit's reviews for the year, oldest first.
    History(ReviewArgs),
}

#[derive(Args)]
pub struct ReviewArgs {
    #[arg(long)]
    pub data: PathBuf,
    /// The unit: its name or organisation code.
    #[arg(long)]
    pub agency: String,
    #[arg(long)]
    pub year: i32,
    /// A reason: the text, or `table3.granted.total: text` about a cell, or `T3-1: text`
    /// about a rule. Repeat for several.
    #[arg(long)]
    pub reason: Vec<String>,
    #[command(flatten)]
    pub actor: ActorArg,
}

pub fn review_cmd(cmd: ReviewCommand) -> anyhow::Result<ExitCode> {
    let (decision, args) = match cmd {
        ReviewCommand::Accept(a) => (Some(Decision::Accept), a),
        ReviewCommand::Return(a) => (Some(Decision::Return), a),
        ReviewCommand::History(a) => (None, a),
    };
    block_on(async move {
        let app = App::open(&args.data).await?;
        let actor = args.actor.resolve(&app).await?;
        let out = match decision {
            Some(d) => {
                let reasons: Vec<Reason> = args.reason.iter().map(|r| Reason::parse(r)).collect();
                let state = review::review(
                    &app,
                    &actor,
                    &args.agency,
                    args.year,
                    d,
                    &reasons,
                    time::OffsetDateTime::now_utc(),
                )
                .await;
                app.db.close().await;
                format!("{} {}: {}\n", args.agency, args.year, state?.label())
            }
            None => {
                let h = review::history(&app, &actor, &args.agency, args.year).await;
                app.db.close().await;
                let mut s = String::new();
                for r in h? {
                    s.push_str(&format!(
                        "{}\t{}\t{}\t{}{}\n",
                        r.seq,
                        r.label,
                        r.actor,
                        r.at.date(),
                        if r.current {
                            ""
                        } else {
                            "\t（针对此前的报告）"
                        }
                    ));
                    for reason in &r.reasons {
                        let about = reason.cell.as_deref().or(reason.rule.as_deref());
                        s.push_str(&format!(
                            "\t{}{}\n",
                            about.map(|a| format!("{a}：")).unwrap_or_default(),
                            reason.text
                        ));
                    }
                }
                s
            }
        };
        write_output(None, out.as_bytes())?;
        Ok::<_, anyhow::Error>(ExitCode::SUCCESS)
    })?
}
