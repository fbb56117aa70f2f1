use clap::Parser;
use pykb::config::{Cli, Command, Config};
use tracing_subscriber::EnvFilter;

// Uncached pages allocate a good deal per request; measured against glibc's malloc (Cargo.toml
// says how).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    pykb::allocator::return_freed_memory_sooner();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: a log file or the journal gets plain text, in which an escape
    // sequence could only have come from a value (and values are logged escaped).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .init();
    let cli = Cli::parse();
    let result = async {
        let config = Config::from_settings(&cli.settings)?;
        match cli.command {
            None | Some(Command::Serve) => pykb::app::serve(config).await,
            Some(Command::User { command }) => pykb::commands::user::run(&config, command).await,
            Some(Command::Backup { file }) => pykb::commands::backup::backup(&config, &file).await,
            Some(Command::Restore { file }) => {
                pykb::commands::backup::restore(&config, &file).await
            }
            Some(Command::Export { dir }) => pykb::commands::export::export(&config, &dir).await,
            Some(Command::Import { dir }) => pykb::commands::import::import(&config, &dir).await,
            Some(Command::Reindex) => pykb::commands::reindex::reindex(&config).await,
            Some(Command::Copy { from, to, sessions }) => {
                pykb::commands::copy::copy(&config, from.as_deref(), &to, sessions).await
            }
            Some(Command::Check) => pykb::commands::check::check(&config).await,
            Some(Command::Verify { slugs, files }) => {
                pykb::commands::verify::verify(&config, &slugs, &files).await
            }
        }
    }
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            // On stderr, plainly: logs go to stdout, and a failed command should say why where
            // a shell shows it.
            eprintln!("pykb: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
