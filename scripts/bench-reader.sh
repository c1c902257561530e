#!/usr/bin/env bash
# Measures the reader (`pizhu FILE`) on one big document, against `less` as the reference,
# and prints a Markdown table (or, with BENCH_FORMAT=tsv, tab-separated figures for
# scripts/bench.sh, which runs this script as one of its parts).
#
#   scripts/bench-reader.sh            # a ~300 MiB document
#   scripts/bench-reader.sh --quick    # a ~30 MiB document
#
# Settings from the environment:
#   PIZHU_BIN=PATH      the binary to measure (else the release binary is built)
#   BENCH_FILE=PATH     the document to open (else one is made: scripts/bench-data.sh); it
#                       must start with the fixtures as bench_document writes them
#   BENCH_RUNS=N        whole runs per case (default 3): first screen, load, keys, memory
#   BENCH_SCREENS=N     first screens only, per case, after the runs (default 10): each
#                       process is killed once its screen is full; the first-screen medians
#                       are over the runs and these
#   BENCH_KEYS=N        keystrokes per key per session (default 50)
#   BENCH_TIMEOUT=S     bound on each wait for a first screen (default 120 s)
#   BENCH_FORMAT=tsv    print `name<TAB>value` lines (times in µs, memory in kB, or a word:
#                       n/a, timeout, exited, skipped) instead of the Markdown table
#
# What it measures, every tool the same way inside a private tmux server (120×40):
#   1. time to the first full screen: from starting the command until `tmux capture-pane`
#      shows at least 35 of the 40 rows non-blank AND a known string from the start of the
#      document (so pizhu's placeholder screens, "loading…" or, during an import, "no
#      document open", do not count). Cases: `less FILE`; `pizhu --db LIB.db FILE`, LIB.db
#      a library holding one small fixture, so the file is new to an existing library (pizhu
#      shows the beginning of the file while it imports it); `pizhu --db LIB.db` after
#      quitting (pizhu restores the last open panes). Each BENCH_RUNS times (a fresh library
#      for each import), then BENCH_SCREENS times more, interleaved (less, new, reopen), each
#      process killed (SIGKILL) once its screen is full; the median of all is reported.
#   2. keystroke to frame: `j` and `Space`, BENCH_KEYS each; per key, the time from `tmux
#      send-keys` until the captured screen (with attributes: pizhu's `j` moves a highlighted
#      cursor) changes. p50 and p99. This includes tmux's own cost (a client process per send
#      and per capture, a few ms each); `less`, measured the same way, shows that floor.
#      Also the first paint: the first screen with anything on it. And the same keystrokes
#      timed inside pizhu (PIZHU_FRAME_LOG: from reading the key to the end of its frame),
#      which leaves out tmux's share.
#      Also, after the first full screen, the time until the whole document is loaded (pizhu
#      shows an excerpt first; "loading…" in its title bar until the rest is in): keystrokes
#      and the import's peak RSS are measured after that.
#   3. peak RSS (VmHWM from /proc/PID/status) of the process just before quitting, for pizhu
#      after the import and after reopening.
#
# Needs bash, coreutils and tmux. Everything it makes lives in a temporary folder and a
# private tmux server, both removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=300
format=${BENCH_FORMAT:-markdown}
case "${1:-}" in
  --quick) size_mib=30 ;;
  "") ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/bench-reader.sh [--quick]" >&2; exit 2 ;;
esac

runs=${BENCH_RUNS:-3}                    # whole runs per case
screens=${BENCH_SCREENS:-10}             # more first screens per case (median over all)
keys=${BENCH_KEYS:-50}                   # keystrokes per key per session
cols=120 rows=40 full_rows=35            # the screen, and what "full" means
screen_timeout_s=${BENCH_TIMEOUT:-120}   # bound on each wait for a first screen
key_timeout_us=2000000                   # bound on each wait for a keystroke's frame
quit_timeout_us=30000000                 # bound on each wait for a process to exit
# shellcheck source=scripts/bench-data.sh
. scripts/bench-data.sh
needle=$BENCH_NEEDLE                     # from the start of the document (3rd line)

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-reader: $*"; exit 1; }

