# Multi-stage build: compile with the Rust toolchain, ship only the binary on distroless (non-root).
# Build: docker build -t nexudus-bot .   (podman: add --format docker, or it drops the HEALTHCHECK)
# CI replays the build stages without a container engine: scripts/check-image-context.sh.

# cargo-chef compiles the dependencies from a recipe of the manifests alone, so that layer
# is reused until Cargo.toml or Cargo.lock change; an edit in src/ rebuilds only the bot.
FROM rust:1.95-bookworm AS chef
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json --bin nexudus-bot
COPY . .
RUN cargo build --release --locked --bin nexudus-bot \
 && cp target/release/nexudus-bot /usr/local/bin/nexudus-bot
# An empty, non-root-owned /data for the SQLite volume.
RUN mkdir -p /data-template

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/nexudus-bot /usr/local/bin/nexudus-bot
COPY --from=build --chown=65532:65532 /data-template /data
ENV DATABASE_URL=sqlite:///data/nexudus-bot.db \
    OPS_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
# The bot's only allocator setting: no glibc per-thread cache, whose blocks the
# malloc_trim after the rate-limit sweep cannot return (docs/performance.md, "Memory").
ENV GLIBC_TUNABLES=glibc.malloc.tcache_count=0
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/usr/local/bin/nexudus-bot", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/nexudus-bot"]
CMD ["run"]
