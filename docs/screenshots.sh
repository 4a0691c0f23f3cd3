#!/usr/bin/env bash
# Regenerates the screenshots in docs/img from a fresh ./netprof demo, with headless Chromium
# (Debian package chromium: apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)/demo"
./netprof demo --out "$out" >/dev/null
shot() { # page, png, height
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
    --window-size=1400,"$3" --screenshot="docs/img/$2" "file://$out/$1" 2>/dev/null
}
shot report.html report.png 2600
shot flame-time.html flame-time.png 800
shot flame-bytes.html flame-bytes.png 800
echo "screenshots of $out written to docs/img"
