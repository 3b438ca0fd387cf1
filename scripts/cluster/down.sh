#!/usr/bin/env bash
# Stop every process `up` started (from the pid files, in reverse start
# order) and remove the state folder. Fine when nothing runs.
# LABDECK_CLUSTER_KEEP_STATE=1 keeps the folder (used by `up` after a failed
# start, so its logs can be read).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
quiet="${LABDECK_CLUSTER_QUIET:-0}"
# Seconds a process gets to exit after SIGTERM before SIGKILL. An apiserver
# whose etcd is gone (a crashed run) waits out this whole grace.
grace="${LABDECK_CLUSTER_STOP_GRACE:-10}"
[[ "$grace" =~ ^[0-9]+$ ]] || die "$EXIT_USAGE" "LABDECK_CLUSTER_STOP_GRACE=$grace is not a number of seconds"
ticks=$((grace * 10))
say() { [[ $quiet == 1 ]] || info "$@"; }

mkdir -p "$(dirname "$STATE_DIR")"
exec 9>"$STATE_DIR.lock"
flock -w 300 9 || die "$EXIT_START_FAILED" "another labdeck cluster up/down holds $STATE_DIR.lock"

if [[ ! -d "$STATE_DIR" ]]; then
  say "nothing to stop: no cluster state in $STATE_DIR"
  exit 0
fi
if [[ -n "$(ls -A "$STATE_DIR")" && ! -f "$STATE_DIR/.labdeck-cluster" ]]; then
  die "$EXIT_STALE_STATE" "$STATE_DIR was not made by labdeck cluster; not touching it (set LABDECK_CLUSTER_STATE to labdeck's folder)"
fi

stopped=()
pids=()
for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
  c="${COMPONENTS[$i]}"
  f="$STATE_DIR/pids/$c.pid"
  if pid_alive "$f" "$(proc_match "$c")"; then
    pid="$(cat "$f")"
    kill -TERM "$pid" 2>/dev/null || true
    # Stop in order: wait for this one before the next, so e.g. the
    # apiserver is gone before etcd goes away under it.
    for _ in $(seq 1 "$ticks"); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      say "$c (pid $pid) still runs ${grace}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    stopped+=("$c")
    pids+=("$pid")
  fi
done

# Processes of ours that no pid file names (a pid file lost or overwritten).
for pid in $(leftover_pids); do
  say "stopping leftover $(basename "$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n1)") (pid $pid) that no pid file names"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$ticks"); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  stopped+=("leftover:$pid")
  pids+=("$pid")
done

# A killed process can take a moment to be reaped; do not remove files it holds open.
for pid in "${pids[@]}"; do
  for _ in $(seq 1 25); do running "$pid" || break; sleep 0.1; done
done

if [[ "${LABDECK_CLUSTER_KEEP_STATE:-0}" != 1 ]]; then
  rm -rf "$STATE_DIR"
fi
if [[ ${#stopped[@]} -eq 0 ]]; then
  say "nothing was running; removed stale state $STATE_DIR"
else
  say "stopped ${stopped[*]}; removed $STATE_DIR"
fi
