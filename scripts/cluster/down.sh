#!/usr/bin/env bash
# Stop every process `up` started (from the pid files, in reverse start order),
# take the real node apart (containers, mounts, cgroups, network namespace,
# interfaces, iptables rules and chains, kernel settings), check that nothing is
# left, and remove the state folder. Fine when nothing runs.
# LABDECK_CLUSTER_KEEP_STATE=1 keeps the folder (used by `up` after a failed
# start, so its logs can be read).
# Exit 0 when everything is gone; 1 (listing it) when something could not be removed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=node.sh
source "$here/node.sh"
quiet="${LABDECK_CLUSTER_QUIET:-0}"
# Seconds a process gets to exit after SIGTERM before SIGKILL. An apiserver
# whose etcd is gone (a crashed run) waits out this whole grace.
grace="${LABDECK_CLUSTER_STOP_GRACE:-10}"
[[ "$grace" =~ ^[0-9]+$ ]] || die "$EXIT_USAGE" "LABDECK_CLUSTER_STOP_GRACE=$grace is not a number of seconds"
ticks=$((grace * 10))
say() { [[ $quiet == 1 ]] || info "$@"; }

mkdir -p "$(dirname "$STATE_DIR")"
exec 9>"$STATE_DIR.lock"
if ! flock -n 9; then
  say "another labdeck cluster up/down is working on $STATE_DIR; waiting for it (up to 300 s)"
  flock -w 300 9 || die "$EXIT_START_FAILED" "another labdeck cluster up/down still holds $STATE_DIR.lock after 300 s"
fi

if [[ ! -d "$STATE_DIR" ]]; then
  say "nothing to stop: no cluster state in $STATE_DIR"
  exit 0
fi
if [[ -n "$(ls -A "$STATE_DIR")" && ! -f "$STATE_DIR/.labdeck-cluster" ]]; then
  die "$EXIT_STALE_STATE" "$STATE_DIR was not made by labdeck cluster; not touching it (set LABDECK_CLUSTER_STATE to labdeck's folder)"
fi
load_state_env

# stop NAME PID: SIGTERM, wait up to the grace, then SIGKILL.
stopped=()
stop() {
  local name="$1" pid="$2"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$ticks"); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then
    say "$name (pid $pid) still runs ${grace}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do running "$pid" || break; sleep 0.1; done
  fi
  stopped+=("$name")
}
stop_component() {
  local c="$1" f="$STATE_DIR/pids/$1.pid"
  pid_alive "$f" "$(proc_match "$c")" && stop "$c" "$(cat "$f")"
  return 0
}

# The node first, while the API server still runs (nothing waits on it, but its
# logs then show the node going away rather than errors).
real_node=0
[[ "$NODES" == real || -e "$NETNS_FILE" || -e "$STATE_DIR/node" ]] && real_node=1
if [[ $real_node == 1 ]]; then
  stop_component kube-proxy
  stop_component kubelet
  # Containers and tasks, through containerd while it still answers: SIGKILL
  # every task, then delete tasks and containers, so containerd unmounts their
  # root file systems itself.
  sock="$STATE_DIR/node/containerd.sock"
  if pid_alive "$STATE_DIR/pids/containerd.pid" containerd && ctr --address "$sock" version >/dev/null 2>&1; then
    c=(ctr --address "$sock" --namespace k8s.io)
    for t in $(timeout 20 "${c[@]}" tasks ls -q 2>/dev/null); do timeout 10 "${c[@]}" tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    for t in $(timeout 20 "${c[@]}" tasks ls -q 2>/dev/null); do timeout 10 "${c[@]}" tasks delete -f "$t" >/dev/null 2>&1 || true; done
    for ct in $(timeout 20 "${c[@]}" containers ls -q 2>/dev/null); do timeout 10 "${c[@]}" containers delete "$ct" >/dev/null 2>&1 || true; done
  fi
  stop_component containerd
fi

for c in kwok kube-scheduler kube-controller-manager registry kube-apiserver etcd; do stop_component "$c"; done

# Processes of ours that no pid file names (a pid file lost or overwritten,
# containerd's shims), then whatever still runs in the node's cgroups or network
# namespace (the containers themselves).
for pid in $(leftover_pids); do
  say "stopping leftover $(basename "$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n1)") (pid $pid) that no pid file names"
  stop "leftover:$pid" "$pid"
done
if [[ $real_node == 1 ]]; then
  node_cgroups_down
  ino="$(netns_inode)"
  # shellcheck disable=SC2046
  for pid in $(netns_pids "$ino"); do kill -KILL "$pid" 2>/dev/null || true; done
  node_mounts_down
  node_network_down
  node_cgroups_down
  node_log_links_down
  node_sysctls_restore
fi

left="$(node_leftovers)"
if [[ -n "$left" ]]; then
  info "could not remove everything the cluster made:"
  sed 's/^/  /' <<<"$left" >&2
  info "state kept in $STATE_DIR; run labdeck cluster down again, or remove these by hand"
  exit 1
fi
if [[ "${LABDECK_CLUSTER_KEEP_STATE:-0}" != 1 ]]; then
  # The marker goes last: a removal that fails half-way leaves a folder that
  # up and down still recognise as labdeck's, so they can finish the job.
  find "$STATE_DIR" -mindepth 1 -maxdepth 1 ! -name .labdeck-cluster -exec rm -rf {} + ||
    die "$EXIT_STALE_STATE" "could not remove everything in $STATE_DIR (listed above); run labdeck cluster down again"
  rm -rf "$STATE_DIR"
fi
if [[ ${#stopped[@]} -eq 0 ]]; then
  say "nothing was running; removed stale state $STATE_DIR"
else
  say "stopped ${stopped[*]}; removed $STATE_DIR"
fi
