#!/usr/bin/env bash
# Gives a generated site a git history, for timing builds that read it.
#
#   bench/history.sh SITE INCIDENTS [SEED]
#
# Generates SITE with bench/generate (INCIDENTS incidents, 6 updates, 20 components,
# seed SEED, default 1) and its history, then imports that history with `git fast-import`:
# site.yaml first, then every incident committed in stages (its first update, half of
# them, all of them) at the times of its updates, and one in 25 with a wording corrected
# half an hour after publishing. Packs the repository as a clone would have it. The files
# on disk are the last commit's, so `git status` is clean.
set -euo pipefail
site="$1"
incidents="$2"
seed="${3:-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
(cd "$repo" && cargo build --release --quiet --manifest-path bench/generate/Cargo.toml --target-dir "$repo/target")
stream="$(mktemp "${TMPDIR:-/tmp}/candor-history.XXXXXX")"
trap 'rm -f "$stream"' EXIT
"$repo/target/release/candor-generate" --out "$site" --incidents "$incidents" --updates 6 --components 20 \
  --seed "$seed" --history "$stream" >&2
cd "$site"
git init -q -b main
git fast-import --quiet <"$stream"
git reset -q
git repack -adq
echo "$(git rev-list --count HEAD) commits in $site" >&2
