#!/usr/bin/env bash
# Times `pizhu search` against ripgrep and grep on the same text, and `pizhu related`, on
# ~110 MiB made from the fixtures; prints Markdown tables (or, with BENCH_FORMAT=tsv,
# tab-separated figures for scripts/bench.sh, which runs this script as one of its parts).
#
#   scripts/bench-search.sh            # 1,000 files (~110 MiB)
#   scripts/bench-search.sh --quick    # 100 files (~11 MiB)
#
# Settings from the environment:
#   PIZHU_BIN=PATH      the binary to measure (else the release binary is built, into
#                       $CARGO_TARGET_DIR if set)
#   BENCH_CORPUS=DIR    the files to search (else the corpus of scripts/bench-data.sh)
#   BENCH_DB=PATH       a library holding exactly those files: only the queries are timed
#                       (no imports, no `related`); needs BENCH_CORPUS
#   BENCH_RUNS=N        whole-process runs per command, the best kept (default 5)
#   BENCH_FORMAT=tsv    one line per query: query, characters, pizhu hits, pizhu ms (all
#                       hits), pizhu ms (--limit 100), rg ms, rg lines, grep ms, grep lines
#                       (an empty field: the tool is missing)
#
# The queries: a frequent 1-character, a frequent 2-character, a rarer 4-character one, and
# the heading of one file of the corpus (样本文档第N篇, N = 537 of 1,000, 53 of 100). rg and grep cannot fold scripts, so they get both
# forms (`-F -e SIMPLIFIED -e TRADITIONAL`); output goes to a file, so nobody skips printing.
# Without ripgrep (`apt-get install ripgrep`) its columns stay empty and a note says so.
# Everything it makes lives in a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/bench-data.sh
. scripts/bench-data.sh

files=1000
case "${1:-}" in
  --quick) files=100 ;;
  "") ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: scripts/bench-search.sh [--quick]" >&2; exit 2 ;;
esac
format=${BENCH_FORMAT:-markdown}
runs=${BENCH_RUNS:-5}

bench_binary || { echo "bench-search: no pizhu binary at ${bin:-target/release}" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-search.XXXXXX")
trap 'rm -rf "$work"' EXIT
have_rg=1
if ! command -v rg >/dev/null; then
  have_rg=0
  echo "NOTE: ripgrep (rg) is not installed: its column stays empty (apt-get install ripgrep)" >&2
fi

if [ -n "${BENCH_CORPUS:-}" ]; then
  corpus=$BENCH_CORPUS
else
  corpus="$work/corpus"
  bench_corpus "$corpus" "$files"
fi
corpus_bytes=$(du -cb "$corpus" | tail -1 | cut -f1)
one=$(($(find "$corpus" -type f | wc -l) * 537 / 1000))
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# Wall time of a command in ms, best of $runs (output to $work/out).
best_ms() {
  local best="" t0 t1 ms
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N); "$@" >"$work/out" 2>/dev/null || true; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

if [ -n "${BENCH_DB:-}" ]; then
  [ -n "${BENCH_CORPUS:-}" ] || { echo "bench-search: BENCH_DB needs BENCH_CORPUS" >&2; exit 2; }
  db=$BENCH_DB
else
  if [ "$format" != tsv ]; then
    # The same import without the index first (`--defer-index`), for the cost of indexing.
    t0=$(date +%s%N)
    "$bin" --db "$work/plain.db" import --defer-index "$corpus" >/dev/null
    plain_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    plain_bytes=$(du -cb "$work/plain.db"* | tail -1 | cut -f1)
    rm -f "$work/plain.db"*
  fi
  db="$work/lib.db"
  t0=$(date +%s%N)
  "$bin" --db "$db" import "$corpus" >/dev/null
  import_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  db_bytes=$(du -cb "$db"* | tail -1 | cut -f1)
  index_bytes=$(python3 - "$db" 2>/dev/null <<'PY' || echo 0
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(sum(r[0] for r in c.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_%'")) or 0)
PY
)
fi

if [ "$format" != tsv ]; then
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); corpus: $files files, $(mb "$corpus_bytes") MiB"
  echo
fi
if [ -z "${BENCH_DB:-}" ] && [ "$format" != tsv ]; then
  mibs() { awk -v b="$corpus_bytes" -v ms="$1" 'BEGIN { printf "%.1f", b / 1048576 / (ms / 1000) }'; }
  echo "| step | time | throughput | size |"
  echo "| --- | --- | --- | --- |"
  echo "| import --defer-index (no search index) | ${plain_ms} ms | $(mibs "$plain_ms") MiB/s | library $(mb "$plain_bytes") MiB |"
  echo "| import with the search index | ${import_ms} ms | $(mibs "$import_ms") MiB/s | library $(mb "$db_bytes") MiB (search index $(mb "$index_bytes") MiB) |"
  t0=$(date +%s%N)
  "$bin" --db "$db" related 1 5 >/dev/null 2>&1
  build_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  db2_bytes=$(du -cb "$db"* | tail -1 | cut -f1)
  echo "| first \`related\` (segments every passage, builds the postings) | ${build_ms} ms | | library $(mb "$db2_bytes") MiB |"
  echo
fi

if [ "$format" != tsv ]; then
  echo "| query | hits | pizhu search | pizhu --limit 100 | rg (both scripts) | rg lines | grep -F (both) | grep lines |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
fi
for pair in "科:科" "创新:創新" "数字经济:數字經濟" "样本文档第${one}篇:樣本文檔第${one}篇"; do
  simp=${pair%%:*} trad=${pair##*:}
  full=$(best_ms "$bin" --db "$db" search "$simp")
  count=$(tail -1 "$work/out" | cut -d' ' -f1)
  limited=$(best_ms "$bin" --db "$db" search "$simp" --limit 100)
  rg_ms="" rg_lines=""
  if [ "$have_rg" = 1 ]; then
    rg_ms=$(best_ms rg -F -e "$simp" -e "$trad" "$corpus")
    rg_lines=$(wc -l <"$work/out")
  fi
  grep_ms=$(best_ms grep -rF -e "$simp" -e "$trad" "$corpus")
  grep_lines=$(wc -l <"$work/out")
  if [ "$format" = tsv ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$simp" "${#simp}" "$count" "$full" "$limited" \
      "$rg_ms" "$rg_lines" "$grep_ms" "$grep_lines"
  else
    echo "| \`$simp\` (${#simp} chars) | $count | ${full} ms | ${limited} ms | ${rg_ms:+$rg_ms ms} | $rg_lines | ${grep_ms} ms | $grep_lines |"
  fi
done
if [ -n "${BENCH_DB:-}" ] || [ "$format" = tsv ]; then exit 0; fi
echo
related_ms=$(best_ms "$bin" --db "$db" related 1 5)
related_json_ms=$(best_ms "$bin" --db "$db" related 7 20 --json)
echo "| \`pizhu related\` (whole process, best of $runs) | time |"
echo "| --- | --- |"
echo "| related 1 5 | ${related_ms} ms |"
echo "| related 7 20 --json | ${related_json_ms} ms |"
