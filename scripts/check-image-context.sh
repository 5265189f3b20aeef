#!/usr/bin/env bash
# Replays the Dockerfile's build stages without a container engine, so CI catches an image
# that cannot build.
#
# A container build sees only what each COPY has brought in so far, less what .dockerignore
# leaves out: a manifest naming a file that is copied later, or an ignore rule dropping a
# file the build reads, breaks the image while every cargo command in the checkout passes.
#
# Each stage before the runtime stage (the last FROM) starts from an empty folder, or from a
# copy of the stage it is built FROM; each COPY copies exactly what it would copy (from the
# context through .dockerignore, or with --from from an earlier stage's folder); the cargo
# commands of each RUN then run in order, the long compile replaced by its check:
#   cargo build ARGS              ->  cargo check ARGS
#   cargo chef cook ARGS          ->  cargo chef cook --check ARGS
#   cargo install CRATE --version V  ->  installed once under $CI_TOOLS_DIR (the Dockerfile pins V)
# Other cargo commands (fetch, chef prepare) run as written; other commands are skipped.
# A missing file fails here with cargo's own error.
#
#   scripts/check-image-context.sh [DOCKERFILE]    (default: Dockerfile; the context is the repository)
#
# Environment:
#   CARGO_TARGET_DIR  build cache; the replay uses its image-context/ folder (default: target/)
#   CI_TOOLS_DIR      where pinned tools are installed (default: ~/.cache/nexudus-bot/ci-tools)
set -euo pipefail
shopt -s nullglob dotglob

context="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="$(realpath "${1:-$context/Dockerfile}")"
tools_dir="${CI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nexudus-bot/ci-tools}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$context/target}/image-context"

work="$(mktemp -d "${TMPDIR:-/tmp}/image-context.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
    echo "check-image-context: $*" >&2
    exit 1
}

# --- .dockerignore --------------------------------------------------------------------------
# Docker's rules: patterns are relative to the context root, `*` and `?` stop at `/`, `**`
# crosses folders, `!` re-includes, the last matching line wins, and a pattern matching a
# folder covers everything below it.
ignore_regexes=()
ignore_negated=()
has_exceptions=0

