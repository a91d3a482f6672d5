#!/usr/bin/env bash
# engine.sh — a private Docker Engine (dockerd + its built-in BuildKit) for the real-builder tests.
# Follows shared/recipes/real-engines.md: vfs storage, no bridge, no iptables, own data-root and a short
# socket path under a fresh temp dir, so it never touches (or is touched by) any other dockerd.
#
#   engine.sh install        apt-get install docker.io busybox-static, only if missing (root)
#   engine.sh start          install if needed, start dockerd, wait until it answers; prints two lines
#                              DFI_ENGINE_DIR=<dir>
#                              DOCKER_HOST=unix://<dir>/docker.sock
#                            (use: eval "$(engine.sh start)"; export DFI_ENGINE_DIR DOCKER_HOST)
#   engine.sh stop DIR       kill that dockerd by its pid file, wait for it (and its containerd) to exit,
#                            then remove DIR (vfs keeps a full copy of every layer there)
#
# Exit codes: 0 ok, 1 failure (message on stderr; for start, the tail of dockerd's log).
# Environment: DFI_ENGINE_TIMEOUT seconds to wait for dockerd (default 60).
set -euo pipefail

say() { echo "[engine] $*" >&2; }
die() { echo "[engine] ERROR: $*" >&2; exit 1; }

install_if_missing() {
  local missing=() p
  for p in docker.io busybox-static; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [[ $(id -u) == 0 ]] || die "apt packages missing (${missing[*]}) and not root"
  say "apt: installing ${missing[*]}"
  local log; log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  { apt-get -o DPkg::Lock::Timeout=900 update \
      && apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 \
    || { tail -30 "$log" >&2; die "apt-get install ${missing[*]} failed (log: $log)"; }
  rm -f "$log"
}

start() {
  install_if_missing
  [[ -x /usr/sbin/dockerd || -x /usr/bin/dockerd ]] || die "dockerd not found after install"
  [[ -x /usr/bin/docker ]] || die "/usr/bin/docker (the 20.10 client that drives BuildKit) not found"
  [[ -x /bin/busybox ]] || die "/bin/busybox (busybox-static) not found"
  local d; d=$(mktemp -d /tmp/dfi-eng.XXXXXX)   # short: unix socket paths are limited to 108 bytes
  dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
    --data-root="$d/data" --exec-root="$d/exec" --pidfile="$d/pid" -H "unix://$d/docker.sock" \
    >"$d/log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$d/launcher-pid"
  local limit=${DFI_ENGINE_TIMEOUT:-60} i=0
  until DOCKER_HOST="unix://$d/docker.sock" /usr/bin/docker version >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -30 "$d/log" >&2; rm -rf "$d"; die "dockerd exited during startup"
    fi
    if ((i++ >= limit * 5)); then
      tail -30 "$d/log" >&2; stop "$d"; die "dockerd not ready after ${limit}s"
    fi
    sleep 0.2
  done
  echo "DFI_ENGINE_DIR=$d"
  echo "DOCKER_HOST=unix://$d/docker.sock"
}

stop() {
  local d=${1:?usage: engine.sh stop DIR}
  [[ -d "$d" ]] || return 0
  [[ -f "$d/launcher-pid" || -f "$d/pid" ]] || die "$d does not look like an engine dir (no pid file)"
  local pid=""
  [[ -f "$d/pid" ]] && pid=$(cat "$d/pid")
  [[ -z "$pid" && -f "$d/launcher-pid" ]] && pid=$(cat "$d/launcher-pid")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i=0
    while kill -0 "$pid" 2>/dev/null; do
      if ((i++ > 150)); then say "dockerd $pid ignored TERM for 30 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
      sleep 0.2
    done
  fi
  # containerd is dockerd's child and exits with it; if one is left (dockerd killed hard), stop that one
  # (found by its config path under DIR, never by name alone)
  local c
  for c in $(pgrep -f -- "--config $d/exec/containerd/containerd.toml" || true); do kill -TERM "$c" 2>/dev/null || true; done
  # vfs layers are plain directories; anything still mounted under DIR (a crashed build) must go first
  if command -v findmnt >/dev/null; then
    { findmnt -rn -o TARGET | grep -F "$d/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done; } || true
  fi
  rm -rf "$d"
}

case "${1:-}" in
  install) install_if_missing ;;
  start) start ;;
  stop) shift; stop "$@" ;;
  *) echo "usage: $0 install | start | stop DIR" >&2; exit 2 ;;
esac
