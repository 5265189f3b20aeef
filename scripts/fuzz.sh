#!/usr/bin/env bash
# Builds the fuzz targets of fuzz/ and runs each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
#   SECONDS   time per target (default: $FUZZ_SECONDS, else 60)
#   TARGET    envelope, limit, portal_pages, email, webhook (default: all of them)
#
# Environment:
#   FUZZ_SECONDS    time per target when no SECONDS argument is given
#   FUZZ_SANITIZER  address (default, as cargo-fuzz), leak, memory, thread or none
#                   (none is 2-3x faster; Rust code rarely needs ASan)
#   FUZZ_ARGS       extra libFuzzer flags, e.g. "-max_len=4096"
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and a C++ compiler
# (libfuzzer-sys builds libFuzzer). Works on the stable toolchain: cargo-fuzz
# passes nightly-only `-Z` flags (the sanitizer, coverage instrumentation) to
# rustc, and RUSTC_BOOTSTRAP=1 makes stable rustc accept them.
#
# The working corpus grows in fuzz/corpus/<target>/ (seeded from the curated
# tests/fuzz_corpus/<target>/, which is read but never written); crashers land
# in fuzz/artifacts/<target>/. Both are git-ignored: copy a crasher worth
# keeping into tests/fuzz_corpus/<target>/ so `cargo test --test
# fuzz_regressions` replays it. Exits non-zero when any target crashed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
all_targets=(envelope limit portal_pages email webhook)

seconds="${FUZZ_SECONDS:-60}"
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
    seconds="$1"
    shift
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    case " ${all_targets[*]} " in
    *" ${target} "*) ;;
    *)
        echo "unknown target '${target}' (known: ${all_targets[*]})" >&2
        exit 2
        ;;
    esac
done
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

export RUSTC_BOOTSTRAP=1
sanitizer=(--sanitizer "${FUZZ_SANITIZER:-address}")
read -r -a extra <<<"${FUZZ_ARGS:-}"

cd "${root}/fuzz"
echo "==> building ${targets[*]} (sanitizer ${FUZZ_SANITIZER:-address})"
for target in "${targets[@]}"; do
    cargo fuzz build "${sanitizer[@]}" "${target}"
done

summary=()
failed=0
for target in "${targets[@]}"; do
    corpus="corpus/${target}"
    seeds="${root}/tests/fuzz_corpus/${target}"
    mkdir -p "${corpus}" "artifacts/${target}"
    flags=(-max_total_time="${seconds}" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048)
    [[ -f "dicts/${target}.dict" ]] && flags+=(-dict="dicts/${target}.dict")
    log="$(mktemp)"
    echo "==> fuzzing ${target} for ${seconds}s"
    status=ok
    {
        cargo fuzz run "${sanitizer[@]}" "${target}" "${corpus}" "${seeds}" -- \
            "${flags[@]}" "${extra[@]}" 2>&1 && rc=0 || rc=$?
        echo "fuzz.sh: exit status ${rc}"
    } | tee "${log}" | grep --line-buffered -E '^#[0-9]+[[:space:]]+(INITED|pulse|DONE)|^==[0-9]+==|^SUMMARY|panicked at' || true
    if ! grep -q '^fuzz.sh: exit status 0$' "${log}"; then
        status=CRASH
        failed=1
        echo "--- ${target}: end of the run ---"
        tail -n 40 "${log}"
    fi
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -n1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log}" | tail -n1)"
    units="$(find "${corpus}" -type f | wc -l)"
    summary+=("$(printf '%-13s %-6s %10s runs %8s exec/s %6s corpus files' \
        "${target}" "${status}" "${runs:-?}" "${speed:-?}" "${units}")")
    rm -f "${log}"
done

echo
echo "==> summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [[ ${failed} -ne 0 ]]; then
    echo "crashers are in ${root}/fuzz/artifacts/<target>/; reproduce with:" >&2
    echo "  cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run <target> artifacts/<target>/<file>" >&2
    exit 1
fi
