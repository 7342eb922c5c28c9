use app::platform::{db, jobs, setup, AppState, Config};
use app::wiring::demo;
use leptos::config::{Env, LeptosOptions};
use server::cli::{self, Command};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

fn leptos_options(config: &Config) -> LeptosOptions {
    // cargo-leptos passes LEPTOS_* variables when it runs the server; a plain
    // start of the binary uses the same layout it builds.
    let var = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME", "careport"))
        .site_root(var("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(config.addr)
        .env(Env::PROD)
        .build()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Opens the database, waiting up to `CAREPORT_DB_WAIT_SECONDS` for one that
/// does not answer yet (a PostgreSQL server starting beside the app).
async fn open_database(config: &Config) -> Option<db::Pool> {
    let started = std::time::Instant::now();
    let mut delay = std::time::Duration::from_millis(500);
    loop {
        match db::connect(&config.database_url, config.db_max_connections).await {
            Ok(pool) => return Some(pool),
            Err(e) if e.is_retryable() && started.elapsed().as_secs() < config.db_wait_secs => {
                tracing::warn!(
                    error = %e,
                    retry_in_ms = delay.as_millis() as u64,
                    "the database does not answer yet; retrying"
                );
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(std::time::Duration::from_secs(5));
            }
            Err(e) => {
                tracing::error!(
                    error = %e,
                    waited_secs = started.elapsed().as_secs(),
                    "cannot open the database; giving up"
                );
                return None;
            }
        }
    }
}

/// `server create-admin`: the first administrator of an empty database, with
/// the password read from standard input.
async fn create_admin(pool: &db::Pool, email: &str, name: &str, organisation: &str) -> ExitCode {
    use std::io::{BufRead, IsTerminal};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!(
            "careport: pipe the password on standard input so that it is not shown:\n{}",
            cli::USAGE
        );
        return ExitCode::from(2);
    }
    let mut password = String::new();
    if stdin.lock().read_line(&mut password).is_err() {
        eprintln!("careport: could not read the password from standard input");
        return ExitCode::from(2);
    }
    let password = password.trim_end_matches(['\r', '\n']);
    match app::accounts::setup::create_admin(pool, email, name, organisation, password).await {
        Ok(id) => {
            tracing::info!(user = id, "administrator created");
            let email = app::accounts::rules::normalize_email(email);
            println!("Administrator {email} created. Sign in with the password you gave.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("careport: {e}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("careport: {e}");
            return ExitCode::from(2);
        }
    };
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("careport: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();

    if let Err(e) = std::fs::create_dir_all(&config.data_dir) {
        tracing::error!(dir = %config.data_dir.display(), error = %e, "cannot create the data directory");
        return ExitCode::FAILURE;
    }
    let Some(pool) = open_database(&config).await else {
        return ExitCode::FAILURE;
    };
    if let Command::CreateAdmin {
        email,
        name,
        organisation,
    } = &command
    {
        return create_admin(&pool, email, name, organisation).await;
    }
    if config.demo_data {
        match demo::load_if_empty(&pool, &config.data_dir).await {
            Ok(true) => tracing::info!(
                "demo data loaded; demo accounts use the password '{}'",
                demo::DEMO_PASSWORD
            ),
            Ok(false) => {}
            Err(_) => return ExitCode::FAILURE,
        }
    }

    // Production settings on a database that holds the demo accounts (whose
    // password is published) are refused, whatever the flags say now.
    if config.secure_cookies {
        match setup::is_demo(&pool).await {
            Ok(false) => {}
            Ok(true) => {
                tracing::error!(
                    "this database holds the demo data and its published password; \
                     production settings (CAREPORT_SECURE_COOKIES) are refused on it. \
                     Start on an empty database and create the first administrator with \
                     `server create-admin`."
                );
                return ExitCode::from(2);
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read the installation flags");
                return ExitCode::FAILURE;
            }
        }
    }
    if let Err(e) = server::check_policies() {
        tracing::error!("{e}");
        return ExitCode::from(2);
    }
    let options = leptos_options(&config);
    let addr = config.addr;
    let state = AppState {
        pool,
        config: Arc::new(config),
    };
    // The job runner of this process; on several nodes each runs one, and the
    // queue's leases keep them from doing an item twice.
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    let runner = jobs::Runner::new(
        state.pool.clone(),
        app::wiring::jobs(&state),
        jobs::node_name(),
    );
    let runner = tokio::spawn(runner.run(jobs_stopped));
    let app = server::app(state, options);
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(%addr, error = %e, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("Careport is listening on http://{addr}");
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    // The current job item is finished (or rolled back) before the process ends.
    let _ = stop_jobs.send(true);
    let _ = runner.await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}
