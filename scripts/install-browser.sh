#!/usr/bin/env bash
# Install the system packages the browser tests, PDF reports and screenshots need:
# Debian's chromium (driven by Playwright through executable_path; no browser download),
# poppler-utils (pdftoppm, pdftotext) and WeasyPrint's Pango/HarfBuzz libraries and fonts.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
packages=(chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
