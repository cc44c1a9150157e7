//! `gongkai fee …`: the information processing fee of 国办函〔2020〕109号, in yuan.

use clap::Subcommand;
use gongkai_core::fee::{per_item_fee, per_volume_fee};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum FeeCommand {
    /// 按件计收: the fee for N more items by an applicant who already had M this calendar month.
    PerItem {
        #[arg(long, default_value_t = 0)]
        prior: u32,
        #[arg(long)]
        items: u32,
    },
    /// 按量计收: the fee for P pages of one application.
    PerVolume {
        #[arg(long)]
        pages: u32,
    },
}

pub fn run(cmd: FeeCommand) -> anyhow::Result<ExitCode> {
    let yuan = match cmd {
        FeeCommand::PerItem { prior, items } => per_item_fee(prior, items),
        FeeCommand::PerVolume { pages } => per_volume_fee(pages),
    };
    say!("{yuan}");
    Ok(ExitCode::SUCCESS)
}
