//! The Billfold server: GraphQL API, customer portal, operations endpoints, and the `billfold`
//! command line. See `DESIGN.md` for the request flow:
//! HTTP -> axum route -> [`auth`] builds the actor -> [`graphql`] resolver -> [`services`]
//! (transaction, tenant scope, `billing`, audit) -> GraphQL types.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod jobs;

pub mod portal_transport;
pub mod progress;
pub mod seed;
pub mod services;
pub mod state;
pub mod storage;
pub mod telemetry;

pub use state::{App, AppState};

/// Errors at start-up and in the command line, where the only thing to do is report them.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Binds `config.listen` and serves until Ctrl-C / SIGTERM.
pub async fn serve(app: AppState) -> Result<(), BoxError> {
    let listener = tokio::net::TcpListener::bind(app.config.listen).await?;
    serve_on(listener, app).await
}

/// Serves on an already bound listener (tests bind port 0).
pub async fn serve_on(listener: tokio::net::TcpListener, app: AppState) -> Result<(), BoxError> {
    axum::serve(listener, http::router(app))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
