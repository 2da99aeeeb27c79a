#!/usr/bin/env bash
# Packs what a lent device machine (x86-64, CUDA image, no network, no Node) needs to run bench entry points:
# a Node binary, each entry bundled by esbuild into one self-contained .mjs (tfjs inside), tfjs-backend-wasm's
# .wasm files, Dawn's native module (the `webgpu` package, linux-x64) and the Vulkan/GL loader .debs.
# Everything lands in the git-ignored folder .device/ of this checkout; name it in the device call's `carry`.
#
#   bench/device/pack.sh                       # bundles bench/gpu.ts (what bench/gpu.sh runs)
#   bench/device/pack.sh bench/gpu.ts bench/x.ts   # bundles each entry → .device/js/<name>.mjs (others kept)
#
# On the device: `bench/device/node.sh <name>.mjs ARGS…` runs a bundle with the packed Node (bench/gpu.sh does).
# Limits to respect in an entry: the bundle runs from a copy outside the repo, so it must not read repo files at
# run time (import.meta.url is the bundle's own path), and a worker must be bundled as an entry of its own.
# Extra esbuild flags: PACK_ESBUILD_FLAGS='--external:foo'. Needs network here only for the .debs (apt-get).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEVICE="$REPO/.device"
ESBUILD="$REPO/node_modules/.bin/esbuild"
cd "$REPO"

[ "$(uname -m)" = x86_64 ] || { echo "pack.sh: the device machine is x86-64; this machine is $(uname -m)" >&2; exit 1; }
[ -x "$ESBUILD" ] || { echo "pack.sh: $ESBUILD missing: run npm ci first" >&2; exit 1; }
NODE=$(readlink -f "$(command -v node)")
DAWN_PACKAGE="$REPO/node_modules/webgpu"
DAWN="$DAWN_PACKAGE/dist/linux-x64/dawn.node"
WASM_DIR="$REPO/node_modules/@tensorflow/tfjs-backend-wasm/dist"
[ -f "$DAWN" ] || { echo "pack.sh: $DAWN missing (optional package webgpu not installed)" >&2; exit 1; }

# Shared libraries an Ubuntu CUDA image surely has; anything else would have to travel too.
ALLOWED_LIBS='^(libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|ld-linux-x86-64)\.so'
check_binary() { # $1: an ELF file; fails if it needs a library outside ALLOWED_LIBS
  local needed bad glibc
  needed=$(objdump -p "$1" | awk '/NEEDED/ {print $2}')
  bad=$(grep -Ev "$ALLOWED_LIBS" <<<"$needed" || true)
  [ -z "$bad" ] || { echo "pack.sh: $1 needs libraries the device may lack: $bad" >&2; exit 1; }
  glibc=$(objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)
  echo "  $(basename "$1"): needs $(tr '\n' ' ' <<<"$needed")— newest symbol $glibc (Ubuntu 22.04 has 2.35)"
}

mkdir -p "$DEVICE/js" "$DEVICE/debs"
git check-ignore -q .device/ || { echo "pack.sh: .device/ must be git-ignored (see .gitignore)" >&2; exit 1; }

# Everything big is xz-compressed: bench/device/node.sh unpacks it with xz, or Python's lzma where xz is missing.

# 1. Node, compressed (≈ 100 MB → ≈ 24 MB). Rebuilt only when the binary changes.
node_stamp="$("$NODE" --version) $(sha256sum "$NODE" | cut -c1-16)"
if [ "$(cat "$DEVICE/node.stamp" 2>/dev/null)" != "$node_stamp" ] || [ ! -f "$DEVICE/node.tar.xz" ]; then
  echo "packing Node $("$NODE" --version) from $NODE"
  check_binary "$NODE"
  stage=$(mktemp -d)
  mkdir -p "$stage/bin" && cp "$NODE" "$stage/bin/node"
  tar -C "$stage" -cf - bin | xz -9 -T2 >"$DEVICE/node.tar.xz"
  rm -rf "$stage"
  echo "$node_stamp" >"$DEVICE/node.stamp"
fi

