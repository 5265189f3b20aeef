# syntax=docker/dockerfile:1.7
# Multi-stage build: compile with the Rust toolchain, ship only the binary on distroless (non-root).
# Build: docker build -t nexudus-bot .

FROM rust:1.95-bookworm AS build
WORKDIR /src
# Manifests first: the dependency download layer is reused while only src/ changes.
COPY Cargo.toml Cargo.lock ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo fetch --locked
COPY src ./src
COPY benches ./benches
# BuildKit cache mounts keep compiled dependencies between builds.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin nexudus-bot \
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
