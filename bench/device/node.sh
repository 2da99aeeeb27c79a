#!/usr/bin/env bash
# Runs a bundle made by bench/device/pack.sh with the packed Node, on a machine without Node or network:
#
#   bench/device/node.sh gpu.mjs throughput --backend wasm --out /tmp/x.json
#   bench/device/node.sh --unpack-only           # just unpack (prints the runtime folder)
#
# The first call unpacks .device/ into $GROK_DEVICE_DIR (default /tmp/grok-device): bin/node, the bundles and the
# .wasm files in js/, Dawn in node_modules/webgpu (where the bundles' `import('webgpu')` finds it). Later calls
# reuse it unless .device/ changed. Nothing is written into the checkout. Decompresses with xz, or with Python's
# lzma module where the image has no xz.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PACKED="$REPO/.device"
RUNTIME=${GROK_DEVICE_DIR:-/tmp/grok-device}

[ -f "$PACKED/node.tar.xz" ] || {
  echo "node.sh: $PACKED/node.tar.xz missing: run bench/device/pack.sh here and name .device in the call's carry" >&2
  exit 1
}

unxz_to() { # $1: .xz file, $2: output file
  if command -v xz >/dev/null; then
    xz -dc "$1" >"$2"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

untar_xz() { # $1: .tar.xz, $2: folder
  local tar_file
  tar_file=$(mktemp)
  unxz_to "$1" "$tar_file"
  tar -xf "$tar_file" -C "$2"
  rm -f "$tar_file"
}

stamp=$(cat "$PACKED"/node.stamp "$PACKED"/dawn.stamp "$PACKED"/MANIFEST 2>/dev/null | cksum)
if [ "$(cat "$RUNTIME/.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$RUNTIME"
  mkdir -p "$RUNTIME/js"
  untar_xz "$PACKED/node.tar.xz" "$RUNTIME"
  untar_xz "$PACKED/dawn.tar.xz" "$RUNTIME"
  for packed in "$PACKED"/js/*.xz; do unxz_to "$packed" "$RUNTIME/js/$(basename "$packed" .xz)"; done
  echo "$stamp" >"$RUNTIME/.stamp"
  echo "node.sh: unpacked .device into $RUNTIME ($("$RUNTIME/bin/node" --version))" >&2
fi

if [ "${1:-}" = --unpack-only ]; then
  echo "$RUNTIME"
  exit 0
fi
[ $# -gt 0 ] || { echo "usage: bench/device/node.sh BUNDLE.mjs [ARGS…]  (bundles: $(ls "$RUNTIME/js" | grep mjs | tr '\n' ' '))" >&2; exit 2; }
bundle=$1
shift
[ -f "$RUNTIME/js/$bundle" ] || { echo "node.sh: no bundle $bundle in $RUNTIME/js (pack it: bench/device/pack.sh bench/${bundle%.mjs}.ts)" >&2; exit 2; }
exec "$RUNTIME/bin/node" "$RUNTIME/js/$bundle" "$@"
