# shellcheck shell=bash
# Shared settings for the labdeck cluster scripts. Sourced, never run.
# Every value can be overridden from the environment so CI and developers can
# move ports and folders without editing the scripts.

# Pinned versions: change KVER to move the whole control plane; the replace
# list for the k8s.io staging modules is generated from k8s.io/kubernetes' go.mod.
# 1.33.13, not 1.32.13: the module proxy reachable from CI does not serve
# k8s.io/kube-scheduler, cri-client or endpointslice at any v0.32.x (HTTP 403
# "This module version is not available"), while every module the three
# commands need exists at v0.33.13; kubectl's dispatcher ships kubectl 1.33.
KVER="${LABDECK_K8S_VERSION:-1.33.13}"
EVER="${LABDECK_ETCD_VERSION:-3.5.24}"
KWOKVER="${LABDECK_KWOK_VERSION:-0.8.0}"

# Binaries live outside the repository, in a folder named after the versions,
# so a version bump never reuses stale binaries and nothing gets committed.
CACHE_ROOT="${LABDECK_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labdeck}"
CACHE_DIR="$CACHE_ROOT/k8s-v$KVER"
BIN_DIR="${LABDECK_CLUSTER_BIN:-$CACHE_DIR/bin}"
BUILD_LOG="${LABDECK_CLUSTER_BUILD_LOG:-$CACHE_DIR/build.log}"

# Runtime state (PKI, kubeconfig, pid files, logs, etcd data). Outside the repo.
STATE_DIR="${LABDECK_CLUSTER_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/labdeck/cluster}"

# Ports, all bound to 127.0.0.1. Each one has its own variable so a clash can
# be fixed without touching the other processes.
ETCD_PORT="${LABDECK_ETCD_PORT:-2379}"
ETCD_PEER_PORT="${LABDECK_ETCD_PEER_PORT:-2380}"
APISERVER_PORT="${LABDECK_APISERVER_PORT:-6443}"
KCM_PORT="${LABDECK_KCM_PORT:-10257}"
SCHEDULER_PORT="${LABDECK_SCHEDULER_PORT:-10259}"
KWOK_PORT="${LABDECK_KWOK_PORT:-10250}"

NODE_COUNT="${LABDECK_NODE_COUNT:-2}"

# Start order; down stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok podlogs)
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

die() {
  local code="$1"; shift
  printf 'labdeck cluster: %s\n' "$*" >&2
  exit "$code"
}
info() { printf 'labdeck cluster: %s\n' "$*" >&2; }

# Exit codes shared with src/cluster (keep in sync with src/cluster/errors.ts).
EXIT_USAGE=2
EXIT_MISSING_BINARIES=3
EXIT_BUILD_FAILED=4
EXIT_PORT_TAKEN=5
EXIT_STALE_STATE=6
EXIT_START_FAILED=7
EXIT_NOT_RUNNING=8

# True while pid $1 runs. A zombie does not count: our daemons are reparented
# when `up` exits and their new parent may reap them late, and `kill -0`
# succeeds on a zombie.
running() {
  local st
  st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

# The text a component's command line must contain (besides $STATE_DIR).
proc_match() {
  case "$1" in
    podlogs) echo podlogs.py ;;
    *) echo "$1" ;;
  esac
}

# True when pid file $1 names a live process whose command line mentions both
# $2 and our state folder. The check keeps a recycled pid (after a crash or a
# reboot) from being taken for ours and, worse, from being killed by `down`.
pid_alive() {
  local file="$1" name="$2" pid cmd
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  running "$pid" || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *"$name"* && "$cmd" == *"$STATE_DIR"* ]]
}

# Pids of processes started for this state folder that no pid file names any
# more (e.g. a pid file overwritten or lost in a crash): program is one of ours
# (argv[0] is our binary, or python running podlogs.py) and its arguments
# mention $STATE_DIR. A safety net for `down`; the pid files stay the record.
leftover_pids() {
  local d pid args argv0 known
  known=" $(cat "$STATE_DIR"/pids/*.pid 2>/dev/null | tr '\n' ' ') "
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [[ "$known" == *" $pid "* ]] && continue
    args="$(tr '\0' '\n' 2>/dev/null <"$d/cmdline")" || continue
    [[ "$args" == *"$STATE_DIR/"* ]] || continue
    argv0="$(basename "$(head -n1 <<<"$args")")"
    case "$argv0" in
      etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kwok) echo "$pid" ;;
      python3*) [[ "$(sed -n 2p <<<"$args")" == */podlogs.py ]] && echo "$pid" ;;
    esac
  done
  return 0
}

# Ports and versions of the cluster that runs now, as recorded by `up`, so
# status/down/env describe it even if the environment changed since.
load_state_env() {
  local f="$STATE_DIR/cluster.env" k v
  [[ -f "$f" ]] || return 0
  while IFS='=' read -r k v; do
    case "$k" in
      etcd_port) ETCD_PORT="$v" ;;
      etcd_peer_port) ETCD_PEER_PORT="$v" ;;
      apiserver_port) APISERVER_PORT="$v" ;;
      kcm_port) KCM_PORT="$v" ;;
      scheduler_port) SCHEDULER_PORT="$v" ;;
      kwok_port) KWOK_PORT="$v" ;;
    esac
  done <"$f"
}

# The API server answers /readyz with our admin certificate.
api_ready() {
  local p="$STATE_DIR/pki"
  curl -fsS --max-time 5 --cacert "$p/ca.crt" --cert "$p/admin.crt" --key "$p/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null 2>&1
}

# Which process (if any) listens on 127.0.0.1:$1 or on a wildcard address.
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    ss -Hltn "sport = :$port" 2>/dev/null | grep -q .
  else
    # Fallback without iproute2: try to connect.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}
port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/\1 (pid \2)/p' | head -n1
}
