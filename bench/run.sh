#!/usr/bin/env bash
# Benchmarks candor on synthetic sites and prints a Markdown table.
#
#   bench/run.sh [CSTATE_DIR]
#
# 1. Builds candor in release mode and generates two sites with
#    bench/generate (1,000 and 10,000 incidents, 6 updates each,
#    20 components, seed 1).
# 2. Times full builds of each (BENCH_RUNS runs, default 3; the median is
#    reported) with /usr/bin/time -v: wall and CPU time, peak RSS, files and
#    bytes written, the size of the front page and of the largest file, and
#    the 10,000 vs 1,000 time ratio.
# 3. Times `cp -r` of the 10,000-incident output: the copy floor.
# 4. If `candor watch` exists, measures a one-file edit rebuild on the
#    10,000-incident site: the time from replacing one incident file until
#    its page on disk changes (BENCH_RUNS edits); otherwise says it skipped.
#    If `candor import` exists, writes the 10,000-incident site as a
#    Statuspage export (bench/to_statuspage.py, from its own built
#    incident.json files) and times importing it into a new site and
#    building the result (BENCH_RUNS runs each). Times the cost of audiences
#    and of corrections: the 10,000-incident site against the same site
#    without audiences, and with a git history (bench/history.sh) against
#    the same files outside git, each pair built in turn, wall and CPU time.
# 5. If hugo is available (installed with apt-get when missing and possible):
#    a bare one-template Hugo site with the same 10,000 (and 1,000) incident
#    texts; and, if CSTATE_DIR (a checkout of github.com/cstate/cstate) is
#    given, the same incidents as a cState site, timed for 1,000 incidents
#    (and 10,000 when BENCH_CSTATE_10K=1: it takes many minutes).
#
# Environment: BENCH_RUNS (default 3), BENCH_SETTLE (seconds to wait before
# timing, default 65; see below), BENCH_CSTATE_10K=1, BENCH_SIZES
# (default "1000 10000"), BENCH_KEEP=1 keeps the temporary folder,
# CANDOR=PATH uses that binary instead of building this checkout, TMPDIR
# chooses where the sites and outputs go (e.g. /dev/shm to leave the disk out).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cstate_dir="${1:-}"
runs="${BENCH_RUNS:-3}"
sizes="${BENCH_SIZES:-1000 10000}"
updates=6
components=20
seed=1

if [[ -n "$cstate_dir" ]]; then
  if [[ ! -f "$cstate_dir/theme.toml" || ! -d "$cstate_dir/layouts" ]]; then
    echo "error: $cstate_dir does not look like a cState checkout (no theme.toml or layouts/)" >&2
    exit 2
  fi
  cstate_dir="$(cd "$cstate_dir" && pwd)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/candor-bench.XXXXXX")"
watch_pid=""
cleanup() {
  if [[ -n "$watch_pid" ]]; then
    kill "$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
  fi
  if [[ "${BENCH_KEEP:-}" == 1 ]]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

# Installs a Debian package, if apt-get can be used (as root).
apt_install() {
  local package="$1"
  command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]] || return 1
  log "installing $package with apt-get"
  apt-get install -y "$package" >/dev/null 2>&1 && return 0
  apt-get update >/dev/null 2>&1 && apt-get install -y "$package" >/dev/null 2>&1 && return 0
  log "could not install $package"
  return 1
}

