#!/usr/bin/env bash
# Times `pizhu search` against ripgrep on the same text, and `pizhu related`, on ~100 MB made
# from the fixtures; prints Markdown tables.
#
#   scripts/bench-search.sh            # 1,000 files (~110 MiB)
#   scripts/bench-search.sh --quick    # 100 files (~11 MiB)
#
# Needs bash, coreutils and ripgrep (`apt-get install ripgrep`; without it the rg column is
# left empty and a note says so). Builds the release binary first (into $CARGO_TARGET_DIR if
# set). Everything it makes lives in a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

files=1000
if [ "${1:-}" = "--quick" ]; then files=100; fi

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/pizhu"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
have_rg=1
if ! command -v rg >/dev/null; then
  have_rg=0
  echo "NOTE: ripgrep (rg) is not installed: its column stays empty (apt-get install ripgrep)" >&2
fi

# The corpus of scripts/bench.sh: each file a unique heading, the five fixtures and three more.
block=$(cat tests/fixtures/*.txt)
mkdir -p "$work/corpus"
for i in $(seq 1 "$files"); do
  {
    printf '样本文档第%d篇\n\n' "$i"
    printf '%s\n' "$block"
    cat tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt \
      tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt
  } >"$work/corpus/doc-$i.txt"
done
corpus_bytes=$(du -cb "$work"/corpus/*.txt | tail -1 | cut -f1)
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# Wall time of a command in ms, best of $runs (output to a file, so nobody skips printing).
runs=5
best_ms() {
  local best="" t0 t1 ms
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N); "$@" >"$work/out" 2>/dev/null || true; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

# The same import without the index first (`--defer-index`), for the cost of indexing.
t0=$(date +%s%N)
"$bin" --db "$work/plain.db" import --defer-index "$work/corpus" >/dev/null
plain_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
plain_bytes=$(du -cb "$work/plain.db"* | tail -1 | cut -f1)
rm -f "$work/plain.db"*

db="$work/lib.db"
t0=$(date +%s%N)
"$bin" --db "$db" import "$work/corpus" >/dev/null
import_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
db_bytes=$(du -cb "$db"* | tail -1 | cut -f1)
index_bytes=$(python3 - "$db" 2>/dev/null <<'PY' || echo 0
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(sum(r[0] for r in c.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_%'")) or 0)
PY
)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); corpus: $files files, $(mb "$corpus_bytes") MiB"
echo
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
echo "| query | hits | pizhu search | pizhu --limit 100 | rg (both scripts) | rg lines |"
echo "| --- | --- | --- | --- | --- | --- |"
for pair in "科:科" "创新:創新" "新质生产力:新質生產力" "样本文档第537篇:樣本文檔第537篇"; do
  simp=${pair%%:*} trad=${pair##*:}
  full=$(best_ms "$bin" --db "$db" search "$simp")
  count=$(tail -1 "$work/out" | cut -d' ' -f1)
  limited=$(best_ms "$bin" --db "$db" search "$simp" --limit 100)
  if [ "$have_rg" = 1 ]; then
    rg_ms=$(best_ms rg -F -e "$simp" -e "$trad" "$work/corpus")
    rg_lines=$(wc -l <"$work/out")
  else
    rg_ms="" rg_lines=""
  fi
  echo "| \`$simp\` (${#simp} chars) | $count | ${full} ms | ${limited} ms | ${rg_ms} ms | $rg_lines |"
done
echo
related_ms=$(best_ms "$bin" --db "$db" related 1 5)
related_json_ms=$(best_ms "$bin" --db "$db" related 7 20 --json)
echo "| \`pizhu related\` (whole process, best of $runs) | time |"
echo "| --- | --- |"
echo "| related 1 5 | ${related_ms} ms |"
echo "| related 7 20 --json | ${related_json_ms} ms |"
