#!/usr/bin/env bash
# run-isolated.sh CMD [ARGS...]
# Runs CMD in fresh network + PID namespaces where the only interface is loopback (`lo`, up).
# So the real-VS-Code test tiers (code-server, Chromium, the extension host) can reach 127.0.0.1 and
# nothing else: a test that tries the network fails here, as it would on CI.
# The PID namespace keeps things tidy: when CMD ends, every process it left behind
# (code-server, extension host, Chromium) is killed by the kernel.
# Needs root (or unprivileged user namespaces, then it maps the user to root).
# DFI_NO_NETNS=1 runs CMD directly (with a warning), for machines without unshare.
set -euo pipefail

if [[ "${1:-}" == "--inside" ]]; then
  shift
  ip link set lo up
  others=$(ip -o link show | awk -F': ' '$2 != "lo" {print $2}')
  if [[ -n "$others" ]]; then echo "run-isolated: not isolated, interfaces: $others" >&2; exit 1; fi
  echo "run-isolated: network = loopback only"
  # bash stays PID 1 of the namespace (PID 1 ignores signals it does not handle, so CMD must not be it)
  "$@" &
  child=$!
  trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT HUP
  set +e
  wait "$child"; rc=$?
  # a trapped signal interrupts wait; wait again for the real exit status
  while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
  exit "$rc"
fi

[[ $# -gt 0 ]] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
if [[ "${DFI_NO_NETNS:-}" == 1 ]]; then
  echo "run-isolated: WARNING: DFI_NO_NETNS=1, running without network isolation" >&2
  exec "$@"
fi
command -v unshare >/dev/null && command -v ip >/dev/null \
  || { echo "run-isolated: needs unshare (util-linux) and ip (iproute2); or set DFI_NO_NETNS=1" >&2; exit 2; }
ns=(--net --pid --fork --kill-child --mount-proc)
[[ $(id -u) == 0 ]] || ns=(--user --map-root-user "${ns[@]}")
exec unshare "${ns[@]}" -- bash "${BASH_SOURCE[0]}" --inside "$@"