# ensure COMMAND PACKAGE: installs PACKAGE when COMMAND is missing.
ensure() {
  local command="$1" package="$2"
  if [[ "$command" == /* ]]; then
    [[ -x "$command" ]] && return 0
  elif command -v "$command" >/dev/null 2>&1; then
    return 0
  fi
  apt_install "$package"
}

ensure /usr/bin/time time || { log "error: /usr/bin/time is needed (Debian package time)"; exit 1; }

now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }

# The median of numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# timed NAME COMMAND...: runs COMMAND under /usr/bin/time -v; sets the
# globals wall_ms (measured around it, in ms), cpu_ms (user + system) and
# rss_kb (peak RSS).
timed() {
  local name="$1"
  shift
  local start
  start=$(now_ns)
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    wall_ms=$(ms_since "$start")
    rss_kb=0
    cpu_ms=0
    return 1
  fi
  wall_ms=$(ms_since "$start")
  rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
  cpu_ms=$(awk -F': ' '/(User|System) time \(seconds\)/ { t += $2 } END { printf "%d", t * 1000 }' "$work/$name.time")
}

# The smallest and largest of numbers (ms), as "min–max s".
spread() {
  printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f–%.3f s", lo / 1000, hi / 1000 }'
}

# build_once NAME ROOT: one `candor build` of ROOT into the new folder $work/NAME-out
# under `timed` (so it sets wall_ms, cpu_ms and rss_kb); stops the benchmark if it fails.
# Every build writes a new folder and nothing is deleted until the end: deleting
# thousands of files just before a run slows file creation on ext4 (and discards
# on virtual disks) and would be measured too.
build_once() {
  local name="$1" root="$2"
  sync
  if ! timed "$name" "$candor" build --root "$root" --out "$work/$name-out"; then
    log "error: candor build failed on $root:"
    head -50 "$work/$name.err" >&2
    exit 1
  fi
}

fmt_s() { awk -v ms="$1" 'BEGIN { printf "%.3f s", ms / 1000 }'; }
fmt_mb() { awk -v kb="$1" 'BEGIN { printf "%.0f MiB", kb / 1024 }'; }
fmt_bytes() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.1f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'; }
# faster OURS THEIRS (ms): "candor N× faster" or "candor N× slower".
faster() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a <= 0 || b <= 0) print "n/a"; else if (b >= a) printf "candor %.1f× faster", b / a; else printf "candor %.1f× slower", a / b }'
}

# ratio A B [DIGITS]: A / B with one decimal (or DIGITS).
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "n/a" }'; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "== machine"
log "cpus: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); memory: $(free -h | awk '/Mem:/ { print $2 }')"

if [[ -n "${CANDOR:-}" ]]; then
  candor="$(cd "$(dirname "$CANDOR")" && pwd)/$(basename "$CANDOR")"
  log "== using the candor binary given in CANDOR: $candor"
else
  log "== building candor (release)"
  (cd "$repo" && cargo build --release --quiet)
  candor="$repo/target/release/candor"
fi
"$candor" --version >&2
log "== building the site generator (bench/generate, release)"
(cd "$repo" && cargo build --release --quiet --manifest-path bench/generate/Cargo.toml --target-dir "$repo/target")
generate="$repo/target/release/candor-generate"

declare -A result

# ext4 without a journal (as on the machine in BENCHMARKS.md) passes over
# inodes freed in the last minute (five while their block is unwritten) when it
# allocates new ones, so creating files soon after deleting many (a test run,
# an earlier benchmark) is slow for a while. Wait that out once.
settle="${BENCH_SETTLE:-65}"
log "== letting the file system settle for $settle s (BENCH_SETTLE)"
sync
sleep "$settle"

for n in $sizes; do
  site="$work/site-$n"
  log "== N=$n: generating"
  "$generate" --out "$site" --incidents "$n" --updates "$updates" --components "$components" --seed "$seed" >&2
  result[input_bytes_$n]=$(du -sb "$site/incidents" | cut -f1)
  walls=()
  rsses=()
  cpus=()
  for ((r = 1; r <= runs; r++)); do
    build_once "build-$n-$r" "$site"
    walls+=("$wall_ms")
    rsses+=("$rss_kb")
    cpus+=("$cpu_ms")
    log "   run $r: $(fmt_s "$wall_ms") (CPU $(fmt_s "$cpu_ms")), peak RSS $(fmt_mb "$rss_kb"): $(cat "$work/build-$n-$r.out")"
  done
  result[wall_$n]=$(median "${walls[@]}")
  result[spread_$n]=$(spread "${walls[@]}")
  result[cpu_$n]=$(fmt_s "$(median "${cpus[@]}")")
  result[rss_$n]=$(median "${rsses[@]}")
  result[files_$n]=$(find "$work/build-$n-1-out" -type f | wc -l)
  result[entries_$n]=$(find "$work/build-$n-1-out" | wc -l)
  result[bytes_$n]=$(du -sb "$work/build-$n-1-out" | cut -f1)
  result[file_bytes_$n]=$(find "$work/build-$n-1-out" -type f -printf '%s\n' | awk '{ t += $1 } END { printf "%d", t }')
  result[index_$n]=$(stat -c %s "$work/build-$n-1-out/index.html")
  largest=$(find "$work/build-$n-1-out" -type f -printf '%s %P\n' | sort -n | tail -1)
  result[largest_$n]="${largest#* } ($(fmt_bytes "${largest%% *}"))"
  result[largest_html_$n]=$(find "$work/build-$n-1-out" -type f -name '*.html' -printf '%s %P\n' | sort -n | tail -1 |
    awk '{ printf "%s (%.1f KiB)", $2, $1 / 1024 }')
done

big=""
for n in $sizes; do big="$n"; done

# The copy floor: copying the biggest output, warm cache, same run.
log "== copy floor: cp -r of the N=$big output"
copies=()
for ((r = 1; r <= runs; r++)); do
  sync
  timed "copy-$r" cp -r "$work/build-$big-1-out" "$work/copy-$r"
  copies+=("$wall_ms")
  log "   run $r: $(fmt_s "$wall_ms")"
done
result[copy]=$(median "${copies[@]}")
result[copy_spread]=$(spread "${copies[@]}")

# One-file edit rebuild with `candor watch`, on a copy of the biggest site.
edit_result="skipped: candor watch not available yet"
help_text="$("$candor" --help 2>/dev/null || true)"
if grep -qE '^ +watch\b' <<<"$help_text"; then
  log "== edit rebuild with candor watch (N=$big)"
  wsite="$work/watch-site"
  cp -r "$work/site-$big" "$wsite"
  wout="$work/watch-out"
  "$candor" watch --root "$wsite" --out "$wout" --verbose >"$work/watch.log" 2>&1 &
  watch_pid=$!
  start=$(now_ns)
  until [[ -f "$wout/index.html" ]]; do
    if ! kill -0 "$watch_pid" 2>/dev/null; then
      log "candor watch exited:"
      cat "$work/watch.log" >&2
      watch_pid=""
      break
    fi
    if (($(ms_since "$start") > 300000)); then
      log "candor watch did not build within 5 minutes"
      break
    fi
    sleep 0.05
  done
  if [[ -n "$watch_pid" && -f "$wout/index.html" ]]; then
    sleep 2 # let the first build settle and the watcher start listening
    file=$(find "$wsite/incidents" -name '*.yaml' | sort | sed -n 1p)
    id=$(basename "$file" .yaml)
    page="$wout/incidents/$id/index.html"
    edits=()
    for ((r = 1; r <= runs; r++)); do
      marker="bench-edit-$r-$$"
      # Rewrite the title, write beside it (hidden, so candor ignores it) and
      # rename over it, as editors do: one atomic change.
      sed "1s/^title: \"/title: \"$marker /" "$file" >"$wsite/incidents/.bench-edit.tmp"
      start=$(now_ns)
      mv "$wsite/incidents/.bench-edit.tmp" "$file"
      ok=0
      while (($(ms_since "$start") < 60000)); do
        if grep -qF "$marker" "$page" 2>/dev/null; then
          ok=1
          break
        fi
      done
      if ((ok)); then
        edits+=("$(ms_since "$start")")
        log "   edit $r: ${edits[-1]} ms"
      else
        log "   edit $r: the page did not change within 60 s"
      fi
      sleep 3 # let the watcher settle before the next edit
    done
    if ((${#edits[@]})); then
      result[edit]=$(median "${edits[@]}")
      own=$(grep -o 'rebuilt after a change in [0-9.]* ms' "$work/watch.log" | awk '{ print $6 }' | sort -n |
        awk '{ a[NR] = $1 } END { if (NR) printf "%s ms", a[int((NR + 1) / 2)] }')
      first=$(grep -o 'pages first, in [0-9.]* ms' "$work/watch.log" | awk '{ print $4 }' | sort -n |
        awk '{ a[NR] = $1 } END { if (NR) printf "%s ms", a[int((NR + 1) / 2)] }')
      edit_result="${result[edit]} ms (median of ${#edits[@]} edits, until the page changed on disk; watch itself reported the edited page written after ${first:-nothing} and the whole rebuild done after ${own:-nothing})"
    else
      edit_result="not measured: the page did not change within 60 s"
    fi
    log "   candor watch --verbose said:"
    sed 's/^/     /' "$work/watch.log" | tail -8 >&2
  else
    edit_result="not measured: candor watch did not produce a first build"
  fi
  if [[ -n "$watch_pid" ]]; then
    kill "$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
    watch_pid=""
  fi
else
  log "skipped: candor watch not available yet"
fi

# What audiences and corrections cost. Each is timed against the same site without
# the feature, the two built in turn (without, with, without, ...) so that what the disk
# went through before a build weighs on both alike; CPU time is compared too, as it
# depends less on the disk. Audiences: the N=$big site against the one generated with
# --audiences 0. Corrections: the N=$big site with a git history (bench/history.sh),
# whose first build reads the history and whose later ones find it in .candor/cache,
# against a copy of the same files outside git.
#
# paired A_NAME A_ROOT B_NAME B_ROOT: BENCH_RUNS builds of each, alternated; sets
# pair_result to B's medians against A's, and the last B build's folder in pair_out.
paired() {
  local a="$1" a_root="$2" b="$3" b_root="$4" r
  local a_walls=() a_cpus=() b_walls=() b_cpus=()
  for ((r = 1; r <= runs; r++)); do
    build_once "$a-$r" "$a_root"
    a_walls+=("$wall_ms")
    a_cpus+=("$cpu_ms")
    log "   $a, run $r: $(fmt_s "$wall_ms") (CPU $(fmt_s "$cpu_ms")), peak RSS $(fmt_mb "$rss_kb")"
    build_once "$b-$r" "$b_root"
    b_walls+=("$wall_ms")
    b_cpus+=("$cpu_ms")
    log "   $b, run $r: $(fmt_s "$wall_ms") (CPU $(fmt_s "$cpu_ms")), peak RSS $(fmt_mb "$rss_kb")"
  done
  local aw bw ac bc
  aw=$(median "${a_walls[@]}")
  bw=$(median "${b_walls[@]}")
  ac=$(median "${a_cpus[@]}")
  bc=$(median "${b_cpus[@]}")
  pair_result="wall $(fmt_s "$bw") ($(spread "${b_walls[@]}")) against $(fmt_s "$aw") ($(spread "${a_walls[@]}")): $(ratio "$bw" "$aw" 2)×; CPU $(fmt_s "$bc") against $(fmt_s "$ac"): $(ratio "$bc" "$ac" 2)×"
  pair_out="$work/$b-$runs-out"
}
log "== N=$big without and with audiences, in turn"
"$generate" --out "$work/plain-$big" --incidents "$big" --updates "$updates" --components "$components" \
  --seed "$seed" --audiences 0 >&2
paired plain "$work/plain-$big" audiences "$work/site-$big"
audiences_result="with 4 audiences against none: $pair_result"
history_result="skipped: no git"
if command -v git >/dev/null 2>&1; then
  log "== N=$big with a git history"
  "$here/history.sh" "$work/history-$big" "$big" "$seed"
  commits=$(git -C "$work/history-$big" rev-list --count HEAD)
  mkdir "$work/nogit-$big"
  (cd "$work/history-$big" && tar --exclude=./.git -cf - .) | (cd "$work/nogit-$big" && tar -xf -)
  build_once history-cold "$work/history-$big"
  result[history_cold]=$wall_ms
  log "   first build (reads the history): $(fmt_s "$wall_ms") (CPU $(fmt_s "$cpu_ms")), peak RSS $(fmt_mb "$rss_kb")"
  paired nogit "$work/nogit-$big" history "$work/history-$big"
  edited=$( (grep -rl 'class="edited"' "$pair_out/incidents" || true) | wc -l)
  history_result="$commits commits, $edited incident pages showing an edit; first build $(fmt_s "${result[history_cold]}") ($(ratio "${result[history_cold]}" "${result[wall_$big]}")× the build without history); later builds with the cache against the same files outside git: $pair_result"
fi

# Import: a Statuspage export of the biggest site (every incident and maintenance in the
# public API's shape, from the site's own built incident.json files), imported into a new
# site with `candor import statuspage`, then that site built.
import_result="skipped: candor import not available yet"
if grep -qE '^ +import\b' <<<"$help_text" && command -v python3 >/dev/null 2>&1; then
  log "== import of the N=$big incidents from a Statuspage export"
  isite="$work/import-source"
  cp -r "$work/site-$big" "$isite"
  # Each incident has its own incident.json only within history_days.
  sed -i 's/^history_days:.*/history_days: 3650/' "$isite/site.yaml"
  "$candor" build --root "$isite" --out "$work/import-source-out" >/dev/null
  python3 "$here/to_statuspage.py" "$work/import-source-out" "$work/statuspage-export" >&2
  result[export_bytes]=$(du -sb "$work/statuspage-export" | cut -f1)
  imports=()
  ibuilds=()
  for ((r = 1; r <= runs; r++)); do
    sync
    if ! timed "import-$r" "$candor" import statuspage "$work/statuspage-export" --root "$work/imported-$r"; then
      log "error: candor import failed:"
      head -30 "$work/import-$r.err" >&2
      exit 1
    fi
    imports+=("$wall_ms")
    irss=$rss_kb
    sync
    if ! timed "import-build-$r" "$candor" build --root "$work/imported-$r" --out "$work/imported-out-$r" --now 2026-11-20T12:00:00+02:00; then
      log "error: building the imported site failed:"
      head -30 "$work/import-build-$r.err" >&2
      exit 1
    fi
    ibuilds+=("$wall_ms")
    log "   run $r: import $(fmt_s "${imports[-1]}") (peak RSS $(fmt_mb "$irss")), build of the result $(fmt_s "$wall_ms")"
  done
  result[import]=$(median "${imports[@]}")
  result[import_build]=$(median "${ibuilds[@]}")
  written=$(grep -o 'files written: [0-9]*' "$work/import-1.out" | awk '{ print $3 }')
  import_result="$(fmt_s "${result[import]}") ($(spread "${imports[@]}")) for $(fmt_bytes "${result[export_bytes]}") of JSON, ${written:-?} files written; the imported site builds in $(fmt_s "${result[import_build]}") ($(spread "${ibuilds[@]}")); import / N=$big build: $(ratio "${result[import]}" "${result[wall_$big]}")×"
else
  log "skipped: candor import not available yet (or no python3)"
fi

# Hugo comparisons.
hugo_note=""
have_hugo=0
have_yaml=0
if ensure hugo hugo; then
  have_hugo=1
  hugo_note="$(hugo version 2>/dev/null | sed -n 1p)"
  log "== $hugo_note"
else
  log "skipped: hugo is not installed and could not be installed (Debian package hugo)"
fi
if ((have_hugo)); then
  if python3 -c 'import yaml' 2>/dev/null; then
    have_yaml=1
  elif apt_install python3-yaml && python3 -c 'import yaml' 2>/dev/null; then
    have_yaml=1
  fi
fi
if ((have_hugo)) && ! ((have_yaml)); then
  log "skipped: the Hugo conversions need python3 with PyYAML (Debian package python3-yaml)"
fi

# hugo_time NAME SITE_DIR RUN: times a full hugo build into SITE_DIR/public-RUN; sets wall_ms, rss_kb.
hugo_time() {
  local name="$1" dir="$2" run="$3"
  rm -rf "$dir/resources"
  sync
  if ! timed "$name" hugo --quiet --cacheDir "$work/hugo-cache" --source "$dir" --destination "$dir/public-$run"; then
    log "error: hugo failed on $dir:"
    sed -n '1,20s/^/     /p' "$work/$name.err" >&2
    return 1
  fi
}

# Builds the Hugo site in DIR COUNT times as NAME-1, NAME-2, ...; sets hugo_result to a summary
# (or to the error) and hugo_wall to the median wall time in ms; returns 1 if a build failed.
hugo_runs() {
  local name="$1" dir="$2" count="$3" r
  local walls=() rsses=()
  for ((r = 1; r <= count; r++)); do
    if ! hugo_time "$name-$r" "$dir" "$r"; then
      hugo_result="failed: $(grep -m1 -i error "$work/$name-$r.err" || head -1 "$work/$name-$r.err")"
      return 1
    fi
    walls+=("$wall_ms")
    rsses+=("$rss_kb")
    log "   run $r: $(fmt_s "$wall_ms") (CPU $(fmt_s "$cpu_ms")), peak RSS $(fmt_mb "$rss_kb")"
  done
  hugo_wall=$(median "${walls[@]}")
  hugo_result="$(fmt_s "$hugo_wall") ($(spread "${walls[@]}")), $(fmt_mb "$(median "${rsses[@]}")"), $(find "$dir/public-1" -type f | wc -l) files"
}

for n in $sizes; do
  result[bare_$n]="skipped (no hugo)"
  result[cstate_$n]="skipped (no CSTATE_DIR given)"
  [[ -n "$cstate_dir" ]] && ! ((have_hugo)) && result[cstate_$n]="skipped (no hugo)"
done

if ((have_hugo && have_yaml)); then
  for n in $sizes; do
    log "== bare Hugo, N=$n"
    bare="$work/bare-$n"
    python3 "$here/to_hugo.py" bare "$work/site-$n" "$bare" >&2
    if hugo_runs "bare-$n" "$bare" "$runs"; then
      result[bare_wall_$n]=$hugo_wall
    fi
    result[bare_$n]=$hugo_result
    rm -rf "$bare"
  done

  if [[ -n "$cstate_dir" ]]; then
    for n in $sizes; do
      if ((n > 1000)) && [[ "${BENCH_CSTATE_10K:-}" != 1 ]]; then
        result[cstate_$n]="skipped (set BENCH_CSTATE_10K=1; takes many minutes)"
        continue
      fi
      log "== Hugo + cState, N=$n"
      cs="$work/cstate-$n"
      python3 "$here/to_hugo.py" cstate "$work/site-$n" "$cs" "$cstate_dir" >&2
      cruns=$runs
      ((n > 1000)) && cruns=1
      if hugo_runs "cstate-$n" "$cs" "$cruns"; then
        result[cstate_wall_$n]=$hugo_wall
        hugo_result+=" (median of $cruns)"
      fi
      result[cstate_$n]=$hugo_result
      rm -rf "$cs"
    done
  fi
fi

# The table.
header="| measurement |"
rule="| --- |"
for n in $sizes; do
  header+=" N=$n |"
  rule+=" --- |"
done
row() {
  local label="$1" key="$2" line
  line="| $label |"
  for n in $sizes; do line+=" ${result[${key}_$n]:-n/a} |"; done
  echo "$line"
}
for n in $sizes; do
  result[wall_fmt_$n]="$(fmt_s "${result[wall_$n]}") (${result[spread_$n]})"
  result[rss_fmt_$n]=$(fmt_mb "${result[rss_$n]}")
  result[bytes_fmt_$n]="${result[bytes_$n]} ($(fmt_bytes "${result[bytes_$n]}"); files alone $(fmt_bytes "${result[file_bytes_$n]}"))"
  result[files_fmt_$n]="${result[files_$n]} files (${result[entries_$n]} entries with folders)"
  result[index_fmt_$n]=$(fmt_bytes "${result[index_$n]}")
  result[input_fmt_$n]=$(fmt_bytes "${result[input_bytes_$n]}")
  if [[ -n "${result[cstate_wall_$n]:-}" ]]; then
    result[vs_cstate_$n]=$(faster "${result[wall_$n]}" "${result[cstate_wall_$n]}")
  fi
  if [[ -n "${result[bare_wall_$n]:-}" ]]; then
    result[vs_bare_$n]=$(faster "${result[wall_$n]}" "${result[bare_wall_$n]}")
  fi
done
first=""
for n in $sizes; do [[ -z "$first" ]] && first="$n"; done

echo
echo "## Results ($(date -u +%Y-%m-%d), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), median of $runs runs)"
echo
echo "$header"
echo "$rule"
row "input (incidents/)" input_fmt
row "candor build, wall" wall_fmt
row "candor build, CPU time (user + system)" cpu
row "candor build, peak RSS" rss_fmt
row "files written" files_fmt
row "bytes written (du -sb)" bytes_fmt
row "index.html" index_fmt
row "largest file" largest
row "largest HTML page" largest_html
row "Hugo + cState" cstate
row "candor vs Hugo + cState" vs_cstate
row "bare Hugo (one template)" bare
row "candor vs bare Hugo" vs_bare
echo
echo "| measurement | value |"
echo "| --- | --- |"
if [[ "$first" != "$big" ]]; then
  echo "| time ratio N=$big / N=$first | $(ratio "${result[wall_$big]}" "${result[wall_$first]}")× (incidents: $(ratio "$big" "$first")×) |"
fi
echo "| copy floor: \`cp -r\` of the N=$big output | $(fmt_s "${result[copy]}") (${result[copy_spread]}) |"
echo "| candor N=$big build / copy floor | $(ratio "${result[wall_$big]}" "${result[copy]}")× |"
echo "| one-file edit rebuild (candor watch, N=$big) | $edit_result |"
echo "| candor import statuspage of the N=$big incidents | $import_result |"
echo "| audiences (N=$big) | $audiences_result |"
echo "| corrections from git history (N=$big) | $history_result |"
[[ -n "$hugo_note" ]] && echo "| hugo | $hugo_note |"
if [[ -n "${CANDOR:-}" ]]; then
  echo "| candor | $("$candor" --version), binary $candor |"
else
  echo "| candor | $("$candor" --version) at $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$repo" && git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)') |"
fi
echo "| temporary folder | $(df -PT "$work" | awk 'NR == 2 { print $2 " (" $1 ")" }'), load average before: $load_before |"