# 2. Dawn: the `webgpu` package's loader and its linux-x64 native module only (≈ 21 MB → ≈ 5 MB).
dawn_stamp="$(node -p "require('$DAWN_PACKAGE/package.json').version") $(sha256sum "$DAWN" | cut -c1-16)"
if [ "$(cat "$DEVICE/dawn.stamp" 2>/dev/null)" != "$dawn_stamp" ] || [ ! -f "$DEVICE/dawn.tar.xz" ]; then
  echo "packing Dawn (webgpu $dawn_stamp)"
  check_binary "$DAWN"
  stage=$(mktemp -d)
  mkdir -p "$stage/node_modules/webgpu/dist/linux-x64"
  cp "$DAWN_PACKAGE"/{package.json,index.js,LICENSE.md} "$stage/node_modules/webgpu/"
  cp "$DAWN" "$stage/node_modules/webgpu/dist/linux-x64/"
  tar -C "$stage" -cf - node_modules | xz -9 -T2 >"$DEVICE/dawn.tar.xz"
  rm -rf "$stage"
  echo "$dawn_stamp" >"$DEVICE/dawn.stamp"
fi

# 3. The Vulkan loader and GL dispatch libraries of the device README, plus the X11 client libraries NVIDIA's
#    Vulkan driver (libGLX_nvidia) links against; bench/device/vulkan.sh uses only those the device lacks.
DEBS=(libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
missing=()
for deb in "${DEBS[@]}"; do compgen -G "$DEVICE/debs/${deb}_*.deb" >/dev/null || missing+=("$deb"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "downloading ${missing[*]} (amd64 .debs)"
  lists=$(mktemp -d)
  mkdir -p "$lists/partial"
  apt_options=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists" -qq)
  apt-get "${apt_options[@]}" update
  (cd "$DEVICE/debs" && apt-get "${apt_options[@]}" download "${missing[@]}")
  rm -rf "$lists"
fi

# 4. The bundles: one .mjs per entry, every dependency inside except Dawn (loaded at run time from node_modules
#    beside the bundle). tfjs's CommonJS files use __dirname (the wasm backend finds its .wasm there), require
#    and __filename, which an ES module lacks: the banner defines them from the bundle's own location.
BANNER="import { createRequire as __packCreateRequire } from 'node:module';
import { fileURLToPath as __packFileURLToPath } from 'node:url';
import { dirname as __packDirname } from 'node:path';
const require = __packCreateRequire(import.meta.url);
const __filename = __packFileURLToPath(import.meta.url);
const __dirname = __packDirname(__filename);"
[ $# -gt 0 ] || set -- bench/gpu.ts
for entry in "$@"; do
  [ -f "$entry" ] || { echo "pack.sh: no such entry point: $entry" >&2; exit 1; }
  name=$(basename "$entry" .ts)
  echo "bundling $entry → .device/js/$name.mjs.xz"
  stage=$(mktemp -d)
  # shellcheck disable=SC2086
  "$ESBUILD" "$entry" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
    --external:webgpu --legal-comments=none --banner:js="$BANNER" --outfile="$stage/$name.mjs" \
    ${PACK_ESBUILD_FLAGS:-}
  xz -6 -T2 -c "$stage/$name.mjs" >"$DEVICE/js/$name.mjs.xz"
  rm -rf "$stage"
done
for wasm in "$WASM_DIR"/*.wasm; do xz -6 -c "$wasm" >"$DEVICE/js/$(basename "$wasm").xz"; done
rm -f "$DEVICE"/js/*.mjs "$DEVICE"/js/*.wasm "$DEVICE"/js/*.worker.js # layouts of earlier packs

# 5. What travels: .device plus the checkout's tracked and untracked-not-ignored files, 64 MiB in all.
device_bytes=$(du -sb "$DEVICE" | cut -f1)
tree_bytes=$( (git ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null || true) | awk '{s += $1} END {print s + 0}')
total=$((device_bytes + tree_bytes))
{
  echo "packed $(date -u +%FT%TZ) by bench/device/pack.sh"
  (cd "$DEVICE" && find . -type f ! -name MANIFEST -printf '%s\t%p\n' | sort -k2)
} >"$DEVICE/MANIFEST"
awk -v d="$device_bytes" -v t="$tree_bytes" 'BEGIN {
  m = 1048576; printf ".device: %.1f MiB; with the checkout (%.1f MiB): %.1f MiB of the 64 MiB a device call carries\n", d / m, t / m, (d + t) / m
}'
if [ "$total" -gt $((60 * 1048576)) ]; then
  echo "pack.sh: over 60 MiB: remove bundles you do not need from .device/js" >&2
  exit 1
fi
