#!/usr/bin/env bash
# What runs, versions, ports, and what kind of node runs the pods.
# Exit 0: everything runs. 8: no cluster state at all. 6: a state folder whose
# processes are (partly) gone: a crashed run (a dead kubelet or containerd
# included); `up` recovers, `down` cleans up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=node.sh
source "$here/node.sh"
load_state_env

if [[ ! -f "$STATE_DIR/.labdeck-cluster" ]]; then
  echo "labdeck cluster: not running (no state in $STATE_DIR)"
  missing=()
  for b in "${BINARIES[@]}"; do [[ -x "$BIN_DIR/$b" ]] || missing+=("$b"); done
  if [[ ${#missing[@]} -eq 0 ]]; then echo "binaries: $BIN_DIR (built)"
  else echo "binaries: $BIN_DIR (missing ${missing[*]}; run: labdeck cluster build)"; fi
  if [[ -f "$IMAGES_DIR/mirrored" ]]; then echo "images: $(wc -l <"$IMAGES_DIR/mirrored") in the mirror's storage $IMAGES_DIR/registry"
  else echo "images: none built (run: labdeck cluster build)"; fi
  exit "$EXIT_NOT_RUNNING"
fi

read -r -a COMPONENTS <<<"$(components_for "$NODES")"
declare -A port=(
  [etcd]="$ETCD_PORT (client), $ETCD_PEER_PORT (peer)"
  [kube-apiserver]="$APISERVER_PORT"
  [kube-controller-manager]="$KCM_PORT"
  [kube-scheduler]="$SCHEDULER_PORT"
  [registry]="$REGISTRY_PORT (registry mirror)"
  [containerd]="none (socket $STATE_DIR/node/containerd.sock)"
  [kubelet]="$KUBELET_PORT on ${LINK_NODE:-?} (node network namespace)"
  [kube-proxy]="none (iptables in the node network namespace)"
  [kwok]="$KWOK_PORT (kubelet API of the simulated nodes)"
)
val() { sed -n "s/^$1=//p" "$STATE_DIR/cluster.env" 2>/dev/null; }
up=0 down=0 dead=()
echo "labdeck cluster: state $STATE_DIR"
printf '  %-24s %-8s %-9s %s\n' COMPONENT PID STATE 'PORT (127.0.0.1 unless said)'
for c in "${COMPONENTS[@]}"; do
  f="$STATE_DIR/pids/$c.pid"
  pid="$(cat "$f" 2>/dev/null || echo -)"
  if pid_alive "$f" "$(proc_match "$c")"; then
    st=running; up=$((up + 1))
    rss=$(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || true)
  else
    st=stopped; down=$((down + 1)); rss=""; dead+=("$c")
  fi
  printf '  %-24s %-8s %-9s %s%s\n' "$c" "$pid" "$st" "${port[$c]}" "${rss:+, RSS $rss}"
done
if [[ "$NODES" == real ]]; then
  echo "versions: kubernetes $(val kubernetes), etcd $(val etcd), coredns $(val coredns); binaries in $(val bin_dir)"
  echo "nodes: real node $NODE_NAME: kubelet $(val kubelet), containerd $(val containerd), runc $(val runc)"
  echo "  network namespace $NETNS_FILE, link $HOST_IF ${LINK_HOST:-?} <-> uplink ${LINK_NODE:-?}; pods $POD_SUBNET, services $SERVICE_CIDR, DNS $CLUSTER_DNS"
  echo "  no route out: pods and the node reach only each other, the API server and the mirror"
  # Containers: the pids in the node's cgroups, with their memory.
  cpids="$(cgroup_pids | tr '\n' ' ')"
  if [[ -n "${cpids// }" ]]; then
    # shellcheck disable=SC2086
    # shellcheck disable=SC2046
    echo "  container processes: $(wc -w <<<"$cpids"), RSS $(awk '/VmRSS/ {s += $2} END {printf "%d MiB", s/1024}' $(printf '/proc/%s/status ' $cpids) 2>/dev/null)"
  fi
  echo "images: mirror http://127.0.0.1:$REGISTRY_PORT serves $(tr '\n' ' ' <"$IMAGES_DIR/mirrored" 2>/dev/null)"
else
  echo "versions: kubernetes $(val kubernetes), etcd $(val etcd), kwok $(val kwok); binaries in $(val bin_dir)"
  echo "nodes: $(val node_count) simulated by kwok: no container runs; pod logs are empty, kubectl exec has nothing to enter"
fi
echo "started: $(val started), ready after $(val ready_ms) ms"
if [[ $up -gt 0 ]] && api_ready; then
  echo "API: https://127.0.0.1:$APISERVER_PORT ready; use it with: eval \"\$(labdeck cluster env)\""
  KUBECONFIG="$STATE_DIR/admin.kubeconfig" kubectl get nodes -o wide 2>/dev/null | sed 's/^/  /' || true
fi
if [[ $down -eq 0 ]]; then exit 0; fi
if [[ $up -eq 0 ]]; then
  echo "nothing runs: stale state from an earlier run; 'labdeck cluster up' recovers, 'labdeck cluster down' cleans it"
  exit "$EXIT_STALE_STATE"
fi
for c in "${dead[@]}"; do
  case "$c" in
    kubelet) echo "kubelet is not running: pods are neither started nor stopped, and kubectl logs/exec fail" ;;
    containerd) echo "containerd is not running: no container can start, and kubelet reports the node NotReady" ;;
    registry) echo "the registry mirror is not running: image pulls fail with 'connection refused' on ${LINK_HOST:-?}:$REGISTRY_PORT" ;;
  esac
done
echo "some processes are gone (crashed?): ${dead[*]}; 'labdeck cluster up' restarts the cluster, logs in $STATE_DIR/logs"
exit "$EXIT_STALE_STATE"
