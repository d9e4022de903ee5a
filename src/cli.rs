//! The `retrace` command line: run the server, and the administrative tasks
//! that must work without it (first admin, tokens, ledger verification).

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::asset_list;
use crate::asset_list::refusals::AssetListInvalid;
use crate::auth;
use crate::config::Settings;
use crate::ids::{SiteId, UserId};
use crate::ledger::keys::InstanceKey;
use crate::ledger::{checkpoint, verify};
use crate::principal::{Principal, Role};
use crate::sites::{self, NewSite};
use crate::state::AppState;
use crate::users::{self, NewUser};

#[derive(Debug, Parser)]
#[command(name = "retrace", version, about = "Traceability of donated computers")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the HTTP server (RETRACE_BIND, default 127.0.0.1:8080).
    Serve {
        /// Fill an empty instance with demo workshops, donors and 300
        /// devices, and print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage sites (workshops).
    #[command(subcommand)]
    Site(SiteCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Verify or checkpoint the ledger.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Check an issued certificate file offline: any changed byte fails.
    Verify {
        file: std::path::PathBuf,
        /// The instance's public key (base64, from /.well-known/retrace-signing-key);
        /// default: the key in the data directory.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Import records from a file.
    #[command(subcommand)]
    Import(ImportCommand),
}

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

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Create a site; prints its id.
    Create {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
    },
}

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

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute the hash chain; prints `ok N events, head <hash>` (and the
    /// redacted events, if any) or the first bad seq.
    Verify,
    /// Sign the current head with the instance key and record it.
    Checkpoint,
}

pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            crate::migrate_alone(&settings).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Site(SiteCommand::Create { code, name }) => {
            let state = crate::start(settings).await?;
            let new = NewSite {
                name,
                code,
                address: None,
            };
            let site = state
                .write_now(&Principal::instance(), move |tx, instance| {
                    Box::pin(sites::service::create(tx, instance, new))
                })
                .await
                .map_err(describe)?;
            println!("{}", site.id);
            Ok(())
        }
        Command::User(UserCommand::Create {
            email,
            role,
            site,
            name,
        }) => {
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
        Command::User(UserCommand::Erase { email }) => {
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
        Command::Token(TokenCommand::Create { email, name, days }) => {
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
        Command::Ledger(LedgerCommand::Verify) => {
            let db = crate::db::connect(&settings).await?;
            let key = InstanceKey::load(&settings.data_dir)?;
            match verify::verify(&db, key.as_ref().map(InstanceKey::verifying_key).as_ref()).await {
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
        Command::Import(ImportCommand::Devices { lot, file, dry_run }) => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
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
        Command::Verify { file, public_key } => {
            verify_file(&settings, &file, public_key.as_deref())
        }
        Command::Ledger(LedgerCommand::Checkpoint) => {
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

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bind = settings.bind;
    let state: AppState = crate::start(settings).await?;
    if demo {
        print_demo(&state).await?;
    }
    crate::spawn_checkpoints(state.clone());
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    tracing::info!(
        address = %listener.local_addr()?,
        public_url = %state.settings.public_url,
        startup_ms = started.elapsed().as_millis() as u64,
        "Retrace is ready"
    );
    axum::serve(
        listener,
        crate::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    Ok(())
}

async fn print_demo(state: &AppState) -> anyhow::Result<()> {
    let Some(seeded) = crate::demo::seed(state).await? else {
        eprintln!("--demo: this instance already has data; nothing was added");
        return Ok(());
    };
    println!(
        "Demo data added: 2 workshops, {} devices. Sign in at {}/login, password `{}`:",
        crate::demo::DEVICES,
        state.settings.public_url,
        crate::demo::PASSWORD
    );
    for login in seeded.logins {
        let site = login.site.map(|s| format!(", {s}")).unwrap_or_default();
        println!("  {:<36} {}{site}", login.email, login.role.as_str());
    }
    println!(
        "A donor follows their first lot, with no account, at:\n  {}",
        seeded.portal
    );
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
}

fn verify_file(
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
        None => InstanceKey::load(&settings.data_dir)?
            .with_context(|| {
                format!(
                    "no instance key in {}; pass --public-key",
                    settings.data_dir.display()
                )
            })?
            .verifying_key(),
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

/// An API error as a CLI message, with its field errors.
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

fn describe(err: crate::error::AppError) -> anyhow::Error {
    let problem = err.problem();
    let fields: Vec<String> = problem
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    if fields.is_empty() {
        anyhow::anyhow!("{}: {}", problem.title, problem.detail)
    } else {
        anyhow::anyhow!("{}", fields.join("; "))
    }
}
