//! `gongkai`: parses arguments and calls the library crates. Exit codes: 0 success, 1 a check
//! found problems, 2 an error (ripgrep's discipline). A closed pipe exits quietly.

/// `println!` for text a person reads on a terminal: stored text may hold control characters or
/// bidirectional overrides from before they were refused at the boundary, so they are printed
/// as `\u{…}` and cannot move the cursor or reorder the line (docs/reliability.md). JSON output
/// is printed as serde_json escapes it.
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", gongkai_core::text::escape_terminal(&format!($($arg)*)))
    };
}

mod cmd;
mod output;

use clap::{Parser, Subcommand};
use gongkai_app::AppError;
use gongkai_app::error::Localized;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "政府信息公开 — government information disclosure platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Annual reports (年度报告): render, check, schema.
    #[command(subcommand)]
    Report(cmd::report::ReportCommand),
    /// Working days (工作日) over the State Council holiday notices.
    #[command(subcommand)]
    Calendar(cmd::calendar::CalendarCommand),
    /// The information processing fee (信息处理费) in yuan.
    #[command(subcommand)]
    Fee(cmd::fee::FeeCommand),
    /// Check digits of ID numbers and unified social credit codes.
    #[command(subcommand)]
    Validate(cmd::validate::ValidateCommand),
    /// The catalogue (政府信息公开目录): items, publishing workflow, approval form, 指南/制度.
    #[command(subcommand)]
    // Boxed: the catalogue's item fields make this variant much larger than the others.
    Catalog(Box<cmd::catalog::CatalogCommand>),
    /// Import and check published annual reports: a folder or a list of files, one line each.
    Audit(cmd::audit::AuditArgs),
    /// Create a data directory (SQLite in the directory, or --database postgres://…).
    Init(cmd::init::InitArgs),
    /// Agencies and their regions (province → city → county → township).
    #[command(subcommand)]
    Agency(cmd::agency::AgencyCommand),
    /// Regions (province → city → county → township): list them with their paths.
    #[command(subcommand)]
    Region(cmd::supervision::RegionCommand),
    /// Applications (依申请公开): register, record events, show due dates, list, letters.
    #[command(subcommand)]
    Application(cmd::application::ApplicationCommand),
    /// The full-text index of published items.
    #[command(subcommand)]
    Search(cmd::search::SearchCommand),
    /// Serve a data directory's public portal (政府信息公开 column) over HTTP.
    Serve(cmd::serve::ServeArgs),
    /// Create demo data (when the directory has none) and serve it on 127.0.0.1.
    Demo(cmd::serve::DemoArgs),
    /// Users and their roles (录入, 审核, 保密审查, 负责人, 管理员, 监督).
    #[command(subcommand)]
    User(cmd::user::UserCommand),
    /// Remedy cases (行政复议, 行政诉讼) for table 四: add, decide, list, show.
    #[command(subcommand)]
    Remedy(cmd::remedy::RemedyCommand),
    /// Work records (meetings, trainings, plans and rules) for section 一: add, list, remove.
    #[command(subcommand)]
    Work(cmd::work::WorkCommand),
    /// 建议提案 (NPC suggestions, CPPCC proposals) for section 六: add, reply, list.
    #[command(subcommand)]
    Proposal(cmd::proposal::ProposalCommand),
    /// The public's feedback from the portal (公众评议) for section 一: list, answer, reject.
    #[command(subcommand)]
    Feedback(cmd::feedback::FeedbackCommand),
    /// Periodic review of published information (定期清理): start, list, show, decide.
    #[command(subcommand)]
    Cleanup(cmd::cleanup::CleanupCommand),
    /// The 领导小组 and staff responsible, and the assessment of sections (考核), for section 一.
    #[command(subcommand)]
    Organisation(cmd::organisation::OrganisationCommand),
    /// The secret keys that seal personal data: rotate, reseal, status.
    #[command(subcommand)]
    Key(cmd::key::KeyCommand),
    /// The hash-chained audit log: verify, list.
    #[command(subcommand)]
    AuditLog(cmd::audit_log::AuditLogCommand),
    /// An online backup of the database (SQLite VACUUM INTO, PostgreSQL pg_dump), checked.
    Backup(cmd::backup::BackupArgs),
    /// A backup restored into a new data directory, with the drill's figures.
    Restore(cmd::backup::RestoreArgs),
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(c) => cmd::report::run(c),
        Command::Calendar(c) => cmd::calendar::run(c),
        Command::Fee(c) => cmd::fee::run(c),
        Command::Validate(c) => cmd::validate::run(c),
        Command::Audit(a) => cmd::audit::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::Agency(c) => cmd::agency::run(c),
        Command::Region(c) => cmd::supervision::region_cmd(c),
        Command::Application(c) => cmd::application::run(c),
        Command::Catalog(c) => cmd::catalog::run(*c),
        Command::User(c) => cmd::user::run(c),
        Command::Remedy(c) => cmd::remedy::run(c),
        Command::Work(c) => cmd::work::run(c),
        Command::Proposal(c) => cmd::proposal::run(c),
        Command::Feedback(c) => cmd::feedback::run(c),
        Command::Cleanup(c) => cmd::cleanup::run(c),
        Command::Organisation(c) => cmd::organisation::run(c),
        Command::Key(c) => cmd::key::run(c),
        Command::AuditLog(c) => cmd::audit_log::run(c),
        Command::Backup(a) => cmd::backup::backup(a),
        Command::Restore(a) => cmd::backup::restore(a),
        Command::Serve(a) => cmd::serve::serve(a),
        Command::Search(c) => cmd::search::run(c),
        Command::Demo(a) => cmd::serve::demo(a),
    };
    cmd::audit_log::record_command(&argv, &result);
    match result {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            // The application's errors print their Chinese message first (what a user reads),
            // then the English one with its causes (what an operator searches for).
            if let Some(app) = err.chain().find_map(|c| c.downcast_ref::<AppError>()) {
                eprintln!("gongkai: 错误：{}", app.zh());
            }
            eprintln!("gongkai: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
