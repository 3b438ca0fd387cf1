#!/usr/bin/env bash
# Start labdeck's loopback Kubernetes cluster: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler (built by build.sh) on 127.0.0.1, and
#   --nodes real (default): one real node, node1: the registry mirror, containerd,
#     runc, kubelet, kube-proxy and CoreDNS, in a network namespace of its own
#     (node.sh); pods are real containers from the mirror's images;
#   --nodes simulated: kwok's simulated nodes (no container runs; pod logs are empty).
# Pid files and logs go to $STATE_DIR. Idempotent: when the cluster already runs,
# `up` reuses it. A state folder left by a crashed run is cleaned up first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=node.sh
source "$here/node.sh"

# Options: --nodes real|simulated, and one --<name>-port per port (the same as its
# LABDECK_*_PORT variable), so a port clash can be fixed from the command line.
USAGE="up.sh [--nodes real|simulated] [--etcd-port N] [--etcd-peer-port N] [--apiserver-port N] [--kcm-port N] [--scheduler-port N] [--registry-port N] [--kwok-port N]"
while (($#)); do
  opt="${1%%=*}" val=""
  if [[ "$1" == *=* ]]; then val="${1#*=}"; shift; else
    [[ $# -ge 2 ]] || die "$EXIT_USAGE" "$1 needs a value ($USAGE)"
    val="$2"; shift 2
  fi
  case "$opt" in
    --nodes) NODES="$val" ;;
    --etcd-port) ETCD_PORT="$val" ;;
    --etcd-peer-port) ETCD_PEER_PORT="$val" ;;
    --apiserver-port) APISERVER_PORT="$val" ;;
    --kcm-port) KCM_PORT="$val" ;;
    --scheduler-port) SCHEDULER_PORT="$val" ;;
    --registry-port) REGISTRY_PORT="$val" ;;
    --kwok-port) KWOK_PORT="$val" ;;
    *) die "$EXIT_USAGE" "unknown option '$opt' ($USAGE)" ;;
  esac
done
valid_nodes "$NODES"
read -r -a COMPONENTS <<<"$(components_for "$NODES")"

T0=$(date +%s%N)
P="$STATE_DIR/pki"
KUBECONFIG_FILE="$STATE_DIR/admin.kubeconfig"

