#!/usr/bin/env bash
# Times the real pizhu binary on data made from the fixtures and prints a Markdown table.
#
#   scripts/bench.sh            # full run: a 100 MB corpus of 1,000 files and one 100 MB file
#   scripts/bench.sh --quick    # a 10 MB corpus of 100 files, for a fast check
#
# Needs only bash and coreutils. Builds the release binary first. Everything it makes lives
# in a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

files=1000
if [ "${1:-}" = "--quick" ]; then files=100; fi

cargo build --release --quiet
bin="$PWD/target/release/pizhu"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One block is the five fixtures (~75 KB); each generated file is a unique heading, the block
# and two more fixtures (~100 KB), so no two files are duplicates.
block=$(cat tests/fixtures/*.txt)
mkdir -p "$work/corpus"
for i in $(seq 1 "$files"); do
  {
    printf '样本文档第%d篇\n\n' "$i"
    printf '%s\n' "$block"
    cat tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt
  } >"$work/corpus/doc-$i.txt"
done
corpus_bytes=$(du -cb "$work"/corpus/*.txt | tail -1 | cut -f1)
cat "$work"/corpus/*.txt >"$work/one-big-file.txt"

now() { date +%s.%N; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }

# Peak memory in MiB of a command, when GNU time is installed.
peak_rss() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'
  else
    "$@" >/dev/null 2>&1; echo "n/a"
  fi
}

t0=$(now)
"$bin" --db "$work/many.db" import --json "$work/corpus" >/dev/null
t1=$(now)
import_many=$(elapsed "$t0" "$t1")

t0=$(now)
"$bin" --db "$work/one.db" import --json "$work/one-big-file.txt" >/dev/null
t1=$(now)
import_one=$(elapsed "$t0" "$t1")
rss_one=$(peak_rss "$bin" --db "$work/one-rss.db" import --json "$work/one-big-file.txt")

runs=20
t0=$(now)
for _ in $(seq 1 "$runs"); do "$bin" --db "$work/many.db" list >/dev/null; done
t1=$(now)
list_ms=$(awk -v a="$t0" -v b="$t1" -v n="$runs" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')

echo "| metric | value |"
echo "| --- | --- |"
echo "| import of $files files, $(mb "$corpus_bytes") MB | ${import_many} s = $(rate "$corpus_bytes" "$import_many") MB/s |"
echo "| import of one $(mb "$corpus_bytes") MB file | ${import_one} s = $(rate "$corpus_bytes" "$import_one") MB/s |"
echo "| peak RSS importing the one file | ${rss_one} MiB |"
echo "| \`pizhu list\` on $files documents (mean of $runs) | ${list_ms} ms |"
