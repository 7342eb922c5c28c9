# Sourced by the run and test scripts: puts the tools on PATH. npm binaryen's
# wasm-opt comes first: Debian's older binaryen builds a wasm that never hydrates.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
