#!/usr/bin/env bash
# Times opening the annotations view (`A` in the reader) on a library holding many
# annotations, the way a user opens it: in a private tmux server (120×40), from sending `A`
# until the view shows its first rows ("Annotations: the first 200 of N, reading the rest…"
# or "Annotations: N of N"), and until it has read every row ("Annotations: N of N"). tmux's
# own cost (a client process per send and per capture, a few ms) is included, as in the
# reader's keystroke rows. Prints tab-separated medians in µs (for scripts/bench.sh):
#
#   first<TAB>µs      the first rows shown
#   whole<TAB>µs      every row read
#   runs<TAB>N
#
#   scripts/bench-notes-view.sh LIBRARY    # opens the library's first document, then `A`
#
# Settings from the environment: PIZHU_BIN=PATH (else the release binary is built),
# BENCH_RUNS=N (default 3), BENCH_TIMEOUT=S (bound on each wait, default 60 s). Each run reads
# a copy of LIBRARY, which is left as it was. Needs bash ≥ 5 and tmux.
set -euo pipefail
cd "$(dirname "$0")/.."

lib=${1:-}
[ -n "$lib" ] && [ -r "$lib" ] || { echo "usage: scripts/bench-notes-view.sh LIBRARY" >&2; exit 2; }
runs=${BENCH_RUNS:-3}
cols=120 rows=40 quit_timeout_us=30000000
timeout_us=$((${BENCH_TIMEOUT:-60} * 1000000))

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-notes-view: $*"; exit 1; }
command -v tmux >/dev/null || die "needs tmux"
# shellcheck source=scripts/bench-data.sh
. scripts/bench-data.sh
bench_binary || die "no pizhu binary at ${bin:-target/release}"

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-notes-view.XXXXXX")
# shellcheck source=scripts/bench-tmux.sh
. scripts/bench-tmux.sh

# wait_for TEST: polls every ~5 ms until the function TEST holds for the captured screen
# (its argument); sets AT (µs since T0, or "timeout").
wait_for() {
  local screen
  while :; do
    screen=$(tm capture-pane -p -t run 2>/dev/null) || screen=""
    now
    if "$1" "$screen"; then AT=$((NOW - T0)); return 0; fi
    if ((NOW - T0 > timeout_us)); then
      AT=timeout
      say "  timed out ($1); the screen was:"
      printf '%s\n' "$screen" | head -n 5 | sed 's/^/  | /' >&2
      return 0
    fi
    nap 0.005
  done
}
library_shown() { [[ $1 == *" Library · "* ]]; }
reader_shown() { [[ $1 == *"段1/"* ]]; }
first_rows() { [[ $1 == *"Annotations: the first "* || $1 =~ Annotations:\ [0-9]+\ of\ [0-9]+ ]]; }
all_rows() { [[ $1 =~ Annotations:\ [0-9]+\ of\ [0-9]+ && $1 != *"reading the rest"* ]]; }

median() { sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]; else print "n/a"}'; }

: >"$work/first"
: >"$work/whole"
for ((r = 1; r <= runs; r++)); do
  rm -f "$work/lib.db"*
  for f in "$lib" "$lib"-wal; do if [ -e "$f" ]; then cp "$f" "$work/lib.db${f#"$lib"}"; fi; done
  say "run $r/$runs: pizhu --db LIB, Enter (the first document), then A"
  start env "PIZHU_CONFIG=$work/no-config.toml" "$bin" --db "$work/lib.db"
  wait_for library_shown
  [ "$AT" != timeout ] || die "no library view"
  tm send-keys -t run Enter
  wait_for reader_shown
  [ "$AT" != timeout ] || die "the first document did not open"
  nap 0.2 # let the reader settle
  now; T0=$NOW
  tm send-keys -t run A
  wait_for first_rows
  echo "$AT" >>"$work/first"
  say "  first rows: $AT µs"
  wait_for all_rows
  echo "$AT" >>"$work/whole"
  say "  every row: $AT µs"
  tm send-keys -t run Escape
  stop
done
printf 'first\t%s\nwhole\t%s\nruns\t%s\n' "$(median <"$work/first")" "$(median <"$work/whole")" "$runs"