pattern_to_regex() {
    local pattern=$1 regex="" ch i=0
    while ((i < ${#pattern})); do
        ch=${pattern:i:1}
        if [[ $ch == '*' && ${pattern:i+1:1} == '*' ]]; then
            i=$((i + 2))
            [[ ${pattern:i:1} == / ]] && i=$((i + 1))
            regex+='(.*/)?'
            ((i < ${#pattern})) || regex+='.*'
            continue
        fi
        case $ch in
            '*') regex+='[^/]*' ;;
            '?') regex+='[^/]' ;;
            \\) i=$((i + 1)); regex+="\\${pattern:i:1}" ;;
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' | '^') regex+="\\$ch" ;;
            *) regex+=$ch ;;
        esac
        i=$((i + 1))
    done
    printf '^%s$' "$regex"
}

if [[ -f $context/.dockerignore ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
        line="${line#"${line%%[![:space:]]*}"}"
        line="${line%"${line##*[![:space:]]}"}"
        [[ -z $line || $line == \#* ]] && continue
        negated=0
        if [[ $line == !* ]]; then
            negated=1
            has_exceptions=1
            line=${line#!}
        fi
        line=${line#/}
        line=${line#./}
        line=${line%/}
        ignore_regexes+=("$(pattern_to_regex "$line")")
        ignore_negated+=("$negated")
    done <"$context/.dockerignore"
fi

# Is this context-relative path (or a folder above it) left out of the build context?
is_ignored() {
    local path=$1 ignored=0 i candidate
    for i in "${!ignore_regexes[@]}"; do
        candidate=$path
        while :; do
            if [[ $candidate =~ ${ignore_regexes[i]} ]]; then
                ignored=$((1 - ignore_negated[i]))
                break
            fi
            [[ $candidate == */* ]] || break
            candidate=${candidate%/*}
        done
    done
    ((ignored))
}

# Prints the context files under a context-relative path that the build can see.
context_files() {
    local path=$1 entry
    if [[ $path != . ]] && is_ignored "$path"; then
        # Only a `!` line can bring back something below an ignored folder.
        ((has_exceptions)) && [[ -d $context/$path ]] || return 0
    fi
    if [[ -d $context/$path && ! -L $context/$path ]]; then
        for entry in "$context/$path"/*; do
            if [[ $path == . ]]; then
                context_files "${entry##*/}"
            else
                context_files "$path/${entry##*/}"
            fi
        done
    elif ! is_ignored "$path"; then
        printf '%s\n' "$path"
    fi
}

# --- Dockerfile -----------------------------------------------------------------------------
# One instruction per line: continuations joined, comments dropped.
instructions=()
pending=""
while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ $line == *\\ ]]; then
        pending+="${line%\\} "
        continue
    fi
    instructions+=("$pending$line")
    pending=""
done <"$dockerfile"
[[ -z $pending ]] || instructions+=("$pending")

last_from=-1
for i in "${!instructions[@]}"; do
    [[ ${instructions[i]} =~ ^[[:space:]]*[Ff][Rr][Oo][Mm][[:space:]] ]] && last_from=$i
done
((last_from >= 0)) || fail "$dockerfile has no FROM"

declare -A stage_root=()    # stage name (and index) -> its simulated root folder
declare -A stage_workdir=() # stage name (and index) -> its WORKDIR
stage_count=0
stage=""   # the current stage's name
root=""    # the current stage's root folder
workdir=/

# A path in the current stage, resolved as Docker does: relative to WORKDIR.
in_stage() {
    case $1 in
        /*) printf '%s%s' "$root" "$1" ;;
        *) printf '%s%s/%s' "$root" "${workdir%/}" "$1" ;;
    esac
}

do_from() {
    local args base
    read -ra args <<<"$1"
    [[ ${args[0]} == --platform=* ]] && args=("${args[@]:1}")
    base=${args[0],,}
    stage=${args[2]:-$stage_count}
    stage=${stage,,}
    root="$work/$stage"
    if [[ -n ${stage_root[$base]:-} ]]; then
        cp -a "${stage_root[$base]}" "$root"
        workdir=${stage_workdir[$base]}
    else
        mkdir -p "$root"
        workdir=/
    fi
    stage_count=$((stage_count + 1))
    stage_root[$stage]=$root
    stage_root[$((stage_count - 1))]=$root
    stage_workdir[$stage]=$workdir
    stage_workdir[$((stage_count - 1))]=$workdir
    echo "== stage $stage (FROM ${args[0]})"
}

do_workdir() {
    [[ $1 == /* ]] && workdir=$1 || workdir="${workdir%/}/$1"
    stage_workdir[$stage]=$workdir
    stage_workdir[$((stage_count - 1))]=$workdir
    mkdir -p "$(in_stage .)"
}

# Copies one file or folder to the destination; a folder's contents land in it, as in Docker.
copy_into() {
    local from=$1 target=$2 file
    if [[ -d $from ]]; then
        mkdir -p "$target"
        cp -R "$from/." "$target"
    elif [[ $target == */ ]]; then
        cp "$from" "$target"
    else
        mkdir -p "$(dirname "$target")"
        cp "$from" "$target"
    fi
}

do_copy() {
    local args from="" sources dest target src path file count=0 matches
    read -ra args <<<"$1"
    while [[ ${args[0]} == --* ]]; do
        case ${args[0]} in
            --from=*) from=${args[0]#--from=} ;;
            --chown=* | --chmod=* | --link) ;;
            *) fail "COPY ${args[0]} is not replayed; teach this script" ;;
        esac
        args=("${args[@]:1}")
    done
    [[ ${args[0]} != \[* ]] || fail "COPY in JSON form is not replayed: $1"
    ((${#args[@]} >= 2)) || fail "COPY needs a source and a destination: $1"
    sources=("${args[@]:0:${#args[@]}-1}")
    dest=${args[-1]}
    target=$(in_stage "$dest")
    # Docker copies into a folder when the destination says so or there are several sources.
    if [[ $dest == */ || $dest == . || -d $target || ${#sources[@]} -gt 1 ]]; then
        mkdir -p "$target"
        target="${target%/}/"
    fi

    for src in "${sources[@]}"; do
        if [[ -n $from ]]; then
            # From an earlier stage: its whole file system, no .dockerignore.
            path=${stage_root[${from,,}]:-}
            [[ -n $path ]] || fail "COPY --from=$from: not a build stage of this Dockerfile"
            [[ -e $path/${src#/} ]] || fail "COPY --from=$from $src: stage $from has no such file"
            copy_into "$path/${src#/}" "$target"
            count=$((count + $(find "$path/${src#/}" -type f | wc -l)))
            continue
        fi
        src=${src#./}
        src=${src%/}
        [[ -n $src ]] || src=.
        # A source may be a glob, resolved in the context.
        if [[ $src == *[*?[]* ]]; then
            # shellcheck disable=SC2086 # unquoted on purpose: the glob expands here
            read -ra matches <<<"$(cd "$context" && printf '%s ' $src)"
        elif [[ -e $context/$src ]]; then
            matches=("$src")
        else
            matches=()
        fi
        local found=0
        for path in "${matches[@]}"; do
            while IFS= read -r file; do
                found=1
                count=$((count + 1))
                if [[ $path == . ]]; then
                    copy_into "$context/$file" "${target%/}/$file"
                elif [[ -d $context/$path ]]; then
                    copy_into "$context/$file" "${target%/}/${file#"$path"/}"
                else
                    copy_into "$context/$file" "$target"
                fi
            done < <(context_files "$path")
        done
        ((found)) || fail "COPY $src: not in the build context (missing, or left out by .dockerignore)"
    done
    echo "COPY $1 ($count file$( ((count == 1)) || echo s))"
}

# Installs a pinned `cargo install` once, outside the repository, and puts it on PATH.
install_tool() {
    local args=("$@") crate="" version="" i
    for ((i = 2; i < ${#args[@]}; i++)); do
        case ${args[i]} in
            --version) version=${args[i + 1]:-}; i=$((i + 1)) ;;
            --version=*) version=${args[i]#--version=} ;;
            -*) ;;
            *) crate=${args[i]} ;;
        esac
    done
    [[ -n $crate && -n $version ]] || fail "unpinned '${args[*]}': give it --version"
    local dir="$tools_dir/$crate-$version"
    echo "+ ${args[*]}  (as $dir)"
    if [[ ! -d $dir/bin ]]; then
        # Its own temporary target dir, so the tool's build stays out of the shared cache.
        (cd / && env -u CARGO_TARGET_DIR cargo install --quiet --locked --root "$dir" "$crate" --version "$version")
    fi
    export PATH="$dir/bin:$PATH"
}

do_run() {
    local script=$1 segment words
    while [[ $script =~ ^[[:space:]]*--[a-z]+=[^[:space:]]+[[:space:]]+(.*)$ ]]; do
        script=${BASH_REMATCH[1]}
    done
    [[ $script != \[* ]] || fail "RUN in JSON form is not replayed: $script"
    # Commands joined with && or ; run one after the other; each cargo one is replayed.
    script=${script//&&/;}
    IFS=';' read -ra segments <<<"$script"
    for segment in "${segments[@]}"; do
        read -ra words <<<"$segment"
        ((${#words[@]})) || continue
        if [[ ${words[0]} != cargo ]]; then
            echo "skip: ${words[*]}"
            continue
        fi
        case ${words[1]} in
            install) install_tool "${words[@]}"; continue ;;
            build) words[1]=check ;;
            chef) [[ ${words[2]:-} != cook ]] || words+=(--check) ;;
        esac
        echo "+ ${words[*]}"
        (cd "$(in_stage .)" && "${words[@]}") ||
            fail "stage $stage: '${words[*]}' failed with only the files copied so far (cargo's error above)"
    done
}

for ((i = 0; i < last_from; i++)); do
    read -r keyword rest <<<"${instructions[i]}"
    case ${keyword^^} in
        FROM) do_from "$rest" ;;
        WORKDIR) do_workdir "$rest" ;;
        COPY) do_copy "$rest" ;;
        ADD) fail "ADD is not replayed; use COPY" ;;
        RUN) do_run "$rest" ;;
        *) ;; # ARG, ENV, LABEL, ...: no effect on which files the build sees
    esac
done
echo "image context OK: the build stages of ${dockerfile#"$context"/} have every file they need"
