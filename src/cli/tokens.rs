//! `retrace token`: an API token for a script, issued on the server.

use std::io::Write;

use anyhow::{Context, bail};
use clap::Subcommand;

use super::describe;
use crate::auth;
use crate::config::Settings;
use crate::ids::UserId;
use crate::principal::Principal;
use crate::users;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; prints the token, and only the token.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Lifetime in days.
        #[arg(long, default_value_t = crate::auth::service::DEFAULT_DAYS)]
        days: u32,
    },
}

impl TokenCommand {
    pub async fn run(self, settings: Settings) -> anyhow::Result<()> {
        match self {
            Self::Create { email, name, days } => {
                if !(1..=auth::service::MAX_DAYS).contains(&days) {
                    bail!("--days must be between 1 and {}", auth::service::MAX_DAYS);
                }
                let state = crate::start(settings).await?;
                let user = users::queries::active_by_email(&state.db, &email)
                    .await
                    .map_err(describe)?
                    .with_context(|| format!("no active user with email {email}"))?;
                let user_id = UserId(user.id);
                // Recorded as the instance's: whoever runs the command on the server.
                let issued = state
                    .write_now(&Principal::instance(), move |tx, _| {
                        Box::pin(auth::service::issue(tx, user_id, name, days))
                    })
                    .await
                    .map_err(describe)?;
                let secret = issued.secret.context("no secret in the answer")?;
                let mut stdout = std::io::stdout().lock();
                writeln!(stdout, "{secret}")?;
                Ok(())
            }
        }
    }
}