command -v tmux >/dev/null || die "needs tmux"
command -v less >/dev/null || die "needs less (the reference)"
bench_binary || die "no pizhu binary at ${bin:-target/release}"

script_start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-reader.XXXXXX")
# shellcheck source=scripts/bench-tmux.sh
. scripts/bench-tmux.sh

# µs → "12.3"; kB → MiB
ms() { printf '%d.%d' $(($1 / 1000)) $((($1 % 1000) / 100)); }
mib() { printf '%d' $((($1 + 512) / 1024)); }
show_us() { if [[ $1 == [0-9]* ]]; then echo "$(ms "$1") ms"; else echo "$1"; fi; }
show_kb() { if [[ $1 == [0-9]* ]]; then echo "$(mib "$1") MiB"; else echo "$1"; fi; }

# --- 1. the document --------------------------------------------------------------------------
if [ -n "${BENCH_FILE:-}" ]; then
  file=$BENCH_FILE
  [ -r "$file" ] || die "cannot read BENCH_FILE $file"
else
  file="$work/big.txt"
  say "writing a $size_mib MiB document to $file"
  bench_document "$file" "$size_mib"
fi
file_bytes=$(wc -c <"$file")
head -c 4096 "$file" | tr -d '\n' | { read -r start; [[ $start == *"$needle"* ]]; } ||
  die "the marker '$needle' is not at the start of $file (fixtures changed?)"

# wait_full: polls every ~5 ms until the screen is full; sets FULL (µs since start, or
# "timeout"/"exited") and PAINT (µs to the first non-blank screen).
wait_full() {
  local screen line filled polls=0 deadline=$((T0 + screen_timeout_s * 1000000))
  PAINT="" FULL=""
  while :; do
    screen=$(tm capture-pane -p -t run 2>/dev/null) || screen=""
    now
    filled=0
    while IFS= read -r line; do
      [[ $line == *[![:space:]]* ]] && filled=$((filled + 1))
    done <<<"$screen"
    if [ -z "$PAINT" ] && ((filled > 0)); then PAINT=$((NOW - T0)); fi
    if ((filled >= full_rows)) && [[ $screen == *"$needle"* ]]; then
      FULL=$((NOW - T0))
      return 0
    fi
    if ((NOW > deadline)); then FULL=timeout; break; fi
    if ((++polls % 40 == 0)) && [ "$(pane '#{pane_dead}')" = 1 ]; then FULL=exited; break; fi
    nap 0.005
  done
  say "  no full screen ($FULL); the screen was:"
  printf '%s\n' "$screen" | head -n 5 | sed 's/^/  | /' >&2
  return 0
}

# wait_loaded: polls every ~10 ms until the screen no longer says "loading…" or "importing"
# (the whole document is in, not just the excerpt shown first); sets LOADED (µs since start,
# or "timeout"/"exited").
wait_loaded() {
  local screen polls=0 deadline=$((T0 + screen_timeout_s * 1000000))
  LOADED=""
  while :; do
    screen=$(tm capture-pane -p -t run 2>/dev/null) || screen=""
    now
    if [[ $screen != *"loading…"* && $screen != *importing* ]]; then
      LOADED=$((NOW - T0))
      return 0
    fi
    if ((NOW > deadline)); then LOADED=timeout; return 0; fi
    if ((++polls % 20 == 0)) && [ "$(pane '#{pane_dead}')" = 1 ]; then LOADED=exited; return 0; fi
    nap 0.01
  done
}

