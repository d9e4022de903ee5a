//! `retrace serve`: the server, with the demo's data when asked.

use anyhow::Context;

use crate::config::Settings;
use crate::state::AppState;

pub(super) async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
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
    if let Some(address) = state.settings.metrics_bind {
        let local = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address} for metrics"))?;
        tracing::info!(address = %local.local_addr()?, "metrics served without a token");
        let metrics =
            axum::Router::new().route("/metrics", axum::routing::get(crate::metrics::local));
        tokio::spawn(async move {
            if let Err(err) = axum::serve(local, metrics).await {
                tracing::error!(error = %err, "the metrics address stopped");
            }
        });
    }
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
