//! `retrace site`: the first workshops, before anyone can sign in.

use clap::Subcommand;

use super::describe;
use crate::config::Settings;
use crate::principal::Principal;
use crate::sites::{self, NewSite};

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

impl SiteCommand {
    pub async fn run(self, settings: Settings) -> anyhow::Result<()> {
        match self {
            Self::Create { code, name } => {
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
        }
    }
}
