#!/usr/bin/env bash
# Installs candor for the GitHub action (action.yml): compiled once per version,
# source and runner, restored from the cache on every later run.
#
#   install.sh key      writes `dir` (where candor goes) and `key` (the cache key:
#                       version, a digest of the source, runner OS and architecture)
#   install.sh install  uses DIR/bin/candor when the cache restored it, else
#                       compiles it there with `cargo install --locked`; puts
#                       DIR/bin on the PATH of later steps and writes `version`
#
# Outputs go to $GITHUB_OUTPUT and the PATH to $GITHUB_PATH (standard output and
# nowhere outside Actions). CANDOR_SOURCE is the candor source (default: the
# repository holding this script); CANDOR_HOME is `dir`, passed to `install`.
set -euo pipefail

source_dir="${CANDOR_SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}"
output="${GITHUB_OUTPUT:-/dev/stdout}"

version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$source_dir/Cargo.toml" | head -n 1
}

# Everything the binary is compiled from, so a change to any of it compiles anew.
digest() {
  (cd "$source_dir" && find Cargo.toml Cargo.lock build.rs src themes -type f -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c 1-16)
}

key() {
  local id
  id="$(version)-$(digest)"
  echo "dir=${RUNNER_TOOL_CACHE:-$HOME/.cache}/candor/$id" >>"$output"
  echo "key=candor-$id-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}" >>"$output"
}

install() {
  local dir="${CANDOR_HOME:?CANDOR_HOME names the folder to install into}"
  local bin="$dir/bin/candor"
  if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    echo "restored from the cache: $("$bin" --version)"
  else
    if ! command -v cargo >/dev/null 2>&1; then
      echo "::error::compiling candor needs cargo: add a Rust toolchain step (such as dtolnay/rust-toolchain@stable) before this action"
      exit 1
    fi
    # The action's copy of the repository has no .git: name the commit from the ref when it is one.
    if [ -z "${CANDOR_COMMIT:-}" ] && [[ "${GITHUB_ACTION_REF:-}" =~ ^[0-9a-f]{40}$ ]]; then
      export CANDOR_COMMIT="$GITHUB_ACTION_REF"
    fi
    echo "compiling candor $(version) once for this runner; later runs restore it from the cache"
    local start=$SECONDS
    cargo install --path "$source_dir" --locked --root "$dir"
    echo "compiled and installed in $((SECONDS - start)) s"
  fi
  echo "$dir/bin" >>"${GITHUB_PATH:-/dev/null}"
  echo "version=$("$bin" --version)" >>"$output"
}

case "${1:-}" in
  key) key ;;
  install) install ;;
  *)
    echo "usage: $0 key|install" >&2
    exit 2
    ;;
esac
