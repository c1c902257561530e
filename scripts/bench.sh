#!/usr/bin/env bash
# Times the real pizhu binary on data made from the fixtures and prints a Markdown table.
#
#   scripts/bench.sh            # full run: a 110 MiB corpus of 1,000 files, and the same as one file
#   scripts/bench.sh --quick    # 100 files (11 MiB), for a fast check
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
# and three more fixtures (~117 KB: 1,000 files make over 100 MB), so no two files are duplicates.
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
cat "$work"/corpus/*.txt >"$work/one-big-file.txt"

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }

# Runs a command and sets wall, cpu (user + system seconds) and rss (peak MiB). GNU time gives
# all three; without it, bash's own timer gives the wall time only.
measure() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -o "$work/time.out" -f '%e %U %S %M' "$@" >/dev/null 2>&1
    read -r wall user sys kb <"$work/time.out"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    rss=$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')
  else
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'); cpu="n/a"; rss="n/a"
  fi
}

measure "$bin" --db "$work/many.db" import --json "$work/corpus"
many_wall=$wall many_cpu=$cpu many_rss=$rss
measure "$bin" --db "$work/one.db" import --json "$work/one-big-file.txt"
one_wall=$wall one_cpu=$cpu one_rss=$rss

runs=20
t0=$(date +%s.%N)
for _ in $(seq 1 "$runs"); do "$bin" --db "$work/many.db" list >/dev/null; done
t1=$(date +%s.%N)
list_ms=$(awk -v a="$t0" -v b="$t1" -v n="$runs" 'BEGIN { printf "%.1f", (b - a) * 1000 / n }')

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| metric | wall | CPU | throughput (wall / CPU) | peak RSS |"
echo "| --- | --- | --- | --- | --- |"
echo "| import of $files files, $(mb "$corpus_bytes") MiB | ${many_wall} s | ${many_cpu} s | $(rate "$corpus_bytes" "$many_wall") / $(rate "$corpus_bytes" "$many_cpu") MiB/s | ${many_rss} MiB |"
echo "| import of one $(mb "$corpus_bytes") MiB file | ${one_wall} s | ${one_cpu} s | $(rate "$corpus_bytes" "$one_wall") / $(rate "$corpus_bytes" "$one_cpu") MiB/s | ${one_rss} MiB |"
echo "| \`pizhu list\` on $files documents (mean of $runs) | ${list_ms} ms | | | |"
