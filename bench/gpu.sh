#!/usr/bin/env bash
# The lab on a lent GPU machine (x86-64, no network, no Node): Node-WebGPU (Dawn on the GPU's Vulkan driver) and
# wasm ms/step of mlp, the fast transformer and classic, and the fast transformer grokked to 99% test accuracy on
# webgpu and on wasm. Runs what bench/device/pack.sh put in .device/ (carried), each part in its own process with
# its own timeout, ≤ 6 minutes in all. Writes results.json, results.md and log.txt into OUT_DIR.
#
#   bash bench/gpu.sh [OUT_DIR]        # default $OUT/gpu on the device machine, else bench/results/tmp/gpu
#
# Without a hardware adapter the webgpu parts are skipped and the results say why (every Vulkan setup tried, with
# the adapter or error each gave); the wasm parts still run. Local checks, tiny and on Chromium's SwiftShader:
#   GPU_BENCH_QUICK=1 GPU_BENCH_TIME_SCALE=3 GPU_BENCH_ALLOW_SOFTWARE=1 \
#     GPU_BENCH_ICD=/usr/lib/chromium/vk_swiftshader_icd.json bash bench/gpu.sh /tmp/gpu-check
# (GPU_BENCH_ICD: try only this driver manifest; GROK_WEBGPU_ADAPTER=swiftshader: Dawn's own SwiftShader set-up.)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# GPU_BENCH_TIME_SCALE stretches every limit (local checks on SwiftShader, where one step takes seconds).
SCALE=${GPU_BENCH_TIME_SCALE:-1}
TOTAL_S=$((${GPU_BENCH_TOTAL_S:-360} * SCALE))
RESERVE_S=15 # for the report
OUT_DIR=${1:-${OUT:+$OUT/gpu}}
OUT_DIR=${OUT_DIR:-$REPO/bench/results/tmp/gpu}
QUICK=${GPU_BENCH_QUICK:+--quick}
mkdir -p "$OUT_DIR"
WORK=$(mktemp -d)
PARTS="$WORK/parts"
mkdir -p "$PARTS"
exec > >(tee "$OUT_DIR/log.txt") 2>&1
TEE=$!
START=$SECONDS
NODE_SH="$REPO/bench/device/node.sh"
# shellcheck source=device/vulkan.sh
source "$REPO/bench/device/vulkan.sh"

echo "== bench/gpu.sh $(date -u +%FT%TZ) on $(uname -m), $(nproc) cores; parts in $PARTS"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$PARTS/nvidia-smi.txt" 2>/dev/null ||
  : >"$PARTS/nvidia-smi.txt"
echo "GPU: $(cat "$PARTS/nvidia-smi.txt")"
if ! RUNTIME=$(timeout 120 "$NODE_SH" --unpack-only); then
  echo "gpu.sh: could not unpack .device (see above); nothing measured" >&2
  exit 1
fi

time_left() { echo $((TOTAL_S - RESERVE_S - (SECONDS - START))); }

# part NAME LIMIT_S [ENV=VALUE…] -- ARGS… : runs `gpu.mjs ARGS… --out PARTS/NAME.json` under its own timeout
# (cut to what is left of the total) and records how it ended in PARTS/NAME.status.json.
part() {
  local name=$1 limit=$2 left started rc
  shift 2
  local env=()
  while [ "$1" != -- ]; do env+=("$1") && shift; done
  shift
  limit=$((limit * SCALE))
  left=$(time_left)
  [ "$limit" -le "$left" ] || limit=$left
  if [ "$limit" -lt 10 ]; then
    skip "$name" "no time left of the ${TOTAL_S} s"
    return 1
  fi
  echo "== $name (limit ${limit} s, $((SECONDS - START)) s so far)"
  started=$SECONDS
  env "${env[@]}" timeout -k 5 "$limit" "$NODE_SH" gpu.mjs "$@" --out "$PARTS/$name.json"
  rc=$?
  printf '{"part":"%s","rc":%d,"seconds":%d,"limitSeconds":%d}\n' "$name" "$rc" $((SECONDS - started)) "$limit" \
    >"$PARTS/$name.status.json"
  return $rc
}

