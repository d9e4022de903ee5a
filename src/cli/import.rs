//! `retrace import devices`: a donor's asset list into a lot, from a file.

use anyhow::{Context, bail};
use clap::Subcommand;

use super::describe;
use crate::asset_list;
use crate::asset_list::refusals::AssetListInvalid;
use crate::config::Settings;
use crate::principal::Principal;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A donor's asset list (CSV, as exported by GLPI, Snipe-IT or a
    /// spreadsheet) becomes devices of a lot, with asset tags: all or nothing.
    Devices {
        /// The lot's id.
        #[arg(long)]
        lot: uuid::Uuid,
        file: std::path::PathBuf,
        /// Check and show what would be created; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

impl ImportCommand {
    pub async fn run(self, settings: Settings) -> anyhow::Result<()> {
        match self {
            Self::Devices { lot, file, dry_run } => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let state = crate::start(settings).await?;
                let principal = Principal::instance();
                let lot = crate::ids::LotId(lot);
                let result = if dry_run {
                    asset_list::import::check(&state.db, &principal, lot, &bytes).await
                } else {
                    asset_list::import::import(&state, &principal, lot, &bytes).await
                };
                let report = match result {
                    Ok(report) => report,
                    Err(err) => match err.refusal::<AssetListInvalid>() {
                        Some(AssetListInvalid { issues }) => {
                            for issue in issues {
                                eprintln!("{}", issue_line(issue));
                            }
                            bail!("the file has errors: nothing was imported");
                        }
                        None => return Err(describe(err)),
                    },
                };
                for issue in &report.issues {
                    eprintln!("{}", issue_line(issue));
                }
                if dry_run {
                    let errors = report
                        .issues
                        .iter()
                        .filter(|i| i.severity == asset_list::Severity::Error)
                        .count();
                    println!(
                        "dry run: {} device(s) read, {errors} error(s); nothing written",
                        report.rows.len()
                    );
                    if errors > 0 {
                        bail!("the file has errors: nothing would be imported");
                    }
                } else {
                    for device in &report.created {
                        println!(
                            "{}\t{}",
                            device.asset_tag,
                            device.serial_number.as_deref().unwrap_or_default()
                        );
                    }
                }
                Ok(())
            }
        }
    }
}

/// One issue of the file, as a line of the terminal:
/// `line 7: error: kind: unknown kind "Station d'accueil"…`
fn issue_line(issue: &asset_list::Issue) -> String {
    let severity = match issue.severity {
        asset_list::Severity::Error => "error",
        asset_list::Severity::Warning => "warning",
    };
    format!(
        "line {}: {severity}: {}: {}",
        issue.line, issue.field, issue.message
    )
}
