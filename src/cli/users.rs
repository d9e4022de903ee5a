//! `retrace user`: the first admin, and an erasure on request from the
//! server's own shell.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use clap::Subcommand;

use super::describe;
use crate::config::Settings;
use crate::ids::{SiteId, UserId};
use crate::principal::{Principal, Role};
use crate::sites;
use crate::users::{self, NewUser};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from the first line of stdin (empty: none).
    Create {
        #[arg(long)]
        email: String,
        /// admin, coordinator, technician or viewer.
        #[arg(long)]
        role: String,
        /// The code of the user's site (coordinators, technicians; optional for viewers).
        #[arg(long)]
        site: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Erase a member of staff's name and e-mail on request (the account is
    /// disabled; its operations stay under its reference `U-…`).
    Erase {
        #[arg(long)]
        email: String,
    },
}

impl UserCommand {
    pub async fn run(self, settings: Settings) -> anyhow::Result<()> {
        match self {
            Self::Create {
                email,
                role,
                site,
                name,
            } => {
                let role = Role::parse(&role).with_context(|| {
                    format!("unknown role `{role}`: admin, coordinator, technician or viewer")
                })?;
                let state = crate::start(settings).await?;
                let site_id = match site {
                    Some(code) => Some(SiteId(
                        sites::queries::by_code(&state.db, &code)
                            .await
                            .map_err(describe)?
                            .with_context(|| format!("no site with code {code}"))?
                            .id,
                    )),
                    None => None,
                };
                let password = read_password()?;
                let new = NewUser {
                    email,
                    display_name: name,
                    role,
                    site_id,
                    locale: None,
                    password: None,
                };
                let hash = users::service::hash_new_password(password)
                    .await
                    .map_err(describe)?;
                let user = state
                    .write_now(&Principal::instance(), move |tx, instance| {
                        Box::pin(users::service::create(tx, instance, new, hash))
                    })
                    .await
                    .map_err(describe)?;
                eprintln!("created user {}", user.id);
                Ok(())
            }
            Self::Erase { email } => {
                let state = crate::start(settings).await?;
                let user = users::queries::by_email(&state.db, &email)
                    .await
                    .map_err(describe)?
                    .with_context(|| format!("no user with email {email}"))?;
                let id = UserId(user.id);
                let erased = state
                    .write_now(&Principal::instance(), move |tx, instance| {
                        Box::pin(users::service::erase_personal_data(tx, instance, id))
                    })
                    .await
                    .map_err(describe)?;
                users::service::scrub(&state.db).await.map_err(describe)?;
                eprintln!(
                    "erased the personal data of user {} (now {})",
                    user.id, erased.display_name
                );
                Ok(())
            }
        }
    }
}

fn read_password() -> anyhow::Result<Option<String>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "Password (at least {} characters, empty for none): ",
            crate::auth::password::MIN_LENGTH
        );
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    Ok((!password.is_empty()).then_some(password))
}