skip() { # NAME WHY
  echo "== $1: skipped ($2)"
  printf '{"part":"%s","rc":0,"seconds":0,"limitSeconds":0,"skipped":"%s"}\n' "$1" "$2" >"$PARTS/$1.status.json"
}

# 1. A WebGPU adapter: each Vulkan setup in turn until one gives a hardware adapter.
: >"$PARTS/vulkan.txt"
vulkan_prepare "$RUNTIME" "$PARTS/vulkan.txt" "$REPO/.device/debs"
vulkan_notes "$PARTS/vulkan.txt"
cat "$PARTS/vulkan.txt"
BASE_LD="${GROK_VULKAN_LIBS:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
setups=() # "label|VAR=value VAR=value"
if [ "${GROK_WEBGPU_ADAPTER:-}" = swiftshader ]; then
  setups+=("dawn-swiftshader|GROK_WEBGPU_ADAPTER=swiftshader")
elif [ -n "${GPU_BENCH_ICD:-}" ]; then
  setups+=("icd-given|VK_ICD_FILENAMES=$GPU_BENCH_ICD VK_DRIVER_FILES=$GPU_BENCH_ICD LD_LIBRARY_PATH=$BASE_LD")
else
  setups+=("system|LD_LIBRARY_PATH=$BASE_LD")
  n=0
  for icd in $(vulkan_icds); do
    n=$((n + 1))
    setups+=("icd$n|VK_ICD_FILENAMES=$icd VK_DRIVER_FILES=$icd LD_LIBRARY_PATH=$BASE_LD")
  done
fi
GPU_ENV=""
try=0
for setup in "${setups[@]}"; do
  label=${setup%%|*}
  vars=${setup#*|}
  try=$((try + 1))
  probe="adapter-$try-$label" # numbered: the report lists the tries in this order
  # shellcheck disable=SC2086 # vars is a list of VAR=value words
  part "$probe" 30 $vars VK_LOADER_DEBUG=error,warn XDG_RUNTIME_DIR=/tmp -- adapter --label "$label" || continue
  if grep -q '"software": false' "$PARTS/$probe.json" ||
    { [ -n "${GPU_BENCH_ALLOW_SOFTWARE:-}" ] && grep -q '"software": true' "$PARTS/$probe.json"; }; then
    GPU_ENV=$vars
    echo "== using the Vulkan setup \"$label\" for the webgpu parts"
    break
  fi
done

# 2. WebGPU first (the point of the machine), then wasm on its CPU for comparison.
if [ -n "$GPU_ENV" ]; then
  # shellcheck disable=SC2086
  part throughput-webgpu 100 $GPU_ENV XDG_RUNTIME_DIR=/tmp -- throughput --backend webgpu $QUICK
  # shellcheck disable=SC2086
  part grok-webgpu 110 $GPU_ENV XDG_RUNTIME_DIR=/tmp -- grok --backend webgpu --limit-s $((95 * SCALE)) $QUICK
else
  skip throughput-webgpu "no hardware WebGPU adapter"
  skip grok-webgpu "no hardware WebGPU adapter"
fi
# shellcheck disable=SC2086
part throughput-wasm 70 -- throughput --backend wasm $QUICK
# shellcheck disable=SC2086
part grok-wasm 60 -- grok --backend wasm --limit-s $((50 * SCALE)) $QUICK

# 3. One results file.
echo $((SECONDS - START)) >"$PARTS/total-seconds.txt"
mkdir -p "$WORK/report" && mv "$PARTS" "$WORK/report/parts"
timeout 30 "$NODE_SH" gpu.mjs report --dir "$WORK/report" >/dev/null
cp "$WORK/report/results.json" "$WORK/report/results.md" "$OUT_DIR/" 2>/dev/null ||
  echo "gpu.sh: the report failed; the parts are in $WORK/report/parts" >&2
cat "$OUT_DIR/results.md" 2>/dev/null
echo "== done in $((SECONDS - START)) s: $OUT_DIR/results.json, results.md, log.txt"
exec >&- 2>&-
wait "$TEE" # log.txt complete before the device call returns