usage_hint() {
  if [[ "$NODES" == real ]]; then
    cat <<EOF
labdeck cluster: ready (Kubernetes v$KVER, real node $NODE_NAME: $(node_kind), API on https://127.0.0.1:$APISERVER_PORT)
Use it from this shell with:
  eval "\$(labdeck cluster env)"
  kubectl run pingpong --image alpine ping 127.0.0.1
Pods are real containers; images come from the mirror on 127.0.0.1:$REGISTRY_PORT (scripts/cluster/images.list).
EOF
  else
    cat <<EOF
labdeck cluster: ready (Kubernetes v$KVER, $NODE_COUNT simulated kwok nodes, API on https://127.0.0.1:$APISERVER_PORT)
Use it from this shell with:
  eval "\$(labdeck cluster env)"
  kubectl get nodes
Nodes are simulated by kwok: no container runs, and pod logs are empty.
EOF
  fi
}
node_kind() {
  local f="$STATE_DIR/cluster.env"
  printf 'kubelet %s, containerd %s, runc %s' "$(sed -n 's/^kubelet=//p' "$f" 2>/dev/null)" \
    "$(sed -n 's/^containerd=//p' "$f" 2>/dev/null)" "$(sed -n 's/^runc=//p' "$f" 2>/dev/null)"
}

# Serialize concurrent `up`/`down` calls on one state folder: the second waits,
# then finds the cluster the first one started and reuses it.
mkdir -p "$(dirname "$STATE_DIR")"
exec 9>"$STATE_DIR.lock"
if ! flock -n 9; then
  info "another labdeck cluster up/down is working on $STATE_DIR; waiting for it (up to 300 s)"
  flock -w 300 9 || die "$EXIT_START_FAILED" "another labdeck cluster up/down still holds $STATE_DIR.lock after 300 s"
fi

# --- binaries, images, packages, kernel ---------------------------------------------
for b in $(binaries_for "$NODES"); do
  [[ -x "$BIN_DIR/$b" ]] || die "$EXIT_MISSING_BINARIES" \
    "missing $BIN_DIR/$b; build the cluster binaries first: labdeck cluster build (or scripts/cluster/build.sh)"
done
if [[ "$NODES" == simulated ]]; then
  [[ -f "$BIN_DIR/kwok-assets/pod-ready.yaml" ]] || die "$EXIT_MISSING_BINARIES" \
    "missing kwok stage files in $BIN_DIR/kwok-assets; run: labdeck cluster build"
fi
command -v openssl >/dev/null || die "$EXIT_MISSING_PACKAGES" "openssl is needed to make the cluster certificates; install it with: apt-get install -y openssl"
command -v kubectl >/dev/null || die "$EXIT_START_FAILED" "kubectl is needed on PATH"
if [[ "$NODES" == real ]]; then
  require_packages real "a real node" "or use --nodes simulated"
  node_preflight
  for img in "$PAUSE_IMAGE" "$COREDNS_IMAGE"; do
    grep -qxF "$img" "$IMAGES_DIR/mirrored" 2>/dev/null || die "$EXIT_MISSING_BINARIES" \
      "the registry mirror has no $img yet ($IMAGES_DIR); build the images first: labdeck cluster build"
  done
fi

# --- existing state: reuse, recover, or refuse -----------------------------------------
if [[ -d "$STATE_DIR" ]] && [[ -n "$(ls -A "$STATE_DIR" 2>/dev/null)" ]]; then
  [[ -f "$STATE_DIR/.labdeck-cluster" ]] || die "$EXIT_STALE_STATE" \
    "$STATE_DIR exists but was not made by labdeck cluster; remove it or set LABDECK_CLUSTER_STATE to another folder"
  running_nodes="$(sed -n 's/^nodes=//p' "$STATE_DIR/cluster.env" 2>/dev/null || true)"
  alive=() dead=()
  for c in $(components_for "${running_nodes:-$NODES}"); do
    if pid_alive "$STATE_DIR/pids/$c.pid" "$(proc_match "$c")"; then alive+=("$c"); else dead+=("$c"); fi
  done
  # Ports as recorded by the running cluster (a subshell: a fresh start below
  # must use the ports from the environment).
  if [[ -n "$running_nodes" && ${#dead[@]} -eq 0 ]] && (load_state_env && api_ready); then
    if [[ "$running_nodes" != "$NODES" ]]; then
      die "$EXIT_USAGE" "a cluster with $running_nodes nodes already runs in $STATE_DIR; to switch to $NODES nodes: labdeck cluster down, then labdeck cluster up --nodes $NODES"
    fi
    info "cluster already running in $STATE_DIR (reused)"
    usage_hint >&2
    exit 0
  fi
  info "found stale state in $STATE_DIR from an earlier run (not running: ${dead[*]:-none}; still running: ${alive[*]:-none}); stopping what is left and starting afresh"
  # down.sh takes the same lock: release ours while it runs.
  flock -u 9
  # Short grace: what is left of a crashed run has nothing worth waiting for.
  LABDECK_CLUSTER_QUIET=1 LABDECK_CLUSTER_STOP_GRACE=3 "$here/down.sh" || die "$EXIT_STALE_STATE" \
    "could not clean the stale state in $STATE_DIR; run: labdeck cluster down (or remove that folder)"
  flock -w 300 9 || die "$EXIT_START_FAILED" "another labdeck cluster up/down holds $STATE_DIR.lock"
fi

# --- ports -----------------------------------------------------------------------------
# check_port PORT WHAT VARIABLE: free, or exit 5 naming the process holding it, the
# option and the variable that move it (--apiserver-port for LABDECK_APISERVER_PORT).
check_port() {
  local port="$1" what="$2" var="$3" owner flag
  flag="--$(tr 'A-Z_' 'a-z-' <<<"${var#LABDECK_}")"
  [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "$EXIT_USAGE" "$var ($flag) = '$port' is not a TCP port"
  if port_in_use "$port"; then
    owner="$(port_owner "$port")"
    die "$EXIT_PORT_TAKEN" "port $port ($what) on 127.0.0.1 is already in use${owner:+ by $owner}; stop that process, or choose a free port with labdeck cluster up $flag N (or $var=N)"
  fi
}
PORT_VARS=(ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT SCHEDULER_PORT)
check_port "$ETCD_PORT" etcd LABDECK_ETCD_PORT
check_port "$ETCD_PEER_PORT" "etcd peer" LABDECK_ETCD_PEER_PORT
check_port "$APISERVER_PORT" kube-apiserver LABDECK_APISERVER_PORT
check_port "$KCM_PORT" kube-controller-manager LABDECK_KCM_PORT
check_port "$SCHEDULER_PORT" kube-scheduler LABDECK_SCHEDULER_PORT
if [[ "$NODES" == real ]]; then
  check_port "$REGISTRY_PORT" "registry mirror" LABDECK_REGISTRY_PORT
  PORT_VARS+=(REGISTRY_PORT)
else
  check_port "$KWOK_PORT" "kwok kubelet endpoint" LABDECK_KWOK_PORT
  PORT_VARS+=(KWOK_PORT)
fi
declare -A seen_ports=()
for v in "${PORT_VARS[@]}"; do
  [[ -z "${seen_ports[${!v}]:-}" ]] || die "$EXIT_USAGE" "LABDECK_$v and LABDECK_${seen_ports[${!v}]} are both ${!v}; give each its own port"
  seen_ports[${!v}]="$v"
done

# --- state folder ----------------------------------------------------------------------
mkdir -p "$STATE_DIR"/{pki,pids,logs,etcd}
chmod 700 "$STATE_DIR"
touch "$STATE_DIR/.labdeck-cluster"
# Written now (and completed at the end) so a failed start is cleaned up as what it was.
printf 'nodes=%s\n' "$NODES" >"$STATE_DIR/cluster.env"

# On any failure from here: stop what we started, keep the logs, name them.
started_ok=0
on_exit() {
  local rc=$?
  if [[ $started_ok == 0 && $rc != 0 ]]; then
    info "start failed; logs are in $STATE_DIR/logs (they stay until the next up or down)"
    flock -u 9 || true  # down.sh takes the same lock
    LABDECK_CLUSTER_QUIET=1 LABDECK_CLUSTER_KEEP_STATE=1 "$here/down.sh" >/dev/null 2>&1 || true
  fi
}
trap on_exit EXIT

if [[ "$NODES" == real ]]; then
  node_link_alloc
  printf 'link_host=%s\nlink_node=%s\n' "$LINK_HOST" "$LINK_NODE" >>"$STATE_DIR/cluster.env"
fi

# --- PKI (openssl; the same recipe that kubectl's TLS stack was checked against) -----
# ECDSA P-256 keys: eight RSA-2048 keys took 7 s of a loaded 2-core machine's start.
KEY=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
# cert NAME SUBJECT EXT: a key and a certificate signed by our CA.
cert() {
  openssl req "${KEY[@]}" -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 3650 \
    -extfile "$3" -out "$1.crt" 2>/dev/null
}
pki() {
  cd "$P"
  openssl req -x509 "${KEY[@]}" -nodes -keyout ca.key -out ca.crt -days 3650 \
    -subj "/CN=labdeck-cluster-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  cat >server.ext <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1${LINK_HOST:+,IP:$LINK_HOST}
EOF
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >client.ext
  cert apiserver "/CN=kube-apiserver" server.ext
  cert admin "/O=system:masters/CN=kubernetes-admin" client.ext
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out sa.key 2>/dev/null
  openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
  if [[ "$NODES" == real ]]; then
    cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" client.ext
    cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME" client.ext
    cert kube-proxy "/CN=system:kube-proxy" client.ext
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s,IP:%s\n' "$NODE_NAME" "$LINK_NODE" >kubelet.ext
    cert kubelet "/CN=$NODE_NAME" kubelet.ext
  fi
  chmod 600 ./*.key
}
( pki ) || die "$EXIT_START_FAILED" "openssl could not create the certificates in $P"

b64() { base64 -w0 <"$1"; }
# kubeconfig FILE SERVER CERT: a kubeconfig for one client certificate of ours.
kubeconfig() {
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: labdeck
  cluster:
    server: $2
    certificate-authority-data: $(b64 "$P/ca.crt")
users:
- name: labdeck-$3
  user:
    client-certificate-data: $(b64 "$P/$3.crt")
    client-key-data: $(b64 "$P/$3.key")
contexts:
- name: labdeck
  context: {cluster: labdeck, user: labdeck-$3, namespace: default}
current-context: labdeck
EOF
  chmod 600 "$1"
}
kubeconfig "$KUBECONFIG_FILE" "https://127.0.0.1:$APISERVER_PORT" admin
export KUBECONFIG="$KUBECONFIG_FILE"
# Started with sudo (a real node needs root): the user who ran sudo gets the admin kubeconfig,
# so kubectl and labdeck verify run as that user.
if [[ -n "${SUDO_UID:-}" && $(id -u) -eq 0 ]]; then
  chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$KUBECONFIG_FILE"
  chmod 711 "$STATE_DIR"
fi

# --- processes -----------------------------------------------------------------------------
# start NAME CMD...: detached (own session, so a Ctrl-C or a test runner killing
# its process group leaves the cluster alone), stdin closed and output in a log
# file (so a caller reading our stdout through a pipe is not held open).
start() {
  local name="$1"; shift
  # 9>&- 7>&-: the daemon must not inherit (and so hold) our locks.
  setsid "$@" </dev/null >"$STATE_DIR/logs/$name.log" 2>&1 9>&- 7>&- &
  echo $! >"$STATE_DIR/pids/$name.pid"
}

# wait_for NAME SECONDS CHECK...: poll CHECK until it passes; fail early if the
# process died, naming its log.
wait_for() {
  local name="$1" secs="$2"; shift 2
  local deadline=$(($(date +%s) + secs))
  until "$@" >/dev/null 2>&1; do
    if ! pid_alive "$STATE_DIR/pids/$name.pid" "$(proc_match "$name")"; then
      tail -n 20 "$STATE_DIR/logs/$name.log" >&2 || true
      die "$EXIT_START_FAILED" "$name exited during start; see $STATE_DIR/logs/$name.log"
    fi
    if (($(date +%s) > deadline)); then
      tail -n 20 "$STATE_DIR/logs/$name.log" >&2 || true
      die "$EXIT_START_FAILED" "$name not ready after ${secs}s; see $STATE_DIR/logs/$name.log"
    fi
    sleep 0.2
  done
}

start etcd "$BIN_DIR/etcd" --name=labdeck --data-dir="$STATE_DIR/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="labdeck=http://127.0.0.1:$ETCD_PEER_PORT" \
  --auto-compaction-retention=1 --quota-backend-bytes=2147483648 \
  --unsafe-no-fsync=true --log-level=warn

# The node's network exists before the API server starts: it advertises the
# host end of the node's link (pods reach it as the `kubernetes` Service).
if [[ "$NODES" == real ]]; then
  node_network_up || die "$EXIT_START_FAILED" "could not set up the node's network namespace and link ($HOST_IF)"
  APISERVER_NODE_FLAGS=(--advertise-address="$LINK_HOST"
    --kubelet-client-certificate="$P/apiserver-kubelet-client.crt" --kubelet-client-key="$P/apiserver-kubelet-client.key"
    --kubelet-certificate-authority="$P/ca.crt" --kubelet-preferred-address-types=InternalIP)
else
  # --advertise-address=127.0.0.1 + --endpoint-reconciler-type=none: otherwise the
  # apiserver advertises the default-route address (not loopback). No kubelet CA:
  # the apiserver talks TLS to kwok without verifying it, as kwokctl does.
  # shellcheck disable=SC2054
  APISERVER_NODE_FLAGS=(--advertise-address=127.0.0.1 --endpoint-reconciler-type=none
    --kubelet-preferred-address-types=InternalIP,Hostname)
fi
wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

start kube-apiserver "$BIN_DIR/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --secure-port="$APISERVER_PORT" \
  "${APISERVER_NODE_FLAGS[@]}" \
  --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --client-ca-file="$P/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --authorization-mode=Node,RBAC \
  --allow-privileged=true \
  --profiling=false

if [[ "$NODES" == real ]]; then
  # The mirror: read-only, so a lab cannot push into the cache other runs pull from.
  cat >"$STATE_DIR/registry.yml" <<EOF
version: 0.1
log: {level: info, accesslog: {disabled: false}, fields: {service: labdeck-mirror}}
storage:
  filesystem: {rootdirectory: $IMAGES_DIR/registry}
  maintenance: {readonly: {enabled: true}, uploadpurging: {enabled: false}}
http: {addr: "127.0.0.1:$REGISTRY_PORT"}
EOF
  start registry docker-registry serve "$STATE_DIR/registry.yml"
  node_cgroups_up
  node_write_config
  kubeconfig "$STATE_DIR/node/kubelet.kubeconfig" "https://$LINK_HOST:$APISERVER_PORT" kubelet-client
  kubeconfig "$STATE_DIR/node/kube-proxy.kubeconfig" "https://$LINK_HOST:$APISERVER_PORT" kube-proxy
  start containerd nsenter --net="$NETNS_FILE" -- containerd --config "$STATE_DIR/node/containerd.toml"
fi

wait_for kube-apiserver 120 api_ready

start kube-controller-manager "$BIN_DIR/kube-controller-manager" \
  --kubeconfig="$KUBECONFIG_FILE" \
  --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
  --root-ca-file="$P/ca.crt" --service-account-private-key-file="$P/sa.key" \
  --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
  --use-service-account-credentials=false --profiling=false

start kube-scheduler "$BIN_DIR/kube-scheduler" \
  --kubeconfig="$KUBECONFIG_FILE" \
  --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE" \
  --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false --profiling=false

if [[ "$NODES" == real ]]; then
  wait_for registry 30 curl -fsS "http://127.0.0.1:$REGISTRY_PORT/v2/"
  wait_for containerd 30 ctr --address "$STATE_DIR/node/containerd.sock" version
  node_sysctls_save
  start kubelet nsenter --net="$NETNS_FILE" -- "$BIN_DIR/kubelet" \
    --config="$STATE_DIR/node/kubelet.yaml" --kubeconfig="$STATE_DIR/node/kubelet.kubeconfig" \
    --root-dir="$STATE_DIR/node/kubelet" --hostname-override="$NODE_NAME" --node-ip="$LINK_NODE" \
    --node-labels=labdeck.dev/node=real
  start kube-proxy nsenter --net="$NETNS_FILE" -- "$BIN_DIR/kube-proxy" --config="$STATE_DIR/node/kube-proxy.yaml"
else
  # kwok's configuration: its own "fast" stages, and logs that are empty (a
  # simulated container prints nothing); no exec (there is no process to enter).
  : >"$STATE_DIR/empty.log"
  {
    for f in node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete; do
      cat "$BIN_DIR/kwok-assets/$f.yaml"
      echo '---'
    done
    cat <<EOF
kind: ClusterLogs
apiVersion: kwok.x-k8s.io/v1alpha1
metadata: {name: labdeck-simulated-pods-print-nothing}
spec:
  logs:
  - logsFile: "$STATE_DIR/empty.log"
    follow: false
EOF
  } >"$STATE_DIR/kwok.yaml"
  start kwok "$BIN_DIR/kwok" --kubeconfig="$KUBECONFIG_FILE" --config="$STATE_DIR/kwok.yaml" \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=127.0.0.1 --node-name=localhost --node-port="$KWOK_PORT" \
    --server-address="127.0.0.1:$KWOK_PORT" \
    --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
    --cidr=10.244.0.0/16 --node-lease-duration-seconds=40
fi

wait_for kube-controller-manager 60 curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"
wait_for kube-scheduler 60 curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz"

# --- nodes ---------------------------------------------------------------------------------
sa_ready() { kubectl -n default get serviceaccount default; }
if [[ "$NODES" == real ]]; then
  node_registered() { kubectl get node "$NODE_NAME"; }
  node_ready() { kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s; }
  wait_for kubelet 60 node_registered
  wait_for kubelet 60 node_ready
  containerd_v="$(containerd --version | awk '{print $3}' | sed 's/~.*//')"
  runc_v="$(runc --version | sed -n 's/^runc version //p' | sed 's/+.*//')"
  kubelet_v="$(kubectl get node "$NODE_NAME" -o jsonpath='{.status.nodeInfo.kubeletVersion}')"
  # Reports read the runtime from the node (runc is not in the API's nodeInfo).
  kubectl annotate --overwrite node "$NODE_NAME" "labdeck.dev/runtime=containerd $containerd_v, runc $runc_v" >/dev/null
  wait_for kube-controller-manager 60 sa_ready
  coredns_manifests | kubectl apply -f - >"$STATE_DIR/logs/coredns-apply.log" 2>&1 ||
    die "$EXIT_START_FAILED" "could not install CoreDNS; see $STATE_DIR/logs/coredns-apply.log"
  dns_ready() { kubectl -n kube-system wait --for=condition=Available deploy/coredns --timeout=2s; }
  wait_for kubelet 90 dns_ready
else
  for i in $(seq 1 "$NODE_COUNT"); do
    sed -e "s#@NAME@#node$i#g" -e "s#@CIDR@#10.244.$i.0/24#g" "$here/node.yaml"
    echo '---'
  done | kubectl apply -f - >"$STATE_DIR/logs/nodes.log" 2>&1 ||
    die "$EXIT_START_FAILED" "could not register the simulated nodes; see $STATE_DIR/logs/nodes.log"
  nodes_ready() { kubectl wait --for=condition=Ready node --all --timeout=2s; }
  wait_for kwok 60 nodes_ready
  wait_for kube-controller-manager 60 sa_ready
fi

# --- record what runs, for `status` --------------------------------------------------------
{
  echo "nodes=$NODES"
  echo "kubernetes=v$KVER"
  echo "etcd=$("$BIN_DIR/etcd" --version 2>/dev/null | sed -n 's/^etcd Version: //p')"
  if [[ "$NODES" == real ]]; then
    echo "kubelet=$kubelet_v"
    echo "containerd=$containerd_v"
    echo "runc=$runc_v"
    echo "coredns=v$COREDNS_VER"
    echo "registry_port=$REGISTRY_PORT"
    echo "link_host=$LINK_HOST"
    echo "link_node=$LINK_NODE"
  else
    echo "kwok=$("$BIN_DIR/kwok" --version 2>/dev/null | head -n1 | grep -o "v[0-9][0-9.]*" | head -n1)"
    echo "node_count=$NODE_COUNT"
    echo "kwok_port=$KWOK_PORT"
  fi
  echo "etcd_port=$ETCD_PORT"
  echo "etcd_peer_port=$ETCD_PEER_PORT"
  echo "apiserver_port=$APISERVER_PORT"
  echo "kcm_port=$KCM_PORT"
  echo "scheduler_port=$SCHEDULER_PORT"
  echo "bin_dir=$BIN_DIR"
  echo "started=$(date -u +%FT%TZ)"
  echo "ready_ms=$((($(date +%s%N) - T0) / 1000000))"
} >"$STATE_DIR/cluster.env"
started_ok=1
info "started in $((($(date +%s%N) - T0) / 1000000)) ms; state in $STATE_DIR"
usage_hint >&2
