//! The floor of the burst benchmark: the smallest serenity bot that answers
//! interactions, wired to Discord exactly as `nexudus-bot` is
//! (`HttpBuilder::new(token).proxy(base).ratelimiter_disabled(true)`,
//! `ClientBuilder::new_with_http(http, GatewayIntents::empty())`, a default
//! multi-threaded Tokio runtime), that defers every interaction (ephemeral)
//! and does nothing else: no storage, no limits, no logging.
//!
//! Whatever `nexudus-bot` takes beyond this bot's time to first callback is the
//! cost of its own work. `benches/burst` runs this code in a child process
//! (the bench binary re-executes itself, so it is built with the bench profile).
//! By hand, against a loopback fake Discord:
//!
//! ```text
//! DISCORD_TOKEN=MTIz.fake.token DISCORD_API_BASE=http://127.0.0.1:PORT \
//!     cargo run --release --example floor_bot
//! ```

use std::process::ExitCode;

use serenity::all::{
    ClientBuilder, Context, CreateInteractionResponse, CreateInteractionResponseMessage,
    EventHandler, GatewayIntents, HttpBuilder, Interaction,
};
use serenity::async_trait;

/// Defers every command, component and modal interaction, privately.
struct Floor;

#[async_trait]
impl EventHandler for Floor {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let (id, token) = match &interaction {
            Interaction::Command(cmd) => (cmd.id, &cmd.token),
            Interaction::Component(component) => (component.id, &component.token),
            Interaction::Modal(modal) => (modal.id, &modal.token),
            _ => return,
        };
        let defer = CreateInteractionResponse::Defer(
            CreateInteractionResponseMessage::new().ephemeral(true),
        );
        if let Err(err) = ctx
            .http
            .create_interaction_response(id, token, &defer, Vec::new())
            .await
        {
            eprintln!("floor_bot: deferring failed: {err}");
        }
    }
}

/// Reads `DISCORD_TOKEN` and `DISCORD_API_BASE`, connects, and serves until killed.
pub fn main() -> ExitCode {
    let (Ok(token), Ok(base)) = (
        std::env::var("DISCORD_TOKEN"),
        std::env::var("DISCORD_API_BASE"),
    ) else {
        eprintln!(
            "floor_bot: set DISCORD_TOKEN and DISCORD_API_BASE (an origin such as http://127.0.0.1:8765)"
        );
        return ExitCode::from(2);
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("floor_bot: start the Tokio runtime");
    runtime.block_on(async move {
        let http = HttpBuilder::new(&token)
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build();
        let mut client = match ClientBuilder::new_with_http(http, GatewayIntents::empty())
            .event_handler(Floor)
            .await
        {
            Ok(client) => client,
            Err(err) => {
                eprintln!("floor_bot: building the client failed: {err}");
                return ExitCode::FAILURE;
            }
        };
        match client.start().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("floor_bot: the gateway connection failed: {err}");
                ExitCode::FAILURE
            }
        }
    })
}
