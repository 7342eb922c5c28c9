#!/usr/bin/env bash
# Checks the release bundle built by `cargo leptos build --release`:
# 1. the wasm budget: fails when the wasm exceeds WASM_BUDGET_BYTES brotli-compressed
#    at quality 11 (default 175 000 bytes), and prints raw and brotli sizes;
# 2. every `#[island]` in app/src is exported by the built JS: an island whose
#    export the linker dropped would never hydrate (leptos issue 2083).
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${WASM_BUDGET_BYTES:-175000}
WASM=target/site/pkg/careport.wasm
JS=target/site/pkg/careport.js
[ -f "$WASM" ] && [ -f "$JS" ] || { echo "no release bundle: run cargo leptos build --release" >&2; exit 1; }

raw=$(stat -c %s "$WASM")
br=$(node -e 'const z=require("zlib"),fs=require("fs");const b=z.brotliCompressSync(fs.readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}});console.log(b.length)' "$WASM")
echo "wasm: $raw bytes raw, $br bytes brotli-11 (budget $BUDGET)"
if [ "$br" -gt "$BUDGET" ]; then
  echo "FAIL: the wasm is over its budget by $((br - BUDGET)) bytes brotli" >&2
  exit 1
fi

islands=$(grep -rh -A3 '#\[island\]' app/src --include='*.rs' | sed -nE 's/^\s*(pub(\([a-z]+\))? )?fn ([A-Z][A-Za-z0-9]*).*/\3/p' | sort -u)
[ -n "$islands" ] || { echo "FAIL: no #[island] found in app/src" >&2; exit 1; }
missing=0
for name in $islands; do
  if ! grep -qE "export function ${name}_[0-9]+\(" "$JS"; then
    echo "FAIL: island $name is not exported by $JS" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1
echo "islands exported: $(echo $islands | wc -w) ($(echo $islands | tr '\n' ' '))"
