#!/usr/bin/env bash
# What runs, versions, ports, and how the simulated nodes produce pod output.
# Exit 0: everything runs. 8: no cluster state at all. 6: a state folder whose
# processes are (partly) gone: a crashed run; `up` recovers, `down` cleans up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
load_state_env

if [[ ! -f "$STATE_DIR/.labdeck-cluster" ]]; then
  echo "labdeck cluster: not running (no state in $STATE_DIR)"
  missing=()
  for b in "${BINARIES[@]}"; do [[ -x "$BIN_DIR/$b" ]] || missing+=("$b"); done
  if [[ ${#missing[@]} -eq 0 ]]; then echo "binaries: $BIN_DIR (built)"
  else echo "binaries: $BIN_DIR (missing ${missing[*]}; run: labdeck cluster build)"; fi
  exit "$EXIT_NOT_RUNNING"
fi

declare -A port=(
  [etcd]="$ETCD_PORT (client), $ETCD_PEER_PORT (peer)"
  [kube-apiserver]="$APISERVER_PORT"
  [kube-controller-manager]="$KCM_PORT"
  [kube-scheduler]="$SCHEDULER_PORT"
  [kwok]="$KWOK_PORT (kubelet API for logs/exec)"
  [podlogs]="none (writes files)"
)
val() { sed -n "s/^$1=//p" "$STATE_DIR/cluster.env" 2>/dev/null; }
up=0 down=0
echo "labdeck cluster: state $STATE_DIR"
printf '  %-24s %-8s %-9s %s\n' COMPONENT PID STATE 'PORT (127.0.0.1)'
for c in "${COMPONENTS[@]}"; do
  f="$STATE_DIR/pids/$c.pid"
  pid="$(cat "$f" 2>/dev/null || echo -)"
  if pid_alive "$f" "$(proc_match "$c")"; then
    st=running; up=$((up + 1))
    rss=$(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || true)
  else
    st=stopped; down=$((down + 1)); rss=""
  fi
  printf '  %-24s %-8s %-9s %s%s\n' "$c" "$pid" "$st" "${port[$c]}" "${rss:+, RSS $rss}"
done
echo "versions: kubernetes $(val kubernetes), etcd $(val etcd), kwok $(val kwok); binaries in $(val bin_dir)"
echo "started: $(val started), ready after $(val ready_ms) ms"
if [[ $up -gt 0 ]] && api_ready; then
  echo "API: https://127.0.0.1:$APISERVER_PORT ready; use it with: eval \"\$(labdeck cluster env)\""
  KUBECONFIG="$STATE_DIR/admin.kubeconfig" kubectl get nodes -o wide 2>/dev/null | sed 's/^/  /' || true
fi
cat <<EOT
simulated: the nodes are kwok simulations; no container runs. Pod status is set by kwok.
  kubectl logs: synthesized by podlogs.py, per container, from its command:
    'ping HOST' -> one busybox-style line per second with a growing seq= (no packet is sent),
    'echo ARGS' -> ARGS once; anything else -> one line saying the output is not simulated.
    Files: $STATE_DIR/podlogs/<namespace>_<pod>_<uid>/<container>.log
  kubectl exec: runs the command on THIS HOST (cwd $STATE_DIR/exec), not in a container.
EOT
if [[ $down -eq 0 ]]; then exit 0; fi
if [[ $up -eq 0 ]]; then
  echo "nothing runs: stale state from an earlier run; 'labdeck cluster up' recovers, 'labdeck cluster down' cleans it"
  exit "$EXIT_STALE_STATE"
fi
echo "some processes are gone (crashed?); 'labdeck cluster up' restarts the cluster, logs in $STATE_DIR/logs"
exit "$EXIT_STALE_STATE"
