# shellcheck shell=bash
# Test data for the benchmark scripts, made from tests/fixtures, and the binary they measure
# (sourced by scripts/bench.sh, bench-reader.sh, bench-search.sh and bench-notes-view.sh; run
# them from the repository's root).
#
#   bench_document FILE MIB   one document of about MIB MiB: the fixtures with empty lines
#                             squeezed out (a screen of text is full rows in any pager), as
#                             blocks of ~72 KB each under a heading line `第N部分`; it starts
#                             with $BENCH_NEEDLE (3rd line)
#   bench_corpus DIR FILES    FILES files doc-N.txt of ~117 KB: a unique heading `样本文档第N篇`,
#                             the five fixtures and three of them again (1,000 files: 110 MiB);
#                             no two files are duplicates
#   bench_lines FILE MIB      the first MIB MiB of FILE, in whole lines, on standard output
#   bench_binary              the binary to measure, into $bin (an absolute path): $PIZHU_BIN,
#                             else the release binary, built now (into $CARGO_TARGET_DIR if
#                             set); fails if there is none

# A string from the start of every bench_document (the reader's first screen shows it).
# shellcheck disable=SC2034 # used by the scripts that source this file
BENCH_NEEDLE="充分认识科技创新"

bench_document() {
  local file=$1 mib=$2 block block_bytes blocks i
  block=$(for f in tests/fixtures/*.txt; do cat "$f"; echo; done | tr -s '\n')
  block_bytes=$(printf '%s\n' "$block" | wc -c)
  blocks=$((mib * 1048576 / (block_bytes + 16) + 1))
  for ((i = 1; i <= blocks; i++)); do printf '第%d部分\n%s\n' "$i" "$block"; done >"$file"
}

bench_corpus() {
  local dir=$1 files=$2 block extra i
  block=$(cat tests/fixtures/*.txt)
  extra=$(cat tests/fixtures/keji-chanye-ronghe-dangke.zh-Hans.txt \
    tests/fixtures/ronghe-zhongguoshi-xiandaihua.zh-Hans.txt \
    tests/fixtures/wuda-chuangxin-zhanyi.zh-Hant.txt)
  mkdir -p "$dir"
  for ((i = 1; i <= files; i++)); do
    printf '样本文档第%d篇\n\n%s\n%s\n' "$i" "$block" "$extra" >"$dir/doc-$i.txt"
  done
}

bench_lines() {
  head -c "$(($2 * 1048576))" "$1" | sed '$d'
}

bench_binary() {
  if [ -n "${PIZHU_BIN:-}" ]; then
    bin=$PIZHU_BIN
  else
    cargo build --release --quiet || return 1
    bin="${CARGO_TARGET_DIR:-$PWD/target}/release/pizhu"
  fi
  case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
  [ -x "$bin" ]
}
