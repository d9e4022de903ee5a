//! The `retrace` command line: run the server, and the administrative tasks
//! that must work without it (first admin, tokens, ledger verification).
//! Each family of commands is a module with its arguments and its work.

mod backup;
mod import;
mod ledger;
mod replay;
mod serve;
mod sites;
mod tokens;
mod users;

use clap::{Parser, Subcommand};

pub use import::ImportCommand;
pub use ledger::LedgerCommand;
pub use sites::SiteCommand;
pub use tokens::TokenCommand;
pub use users::UserCommand;

use crate::config::Settings;

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
    /// Verify, checkpoint or replay the ledger.
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
    /// Copy the embedded database while it serves, then verify the copy's
    /// ledger and print its head. (PostgreSQL: `pg_dump`.)
    Backup {
        /// The file to write; never overwritten.
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Put a verified backup in place of a database that is not there (the
    /// server stopped, the old file moved away).
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { demo } => serve::serve(settings, demo).await,
        Command::Migrate => {
            crate::migrate_alone(&settings).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Site(command) => command.run(settings).await,
        Command::User(command) => command.run(settings).await,
        Command::Token(command) => command.run(settings).await,
        Command::Ledger(command) => command.run(settings).await,
        Command::Verify { file, public_key } => {
            ledger::verify_file(&settings, &file, public_key.as_deref())
        }
        Command::Import(command) => command.run(settings).await,
        Command::Backup { out } => backup::backup(settings, &out).await,
        Command::Restore { from } => backup::restore(settings, &from).await,
    }
}

/// This instance's verifying key, when its data directory holds the key:
/// what a chain's checkpoints and a certificate's seal are checked against.
fn instance_key(settings: &Settings) -> anyhow::Result<Option<ed25519_dalek::VerifyingKey>> {
    Ok(crate::ledger::keys::InstanceKey::load(&settings.data_dir)?.map(|key| key.verifying_key()))
}

/// A refusal as a command-line message, with its field errors.
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
