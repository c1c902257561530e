#!/usr/bin/env bash
# Regenerates the README's screenshots: the real views of the reader, drawn on the demo corpus
# and written as SVG (examples/screenshots.rs; see its header for what each shows).
#
#   scripts/screenshots.sh [--png] [OUTDIR]     default docs/images
#
# --png also writes PNG copies beside them (needs rsvg-convert: Debian's librsvg2-bin, and a
# CJK font such as fonts-noto-cjk or fonts-wqy-microhei).
set -euo pipefail
cd "$(dirname "$0")/.."
png=0
if [ "${1:-}" = --png ]; then
  png=1
  shift
fi
out=${1:-docs/images}
cargo run --quiet --example screenshots -- "$out"
if [ "$png" = 1 ]; then
  command -v rsvg-convert >/dev/null || { echo "screenshots: --png needs rsvg-convert" >&2; exit 1; }
  for svg in "$out"/reader.svg "$out"/matrix.svg "$out"/compare.svg; do
    rsvg-convert "$svg" -o "${svg%.svg}.png"
  done
fi
