//! `gongkai validate …`: check digits of ID numbers (GB 11643) and unified social credit codes
//! (GB 32100). Exit 0 and the normalised number when valid; exit 1 and the reason when not.

use clap::Subcommand;
use gongkai_core::checksum::{validate_credit_code, validate_id_number};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ValidateCommand {
    /// A resident identity number (居民身份证号码, 18 characters).
    IdNumber { number: String },
    /// A unified social credit code (统一社会信用代码, 18 characters).
    CreditCode { code: String },
}

pub fn run(cmd: ValidateCommand) -> anyhow::Result<ExitCode> {
    let result = match cmd {
        ValidateCommand::IdNumber { number } => {
            let today = gongkai_app::today_in_china();
            validate_id_number(&number, today).map_err(|e| format!("{e} ({})", e.code()))
        }
        ValidateCommand::CreditCode { code } => {
            validate_credit_code(&code).map_err(|e| format!("{e} ({})", e.code()))
        }
    };
    Ok(match result {
        Ok(normalised) => {
            say!("valid: {normalised}");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            say!("invalid: {reason}");
            ExitCode::from(1)
        }
    })
}
