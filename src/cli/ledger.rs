//! `retrace ledger` and `retrace verify`: the chain checked, signed, and a
//! certificate file checked offline.

use anyhow::Context;
use clap::Subcommand;

use super::{describe, instance_key};
use crate::config::Settings;
use crate::ledger::{checkpoint, verify};
use crate::principal::Principal;

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute the hash chain; prints `ok N events, head <hash>` (and the
    /// redacted events, if any) or the first bad seq.
    Verify,
    /// Sign the current head with the instance key and record it.
    Checkpoint,
    /// Rebuild this instance from its ledger alone into an empty database
    /// (to move it, or to recover its tables), then verify the copy's chain.
    Replay {
        /// The target: a database URL (`postgres://…`, `sqlite://…`) or a
        /// new SQLite file's path.
        #[arg(long)]
        into: String,
    },
}

impl LedgerCommand {
    pub async fn run(self, settings: Settings) -> anyhow::Result<()> {
        match self {
            Self::Verify => {
                let db = crate::db::connect(&settings).await?;
                let key = instance_key(&settings)?;
                match verify::verify(&db, key.as_ref()).await {
                    Ok(report) => {
                        println!("{report}");
                        if key.is_none() && report.checkpoints > 0 {
                            eprintln!(
                                "note: no instance key in {}, checkpoint signatures not checked",
                                settings.data_dir.display()
                            );
                        }
                        Ok(())
                    }
                    Err(failure) => {
                        println!("{failure}");
                        std::process::exit(1);
                    }
                }
            }
            Self::Replay { into } => super::replay::replay(settings, &into).await,
            Self::Checkpoint => {
                let state = crate::start(settings).await?;
                let key = state.key.clone();
                let event = state
                    .write_now(&Principal::instance(), move |tx, _| {
                        Box::pin(async move { Ok(checkpoint::record(tx, &key).await?.event) })
                    })
                    .await
                    .map_err(describe)?;
                let seq = serde_json::from_value::<checkpoint::Checkpoint>(event.payload)
                    .map(|c| c.seq)
                    .map_err(|e| anyhow::anyhow!("the checkpoint's payload: {e}"))?;
                println!("checkpoint at seq {seq}");
                Ok(())
            }
        }
    }
}

/// Checks an issued certificate file offline: any changed byte fails.
pub(super) fn verify_file(
    settings: &Settings,
    path: &std::path::Path,
    public_key: Option<&str>,
) -> anyhow::Result<()> {
    use base64::Engine;
    let key = match public_key {
        Some(text) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .context("--public-key is not base64")?;
            let bytes: [u8; 32] = bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("--public-key is not 32 bytes"))?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .context("--public-key is not an Ed25519 key")?
        }
        None => instance_key(settings)?.with_context(|| {
            format!(
                "no instance key in {}; pass --public-key",
                settings.data_dir.display()
            )
        })?,
    };
    let file = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    match crate::certificates::seal::verify(&file, &key) {
        Ok(seal) => {
            println!(
                "ok {}: signed by key {}, sha256 {}",
                path.display(),
                seal.key_id,
                crate::certificates::seal::file_sha256(&file)
            );
            Ok(())
        }
        Err(err) => {
            println!("invalid {}: {err}", path.display());
            std::process::exit(1);
        }
    }
}
