#!/bin/bash
# Builds the GPU-check bundle in .gpu/ (ignored by git via .git/info/exclude). Run here, not on the device:
#   bash .gpu/prep.sh        (needs node_modules, `npm run assets` output, xz, python3, network for `npm install webgpu`)
# Produces: node.xz (this machine's node, stripped, ICU data cut to English/root), dawn.node.xz
# (npm `webgpu`, linux-x64), payload.tar.xz (onnxruntime-web 1.30 webgpu entry + asyncify and plain
# glue/wasm as the SDK serves them, the ONNX models of the manifest, webgpu's index.js).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
PREP=${PREP:-/tmp/gpu-prep}
ASSETS=$REPO/demo/public/ekyc
mkdir -p "$PREP"
if [ ! -f "$PREP/node_modules/webgpu/dist/linux-x64/dawn.node" ]; then
  (cd "$PREP" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund webgpu@0.6.2)
fi
W=$PREP/node_modules/webgpu

# node: strip, cut the embedded ICU data (trim_icu.py), xz with the x86 filter.
if [ ! -f "$HERE/node.xz" ] || [ /usr/bin/node -nt "$HERE/node.xz" ]; then
  strip -o "$PREP/node.stripped" "$(readlink -f "$(command -v node)")"
  python3 "$HERE/trim_icu.py" "$PREP/node.stripped" "$PREP/node.trim"
  chmod +x "$PREP/node.trim"
  "$PREP/node.trim" -e 'new Intl.NumberFormat("en").format(1); "é".normalize("NFD"); console.log("trimmed node ok", process.version)'
  xz -T2 --x86 --lzma2=preset=9e,dict=64MiB -c "$PREP/node.trim" >"$HERE/node.xz"
fi
if [ ! -f "$HERE/dawn.node.xz" ]; then
  xz -T2 --x86 --lzma2=preset=9e -c "$W/dist/linux-x64/dawn.node" >"$HERE/dawn.node.xz"
fi

P=$PREP/payload
rm -rf "$P"; mkdir -p "$P/ort" "$P/models" "$P/node_modules/webgpu/dist/linux-x64"
cp "$W/index.js" "$W/package.json" "$P/node_modules/webgpu/"
cp "$REPO/node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs" "$P/ort/"
# The glue files as the SDK serves them (derived: provideCompiledWasm added), and both binaries.
cp "$ASSETS"/wasm/ort/ort-wasm-simd-threaded{.asyncify,}.{mjs,wasm} "$P/ort/"
cp "$ASSETS/models/manifest.json" "$P/models/"
node -e '
  const m = require(process.argv[1]);
  for (const a of m.assets.filter((a) => a.format === "onnx")) console.log(a.file);
' "$ASSETS/models/manifest.json" | while read -r f; do cp "$ASSETS/models/$f" "$P/models/"; done
(cd "$P" && sha256sum ort/* models/* node_modules/webgpu/index.js node_modules/webgpu/package.json) >"$HERE/payload.sha256"
(cd "$W/dist" && sha256sum linux-x64/dawn.node | sed "s|linux-x64|node_modules/webgpu/dist/linux-x64|") >>"$HERE/payload.sha256"
tar -C "$P" -cf - . | xz -T2 -9e >"$HERE/payload.tar.xz"
du -cb "$HERE"/* | sort -n
