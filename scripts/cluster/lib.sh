# shellcheck shell=bash
# Shared settings for the labdeck cluster scripts. Sourced, never run.
# Every value can be overridden from the environment so CI and developers can
# move ports and folders without editing the scripts.

# Pinned versions: change KVER to move the whole control plane and the node; the
# replace list for the k8s.io staging modules is generated from k8s.io/kubernetes' go.mod.
# 1.33.13, not 1.32.13: the module proxy reachable from CI does not serve
# k8s.io/kube-scheduler, cri-client or endpointslice at any v0.32.x (HTTP 403
# "This module version is not available"), while every module the commands
# need exists at v0.33.13; kubectl's dispatcher ships kubectl 1.33.
KVER="${LABDECK_K8S_VERSION:-1.33.13}"
EVER="${LABDECK_ETCD_VERSION:-3.5.24}"
KWOKVER="${LABDECK_KWOK_VERSION:-0.8.0}"
# CoreDNS: the version kubeadm 1.33 installs.
COREDNS_VER="${LABDECK_COREDNS_VERSION:-1.12.0}"

# Binaries and images live outside the repository, in a folder named after the
# Kubernetes version, so a version bump never reuses stale ones and nothing gets committed.
CACHE_ROOT="${LABDECK_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/labdeck}"
CACHE_DIR="$CACHE_ROOT/k8s-v$KVER"
BIN_DIR="${LABDECK_CLUSTER_BIN:-$CACHE_DIR/bin}"
BUILD_LOG="${LABDECK_CLUSTER_BUILD_LOG:-$CACHE_DIR/build.log}"
# The registry mirror's storage (built by images.sh, served read-only by `up`).
IMAGES_DIR="${LABDECK_CLUSTER_IMAGES:-$CACHE_DIR/images}"
IMAGE_LIST="${LABDECK_IMAGE_LIST:-$(dirname "${BASH_SOURCE[0]}")/images.list}"

# Runtime state (PKI, kubeconfig, pid files, logs, etcd data, the node's
# containerd and kubelet folders). Outside the repo.
STATE_DIR="${LABDECK_CLUSTER_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/labdeck/cluster}"

# What runs the pods: `real` (kubelet + containerd + runc, the default) or
# `simulated` (kwok: no container runs). `up --nodes X` sets it; `status` and
# `down` read it back from the state folder.
NODES="${LABDECK_NODES:-real}"

# Ports on 127.0.0.1. Each one has its own variable so a clash can be fixed
# without touching the other processes.
ETCD_PORT="${LABDECK_ETCD_PORT:-2379}"
ETCD_PEER_PORT="${LABDECK_ETCD_PEER_PORT:-2380}"
APISERVER_PORT="${LABDECK_APISERVER_PORT:-6443}"
KCM_PORT="${LABDECK_KCM_PORT:-10257}"
SCHEDULER_PORT="${LABDECK_SCHEDULER_PORT:-10259}"
REGISTRY_PORT="${LABDECK_REGISTRY_PORT:-5000}"
KWOK_PORT="${LABDECK_KWOK_PORT:-10250}"
# The kubelet's port is inside the node's own network namespace (no clash with the host's).
KUBELET_PORT=10250

# Simulated nodes only.
NODE_COUNT="${LABDECK_NODE_COUNT:-2}"

# The real node: one network namespace per cluster, linked to the host by a
# veth pair on a /30 taken from this range (RFC 2544's benchmarking range:
# never routed anywhere, so it cannot shadow a real network). Pods and
# Services use ranges that exist only inside that namespace.
NODE_LINK_NET="${LABDECK_NODE_LINK_NET:-198.18}"
NODE_NAME=node1
POD_CIDR=10.244.0.0/16
POD_SUBNET=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
CLUSTER_DNS=10.96.0.10
PAUSE_IMAGE=registry.k8s.io/pause:3.10
COREDNS_IMAGE="registry.k8s.io/coredns/coredns:v$COREDNS_VER"

# Names that must not clash between two clusters on one machine (the default
# one and a test's private one) are derived from the state folder.
CLUSTER_ID="$(printf '%s' "$STATE_DIR" | sha256sum | cut -c1-8)"
NETNS_FILE="$STATE_DIR/node/netns"
HOST_IF="ldk$CLUSTER_ID"
CHAIN="LABDECK-$CLUSTER_ID"
CGROUP_ROOT="labdeck-$CLUSTER_ID"
# Machine-wide: serialises the choice of link addresses and keeps the kernel
# settings kubelet changes (see node.sh), for every labdeck node on this machine.
MACHINE_DIR="${LABDECK_MACHINE_DIR:-/run/labdeck}"

CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler)
# Start order per node kind; down stops them in reverse.
components_for() {
  case "$1" in
    real) echo "${CONTROL_PLANE[*]} registry containerd kubelet kube-proxy" ;;
    simulated) echo "${CONTROL_PLANE[*]} kwok" ;;
  esac
}
binaries_for() {
  case "$1" in
    real) echo "etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns pause" ;;
    simulated) echo "etcd kube-apiserver kube-controller-manager kube-scheduler kwok" ;;
  esac
}
# Everything build.sh makes, for either kind.
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns pause kwok)

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
EXIT_MISSING_PACKAGES=9
EXIT_NO_CONTAINERS=10

