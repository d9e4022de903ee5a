//! A PostgreSQL database of its own, created on a server for one test or one
//! bench run and dropped when it is done with, so that a run leaves the
//! server as it found it. Included by `tests/api/helpers.rs` and
//! `scripts/bench/throughput.rs` (`#[path]`).

use sea_orm::{ConnectionTrait, Database};

#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    admin_url: String,
    pub name: String,
}

impl TestDatabase {
    /// Creates `{prefix}_{uuid}` on the server of `admin_url` (a role allowed
    /// to create databases, connected to any database of the server).
    pub async fn create(admin_url: &str, prefix: &str) -> Self {
        Self::copy(admin_url, prefix, "template1").await
    }

    /// Creates `{prefix}_{uuid}` as a copy of the database `template`, to
    /// which no one may be connected.
    pub async fn copy(admin_url: &str, prefix: &str, template: &str) -> Self {
        let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
        let admin = Database::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the PostgreSQL server {admin_url}: {e}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .unwrap_or_else(|e| panic!("cannot create the database {name}: {e}"));
        admin.close().await.expect("close");
        let (server, _) = admin_url
            .rsplit_once('/')
            .expect("the PostgreSQL URL names no database");
        Self {
            url: format!("{server}/{name}"),
            admin_url: admin_url.to_owned(),
            name,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop cannot await, and may run inside a runtime: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await?;
                // FORCE: the run's own pools may still hold connections.
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await?;
                admin.close().await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the database {}", self.name);
        }
    }
}