# keystrokes KEY OUT: sends KEY $keys times; appends each latency (µs) to OUT.
keystrokes() {
  local key=$1 out=$2 i before after t0
  for ((i = 0; i < keys; i++)); do
    nap 0.03 # let the previous frame finish
    before=$(tm capture-pane -p -e -t run)
    now; t0=$NOW
    tm send-keys -t run "$key"
    now; echo $((NOW - t0)) >>"$out.send"
    while :; do
      after=$(tm capture-pane -p -e -t run)
      now
      if [ "$after" != "$before" ]; then echo $((NOW - t0)) >>"$out"; break; fi
      if ((NOW - t0 > key_timeout_us)); then
        echo "$key_timeout_us" >>"$out"
        say "  no new frame within $((key_timeout_us / 1000)) ms of $key"
        break
      fi
    done
  done
}

hwm() { # peak RSS in kB of the pane's process (the command itself: no shell in between)
  local pid k v _
  pid=$(pane '#{pane_pid}')
  [ -r "/proc/$pid/status" ] || { echo n/a; return; }
  while read -r k v _; do
    if [ "$k" = VmHWM: ]; then echo "$v"; return; fi
  done <"/proc/$pid/status"
}

# record FILE VALUE: one sample per line
record() { echo "$2" >>"$work/$1"; }

# --- 2–4. the cases ---------------------------------------------------------------------------
pizhu_env=(env "PIZHU_CONFIG=$work/no-config.toml" "$bin")
less_env=(env LESS= LESSOPEN= LESSCLOSE= less)

for ((r = 1; r <= runs; r++)); do
  say "run $r/$runs: less"
  start "${less_env[@]}" "$file"
  wait_full
  record less.first "$FULL"
  record less.paint "${PAINT:-none}"
  say "  first screen $(show_us "$FULL")"
  if [[ $FULL != [a-z]* ]]; then
    keystrokes j "$work/less.j"
    keystrokes Space "$work/less.space"
    record less.rss "$(hwm)"
  fi
  stop

  db="$work/lib-$r.db"
  # A library that exists (with one small document), as a reader's does: the file is new to
  # it, the library is not (creating a library is a one-time cost, not the reader's).
  "$bin" --db "$db" import tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt >/dev/null
  say "run $r/$runs: pizhu --db LIB FILE (a file new to the library)"
  start "${pizhu_env[@]}" --db "$db" "$file"
  wait_full
  record pizhu.import "$FULL"
  record pizhu.import-paint "${PAINT:-none}"
  imported=$FULL
  if [[ $FULL == [a-z]* ]]; then
    kill_run
  else
    say "  first screen $(show_us "$FULL") (first paint $(show_us "$PAINT"))"
    wait_loaded
    record pizhu.import-loaded "$LOADED"
    say "  imported and loaded whole $(show_us "$LOADED")"
    record pizhu.rss-import "$(hwm)"
    stop
    # The library as the import left it (read at its start) serves the reopen samples below.
    if ((r == runs)); then
      for f in "$db" "$db"-wal; do if [ -e "$f" ]; then cp "$f" "$work/reopen.db${f#"$db"}"; fi; done
      reopen_db="$work/reopen.db"
    fi
  fi

  if [[ $imported == [a-z]* ]]; then
    say "run $r/$runs: pizhu --db SAME (reopen): skipped, the import did not finish"
    record pizhu.reopen skipped
  else
    say "run $r/$runs: pizhu --db SAME (reopen)"
    start env "PIZHU_FRAME_LOG=$work/frames-$r" "${pizhu_env[@]}" --db "$db"
    wait_full
    record pizhu.reopen "$FULL"
    record pizhu.reopen-paint "${PAINT:-none}"
    if [[ $FULL == [a-z]* ]]; then
      kill_run
    else
      say "  first screen $(show_us "$FULL") (first paint $(show_us "$PAINT"))"
      wait_loaded
      record pizhu.reopen-loaded "$LOADED"
      say "  loaded whole $(show_us "$LOADED")"
      keystrokes j "$work/pizhu.j"
      keystrokes Space "$work/pizhu.space"
      record pizhu.rss-reopen "$(hwm)"
      stop
      if [ -s "$work/frames-$r" ]; then cat "$work/frames-$r" >>"$work/pizhu.frame"; fi
    fi
  fi
  rm -f "$db" "$db"-*
