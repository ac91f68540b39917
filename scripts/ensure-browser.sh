#!/usr/bin/env bash
# The sandbox test drives a real browser: Debian's chromium, plus CJK and emoji fonts so pages show Chinese.
# Installs them when missing (root or sudo on Debian/Ubuntu); otherwise says exactly what to install.
set -euo pipefail
need=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
# ✅ ❌ ⏰ on cards: without a colour emoji font the screenshots show empty boxes.
fc-list 2>/dev/null | grep -qi emoji || need+=(fonts-noto-color-emoji)
[ ${#need[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null; then
  run=""
  [ "$(id -u)" -eq 0 ] || run="sudo"
  if [ -z "$run" ] || command -v sudo >/dev/null; then
    echo "installing ${need[*]} (apt-get) for the browser tests…"
    $run apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    exit 0
  fi
fi
echo "请安装 / please install: ${need[*]} (Debian: apt-get install ${need[*]}), or set CHROMIUM_PATH" >&2
exit 1