# build.sh and images.sh take one option: --force (rebuild what is cached). Prints 1 or 0.
force_flag() {
  case "${1:-}" in
    --force) echo 1 ;;
    "") echo 0 ;;
    *) die "$EXIT_USAGE" "unknown option '$1' ($(basename "$0") [--force])" ;;
  esac
}

valid_nodes() {
  [[ "$1" == real || "$1" == simulated ]] || die "$EXIT_USAGE" "--nodes must be real or simulated, not '$1'"
}

# True while pid $1 runs. A zombie does not count: our daemons are reparented
# when `up` exits, and on a machine whose PID 1 does not reap orphans (this
# kind of VM) they stay <defunct> forever. A zombie is dead, not leaked.
running() {
  local st
  st="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != Z && "$st" != X ]]
}

# The text a component's command line must contain (besides $STATE_DIR).
proc_match() {
  case "$1" in
    registry) echo registry ;;
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

# Pids of processes started for this state folder that no pid file names (a
# pid file overwritten or lost in a crash, containerd's shims): the program is
# one of ours and its arguments mention $STATE_DIR. The pid files stay the record.
leftover_pids() {
  local f pid args argv0 known
  known=" $(cat "$STATE_DIR"/pids/*.pid 2>/dev/null | tr '\n' ' ') "
  # One grep over every command line: only the processes that mention our state folder.
  for f in $(grep -lsF -- "$STATE_DIR/" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid="${f#/proc/}" pid="${pid%/cmdline}"
    [[ "$known" == *" $pid "* ]] && continue
    running "$pid" || continue
    args="$(tr '\0' '\n' 2>/dev/null <"$f")" || continue
    argv0="$(basename "$(head -n1 <<<"$args")")"
    case "$argv0" in
      etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kwok|kubelet|kube-proxy|containerd|containerd-shim*|docker-registry|nsenter) echo "$pid" ;;
      # podlogs.py: the pod output generator of labdeck versions before the real node.
      python3*) [[ "$(sed -n 2p <<<"$args")" == */podlogs.py ]] && echo "$pid" ;;
    esac
  done
  return 0
}

# Ports, versions and node kind of the cluster that runs now, as recorded by
# `up`, so status/down/env describe it even if the environment changed since.
load_state_env() {
  local f="$STATE_DIR/cluster.env" k v
  [[ -f "$f" ]] || return 0
  while IFS='=' read -r k v; do
    case "$k" in
      nodes) NODES="$v" ;;
      etcd_port) ETCD_PORT="$v" ;;
      etcd_peer_port) ETCD_PEER_PORT="$v" ;;
      apiserver_port) APISERVER_PORT="$v" ;;
      kcm_port) KCM_PORT="$v" ;;
      scheduler_port) SCHEDULER_PORT="$v" ;;
      registry_port) REGISTRY_PORT="$v" ;;
      kwok_port) KWOK_PORT="$v" ;;
      link_host) LINK_HOST="$v" ;;
      link_node) LINK_NODE="$v" ;;
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

# need_packages KIND: the Debian packages a command of ours needs, checked by
# the files they install (a tool may come from elsewhere: then it is on PATH).
# Prints "package" for each one missing; nothing when all are there.
#   build: what images.sh uses; real: what the node needs at run time.
missing_packages() {
  local kind="$1" entry cmd pkg
  local -a wanted=()
  case "$kind" in
    build) wanted=(umoci:umoci skopeo:skopeo docker-registry:docker-registry apt-get:apt dpkg-deb:dpkg unshare:util-linux) ;;
    real) wanted=(containerd:containerd containerd-shim-runc-v2:containerd ctr:containerd runc:runc
                  /usr/lib/cni/bridge:containernetworking-plugins /usr/lib/cni/host-local:containernetworking-plugins
                  /usr/lib/cni/loopback:containernetworking-plugins /usr/lib/cni/portmap:containernetworking-plugins
                  docker-registry:docker-registry iptables:iptables iptables-restore:iptables ip:iproute2
                  nsenter:util-linux unshare:util-linux) ;;
  esac
  for entry in "${wanted[@]}"; do
    cmd="${entry%%:*}" pkg="${entry#*:}"
    if [[ "$cmd" == /* ]]; then [[ -x "$cmd" ]] && continue
    else command -v "$cmd" >/dev/null 2>&1 && continue; fi
    echo "$pkg"
  done | awk '!seen[$0]++'
}
require_packages() {
  local kind="$1" what="$2" missing
  missing="$(missing_packages "$kind" | tr '\n' ' ')"
  missing="${missing% }"
  [[ -z "$missing" ]] && return 0
  die "$EXIT_MISSING_PACKAGES" "$what needs the Debian package(s) $missing, which are not installed; install them with: apt-get install -y $missing${3:+ ($3)}"
}
