#!/usr/bin/env bash
# Sends what is new since the last delivery to every channel under `notify:`,
# then commits the ledger (.candor/delivered.json) back so the next run, on a
# push or on the schedule, starts from it. Run it after the deploy, in one
# concurrency group for every run, in a checkout with the full history.
#
# Environment: CANDOR_ROOT (the site folder, default .), and from Actions
# GITHUB_REF_NAME (the branch) and GITHUB_EVENT_NAME (`schedule` adds --remind).
set -euo pipefail
cd "${CANDOR_ROOT:-.}"

ledger=.candor/delivered.json
git pull --rebase origin "$GITHUB_REF_NAME"
remind=
[ "$GITHUB_EVENT_NAME" = schedule ] && remind=--remind
status=0
# shellcheck disable=SC2086 # an empty $remind adds no argument
candor notify $remind || status=$?
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
# A site without channels writes no ledger.
if [ -e "$ledger" ]; then
  git add "$ledger"
fi
if ! git diff --cached --quiet; then
  git commit -m "Record delivered notifications"
  pushed=
  for _ in 1 2 3 4 5; do
    git push origin "HEAD:$GITHUB_REF_NAME" && pushed=1 && break
    # During a rebase, --theirs is this run's ledger, built from the latest one
    # inside the concurrency group.
    git pull --rebase origin "$GITHUB_REF_NAME" || {
      git checkout --theirs "$ledger" && git add "$ledger" && GIT_EDITOR=true git rebase --continue
    }
  done
  if [ -z "$pushed" ]; then
    echo "::error::the ledger could not be pushed after 5 tries; the next run starts from the last pushed one and sends these events again, with the same Idempotency-Key"
    exit 1
  fi
fi
# Deliveries are committed even when one failed; the failure still shows.
exit $status
