//! The `nexudus-bot` command line: parse the verb, load configuration, hand over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use nexudus_bot::config::{Config, ConfigError};
use nexudus_bot::{app, check, ops, telemetry};

/// Discord bot for Nexudus coworking spaces: one-time portal logins and password resets.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    verb: Option<Verb>,
}

#[derive(Subcommand, Clone, Copy)]
enum Verb {
    /// Connect to Discord and serve the commands (the default).
    Run,
    /// Create or update the slash commands, then exit.
    Register,
    /// Validate the configuration and reach Nexudus and Discord; exit non-zero on failure.
    Check,
    /// Probe the ops server's /healthz (for the container HEALTHCHECK); exit 0 when healthy.
    Healthcheck,
}

/// Exit code for a configuration that cannot start.
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verb = cli.verb.unwrap_or(Verb::Run);
    let dotenv_problem = match dotenvy::dotenv() {
        Ok(_) => None,
        Err(err) if err.not_found() => None,
        // The message names the line, never its value.
        Err(dotenvy::Error::LineParse(_, index)) => {
            Some(format!(".env: line {index} cannot be read"))
        }
        Err(_) => Some(".env cannot be read".to_owned()),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    if let Verb::Healthcheck = verb {
        return runtime.block_on(ops::healthcheck_from_env());
    }
    let config = match (Config::from_env(), dotenv_problem) {
        (Ok(config), None) => config,
        (result, dotenv_problem) => {
            let mut problems = dotenv_problem.into_iter().collect::<Vec<_>>();
            if let Err(err) = result {
                problems.extend(err.problems);
            }
            eprintln!("{}", ConfigError { problems });
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    match verb {
        Verb::Check => {
            let lines = runtime.block_on(check::run(&config));
            print!("{}", check::render(&lines));
            if !lines.iter().any(|line| line.failed()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Verb::Register => {
            telemetry::init(config.log_format, &config.log_filter);
            match runtime.block_on(app::register(config)) {
                Ok(()) => {
                    println!("Slash commands registered.");
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    eprintln!("{err:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Verb::Run | Verb::Healthcheck => {
            telemetry::init(config.log_format, &config.log_filter);
            let run = async { app::App::build(config).await?.run_until_stopped().await };
            match runtime.block_on(run) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    tracing::error!(error = %format!("{err:#}"), "nexudus-bot stopped");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
