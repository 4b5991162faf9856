#!/bin/bash
# GPU check of every ONNX model on onnxruntime-web WebGPU (Dawn/Vulkan via dawn.node) vs WASM.
# Device command (repo root, carry [".gpu", ".gl"]):   bash .gpu/run.sh
# Local test (software Vulkan):  env -i PATH=/usr/bin:/bin OUT=/tmp/gpu-out RUNS=2 WARMUP=1 bash .gpu/run.sh
# Writes $OUT/gpu-check.json (full), $OUT/gpu-check.txt (table), $OUT/gpu-run.log (everything).
# Defaults keep it under ~4 minutes: DEADLINE_S=170 (no model starts later), MODEL_TIMEOUT_S=45 per
# model and backend, RUN_BUDGET_S=8 of timed runs per model and backend, hard stop CHECK_TIMEOUT_S=215.
set -u
export PATH="${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin"
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
export OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
W=${GPUCHECK_DIR:-/tmp/gpucheck}
START=$(date +%s)
say() { echo "[$(date -u +%H:%M:%S) +$(($(date +%s) - START))s] $*"; }

unxz_to() { # unxz_to FILE.xz -> stdout, with xz or Python's lzma (the device may lack xz)
  if command -v xz >/dev/null 2>&1; then xz -dc "$1"
  elif command -v python3 >/dev/null 2>&1; then python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer, 1 << 20)' "$1"
  else echo "no xz and no python3 to unpack $1" >&2; return 1; fi
}