done

# --- 4. more first screens, each process killed once its screen is full ----------------------
if ((screens > 0)); then
  say "first screens only, $screens more of each case"
  template="$work/new-template.db"
  "$bin" --db "$template" import tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt >/dev/null
  for ((r = 1; r <= screens; r++)); do
    start "${less_env[@]}" "$file"
    wait_full
    record less.first "$FULL"
    kill_hard
    cp "$template" "$work/new.db"
    rm -f "$work/new.db"-*
    start "${pizhu_env[@]}" --db "$work/new.db" "$file"
    wait_full
    record pizhu.import "$FULL"
    kill_hard
    if [ -n "${reopen_db:-}" ]; then
      start "${pizhu_env[@]}" --db "$reopen_db"
      wait_full
      record pizhu.reopen "$FULL"
      kill_hard
    fi
  done
fi

# --- 5. the table -----------------------------------------------------------------------------
# pick NAME RANK: the RANKth (from 1) of the samples in $work/NAME, sorted, with words
# (timeout, exited, skipped) after the numbers; count NAME; median NAME; pct NAME P.
pick() {
  local f="$work/$1" v nums=() words=() sorted=()
  [ -s "$f" ] || { echo n/a; return; }
  while read -r v; do
    if [[ $v =~ ^[0-9]+$ ]]; then nums+=("$v"); else words+=("$v"); fi
  done <"$f"
  if ((${#nums[@]})); then mapfile -t sorted < <(printf '%s\n' "${nums[@]}" | sort -n); fi
  sorted+=("${words[@]}")
  echo "${sorted[$2 - 1]:-n/a}"
}
count() { if [ -s "$work/$1" ]; then wc -l <"$work/$1"; else echo 0; fi; }
median() { pick "$1" $((($(count "$1") + 1) / 2)); }
pct() { pick "$1" $((($(count "$1") * $2 + 99) / 100)); }

ratio() { # ratio A B → "A/B×"
  if [[ $1 == [0-9]* && $2 == [0-9]* ]] && (($2 > 0)); then
    local x=$(($1 * 10 / $2)); echo "$((x / 10)).$((x % 10))×"
  else echo "—"; fi
}
verdict() { # verdict VALUE LIMIT: pass when both are numbers and VALUE ≤ LIMIT
  if [[ $1 == [0-9]* && $2 == [0-9]* ]] && (($1 <= $2)); then echo pass; else echo fail; fi
}

if [ "$format" = tsv ]; then
  cat "$work"/*.j.send "$work"/*.space.send >"$work/send" 2>/dev/null || true
  tsv() { printf '%s\t%s\n' "$@"; }
  tsv file_bytes "$file_bytes"
  tsv runs "$runs"
  tsv screens "$(count pizhu.import)"
  for n in less.first pizhu.import pizhu.reopen pizhu.import-loaded pizhu.reopen-loaded \
    less.paint pizhu.import-paint pizhu.reopen-paint less.rss pizhu.rss-import pizhu.rss-reopen; do
    tsv "$n.median" "$(median "$n")"
  done
  for n in less.j pizhu.j less.space pizhu.space pizhu.frame send; do
    tsv "$n.n" "$(count "$n")"
    tsv "$n.p50" "$(pct "$n" 50)"
    tsv "$n.p99" "$(pct "$n" 99)"
  done
  tsv seconds "$((SECONDS - script_start))"
  exit 0
fi

file_kb=$((file_bytes / 1024))
rss_goal_kb=$((2 * file_kb + 40 * 1024))
less_first=$(median less.first)
first_goal=n/a
if [[ $less_first == [0-9]* ]]; then first_goal=$((2 * less_first)); fi
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }

echo
echo "pizhu reader benchmark: $(mib "$file_kb") MiB document ($file_bytes bytes), \
${cols}×${rows} tmux pane, $runs runs, $keys keys per run; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
row metric pizhu less ratio goal pass/fail
row --- --- --- --- --- ---
p=$(median pizhu.import)
row "first full screen, new file (import + show), median of $(count pizhu.import)" "$(show_us "$p")" \
  "$(show_us "$less_first")" "$(ratio "$p" "$less_first")" "≤ 2× less" \
  "$(verdict "$p" "$first_goal")"
p=$(median pizhu.reopen)
row "first full screen, reopen (last panes), median of $(count pizhu.reopen)" "$(show_us "$p")" \
  "$(show_us "$less_first")" "$(ratio "$p" "$less_first")" "≤ 2× less" \
  "$(verdict "$p" "$first_goal")"
for c in import reopen; do
  p=$(median "pizhu.$c-loaded")
  row "whole document loaded (then keys are measured), $c, median" "$(show_us "$p")" "—" "—" \
    "—" "—"
done
l=$(median less.paint)
for c in import reopen; do
  p=$(median "pizhu.$c-paint")
  row "first paint (anything drawn), $c, median" "$(show_us "$p")" "$(show_us "$l")" \
    "$(ratio "$p" "$l")" "—" "—"
done
for k in j space; do
  name=$k; [ "$k" = space ] && name=Space
  p=$(pct "pizhu.$k" 50) l=$(pct "less.$k" 50)
  row "keystroke \`$name\` to frame, p50 (n=$(count "pizhu.$k"))" "$(show_us "$p")" \
    "$(show_us "$l")" "$(ratio "$p" "$l")" "—" "—"
  p=$(pct "pizhu.$k" 99) l=$(pct "less.$k" 99)
  row "keystroke \`$name\` to frame, p99" "$(show_us "$p")" "$(show_us "$l")" \
    "$(ratio "$p" "$l")" "< 16 ms" "$(verdict "$p" 15999)"
done
p=$(pct pizhu.frame 50)
row "keystroke to frame inside pizhu (PIZHU_FRAME_LOG), p50 (n=$(count pizhu.frame))" \
  "$(show_us "$p")" "—" "—" "—" "—"
p=$(pct pizhu.frame 99)
row "keystroke to frame inside pizhu, p99" "$(show_us "$p")" "—" "—" "< 16 ms" \
  "$(verdict "$p" 15999)"
l=$(median less.rss)
p=$(median pizhu.rss-import)
row "peak RSS, new file (import + show), median" "$(show_kb "$p")" "$(show_kb "$l")" \
  "$(ratio "$p" "$l")" "< $(mib "$rss_goal_kb") MiB (2× file + 40)" "$(verdict "$p" "$rss_goal_kb")"
p=$(median pizhu.rss-reopen)
row "peak RSS, reopen, median" "$(show_kb "$p")" "$(show_kb "$l")" \
  "$(ratio "$p" "$l")" "< $(mib "$rss_goal_kb") MiB (2× file + 40)" "$(verdict "$p" "$rss_goal_kb")"
echo
echo "All samples (ms; first screen per run, keystroke min/max):"
for n in less.first pizhu.import pizhu.reopen; do
  vals=""
  [ -s "$work/$n" ] || continue
  while read -r v; do vals+="$(show_us "$v"), "; done <"$work/$n"
  echo "- $n: ${vals%, }"
done
for n in less.j pizhu.j less.space pizhu.space; do
  echo "- $n: min $(show_us "$(pick "$n" 1)"), max $(show_us "$(pick "$n" "$(count "$n")")")"
done
cat "$work"/*.j.send "$work"/*.space.send >"$work/send" 2>/dev/null || true
echo "- tmux send-keys alone (part of every keystroke sample): p50 $(show_us "$(pct send 50)"), \
p99 $(show_us "$(pct send 99)")"
echo
echo "The script took $((SECONDS - script_start)) s."