main() {
  say "gpu check: $(uname -srm), $(nproc) cpus, $(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}"), $(ldd --version 2>/dev/null | head -1)"

  # 1. Vulkan loader and glvnd (the NVIDIA Vulkan ICD is libGLX_nvidia, which needs libGLdispatch).
  if ! ldconfig -p | grep -q 'libvulkan\.so\.1 ' || ! ldconfig -p | grep -q 'libGLdispatch\.so\.0 '; then
    if ls "$REPO"/.gl/*.deb >/dev/null 2>&1; then
      say "installing Vulkan loader / glvnd from .gl/*.deb"
      for f in "$REPO"/.gl/*.deb; do dpkg -x "$f" / || say "dpkg -x $f failed"; done
      ldconfig
    else
      say "WARNING: no libvulkan.so.1 and no .gl/*.deb carried"
    fi
  fi
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    [ -d "$d" ] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  done
  echo "--- nvidia-smi -L"; (command -v nvidia-smi >/dev/null && timeout 20 nvidia-smi -L) || echo "(no nvidia-smi)"
  echo "--- ldconfig -p | grep -i vulkan"; ldconfig -p | grep -i vulkan || echo "(none)"
  local icds=() f
  for f in /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json \
           /usr/local/etc/vulkan/icd.d/*.json /usr/local/nvidia/share/vulkan/icd.d/*.json \
           /usr/local/nvidia/icd.d/*.json /usr/lib/chromium/vk_swiftshader_icd.json; do
    [ -f "$f" ] && icds+=("$f")
  done
  echo "--- Vulkan ICD files"; for f in "${icds[@]}"; do echo "$f: $(tr -d '\n ' <"$f" | head -c 200)"; done
  [ ${#icds[@]} -eq 0 ] && echo "(none)"
  local egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  [ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl
  local cxx; cxx=$(ldconfig -p | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')
  echo "--- libstdc++: ${cxx:-missing}, newest GLIBCXX: $( [ -n "$cxx" ] && grep -a -o 'GLIBCXX_3\.4\.[0-9]*' "$cxx" | sort -uV | tail -1) (dawn.node needs GLIBCXX_3.4.30, GLIBC_2.34)"

  # 2. Unpack node, dawn.node, onnxruntime-web files and models into $W.
  local stamp; stamp=$(cat "$HERE/payload.sha256" "$HERE/check.mjs" | cksum | cut -d' ' -f1)
  if [ "$(cat "$W/.stamp" 2>/dev/null)" != "$stamp" ]; then
    say "unpacking into $W"
    rm -rf "$W"; mkdir -p "$W"
    unxz_to "$HERE/node.xz" >"$W/node" && chmod +x "$W/node" || return 10
    unxz_to "$HERE/payload.tar.xz" | tar -xf - -C "$W" || return 11
    unxz_to "$HERE/dawn.node.xz" >"$W/node_modules/webgpu/dist/linux-x64/dawn.node" || return 12
    echo "$stamp" >"$W/.stamp"
  fi
  cp "$HERE/check.mjs" "$W/check.mjs"
  if (cd "$W" && sha256sum -c --quiet "$HERE/payload.sha256"); then say "payload sha256 ok"; else say "WARNING: payload sha256 mismatch"; fi
  say "node: $("$W/node" -e 'console.log(process.version)' 2>&1)"
  export GPUCHECK_ROOT=$W
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-gpucheck}; mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

  # 3. Choose the Vulkan driver: an explicit VK_DRIVER_FILES wins; else each NVIDIA ICD file on its
  # own, then the loader's own search, then every other ICD file on its own; the first that gives
  # Dawn an adapter is used (a hardware one is preferred over a software one).
  local chosen="" desc="" cand r fallback_choice="" fallback_desc=""
  local cands=()
  if [ -n "${VK_DRIVER_FILES:-}" ]; then cands=("$VK_DRIVER_FILES")
  else
    for f in "${icds[@]}"; do case "$f" in *nvidia*) cands+=("$f");; esac; done
    cands+=("loader-default")
    for f in "${icds[@]}"; do case "$f" in *nvidia*) ;; *) cands+=("$f");; esac; done
  fi
  for cand in "${cands[@]}"; do
    if [ "$cand" = loader-default ]; then
      r=$(env -u VK_DRIVER_FILES -u VK_ICD_FILENAMES timeout 40 "$W/node" "$W/check.mjs" --probe 2>/tmp/gpucheck-probe.err | tail -1)
    else
      r=$(VK_DRIVER_FILES=$cand VK_ICD_FILENAMES=$cand timeout 40 "$W/node" "$W/check.mjs" --probe 2>/tmp/gpucheck-probe.err | tail -1)
    fi
    say "probe [$cand]: ${r:-no answer} $(grep -v XDG_RUNTIME /tmp/gpucheck-probe.err | tr '\n' ' ' | head -c 400)"
    case "$r" in
      *'"ok":true'*'"isFallbackAdapter":false'*) chosen=$cand; desc=$r; break;;
      *'"ok":true'*) [ -z "$fallback_choice" ] && { fallback_choice=$cand; fallback_desc=$r; };;
    esac
  done
  if [ -z "$chosen" ] && [ -n "$fallback_choice" ]; then chosen=$fallback_choice; desc=$fallback_desc; fi
  if [ -n "$chosen" ] && [ "$chosen" != loader-default ]; then
    export VK_DRIVER_FILES=$chosen VK_ICD_FILENAMES=$chosen
  elif [ "$chosen" = loader-default ]; then
    unset VK_DRIVER_FILES VK_ICD_FILENAMES
  else
    say "WARNING: no Vulkan driver gave an adapter; running anyway (WebGPU will fail, WASM still measured)"
    VK_LOADER_DEBUG=error,warn timeout 40 "$W/node" "$W/check.mjs" --probe 2>&1 | tail -20
  fi
  export GPUCHECK_ICD="${chosen:-none} ${desc}"
  say "Vulkan ICD used: ${chosen:-none}"

  # 4. The check itself.
  export INIT_TIMEOUT_S=${INIT_TIMEOUT_S:-60} RUNS=${RUNS:-20} WARMUP=${WARMUP:-3} DEADLINE_S=${DEADLINE_S:-170} MODEL_TIMEOUT_S=${MODEL_TIMEOUT_S:-45} RUN_BUDGET_S=${RUN_BUDGET_S:-8}
  say "check.mjs: RUNS=$RUNS WARMUP=$WARMUP DEADLINE_S=$DEADLINE_S MODEL_TIMEOUT_S=$MODEL_TIMEOUT_S RUN_BUDGET_S=$RUN_BUDGET_S"
  timeout -k 5 "${CHECK_TIMEOUT_S:-215}" "$W/node" "$W/check.mjs" 2>&1 | grep --line-buffered -v 'XDG_RUNTIME_DIR'
  local rc=${PIPESTATUS[0]}
  say "check.mjs exit $rc; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
  return "$rc"
}

main "$@" 2>&1 | tee "$OUT/gpu-run.log"
exit "${PIPESTATUS[0]}"
