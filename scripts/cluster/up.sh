#!/usr/bin/env bash
# Start labdeck's loopback Kubernetes cluster: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler (real, built by build.sh), kwok
# (simulated nodes) and podlogs.py (synthesized pod output).
# Every process listens on 127.0.0.1 only; pid files and logs go to $STATE_DIR.
# Idempotent: when the cluster already runs, `up` reuses it. A state folder
# left by a crashed run is cleaned up (only processes we started are stopped).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

T0=$(date +%s%N)
P="$STATE_DIR/pki"
KUBECONFIG_FILE="$STATE_DIR/admin.kubeconfig"

usage_hint() {
  cat <<EOF
labdeck cluster: ready (Kubernetes v$KVER, $NODE_COUNT simulated kwok nodes, API on https://127.0.0.1:$APISERVER_PORT)
Use it from this shell with:
  eval "\$(labdeck cluster env)"
  kubectl get nodes
Nodes are simulated by kwok: no container runs. Pod output is synthesized by
podlogs.py (ping/echo), and \`kubectl exec\` runs the command on this host.
EOF
}

# Serialize concurrent `up`/`down` calls (e.g. two test files starting at once).
mkdir -p "$(dirname "$STATE_DIR")"
exec 9>"$STATE_DIR.lock"
flock -w 300 9 || die "$EXIT_START_FAILED" "another labdeck cluster up/down holds $STATE_DIR.lock"

# --- binaries ------------------------------------------------------------
for b in "${BINARIES[@]}"; do
  [[ -x "$BIN_DIR/$b" ]] || die "$EXIT_MISSING_BINARIES" \
    "missing $BIN_DIR/$b; build the cluster binaries first: labdeck cluster build (or scripts/cluster/build.sh)"
done
[[ -f "$BIN_DIR/kwok-assets/pod-ready.yaml" ]] || die "$EXIT_MISSING_BINARIES" \
  "missing kwok stage files in $BIN_DIR/kwok-assets; run: labdeck cluster build"
command -v openssl >/dev/null || die "$EXIT_START_FAILED" "openssl is needed to make the cluster certificates (apt-get install -y openssl)"
command -v python3 >/dev/null || die "$EXIT_START_FAILED" "python3 is needed for the pod output generator (apt-get install -y python3)"
command -v kubectl >/dev/null || die "$EXIT_START_FAILED" "kubectl is needed on PATH"

# --- existing state: reuse, recover, or refuse ---------------------------
if [[ -d "$STATE_DIR" ]] && [[ -n "$(ls -A "$STATE_DIR" 2>/dev/null)" ]]; then
  [[ -f "$STATE_DIR/.labdeck-cluster" ]] || die "$EXIT_STALE_STATE" \
    "$STATE_DIR exists but was not made by labdeck cluster; remove it or set LABDECK_CLUSTER_STATE to another folder"
  alive=() dead=()
  for c in "${COMPONENTS[@]}"; do
    if pid_alive "$STATE_DIR/pids/$c.pid" "$(proc_match "$c")"; then alive+=("$c"); else dead+=("$c"); fi
  done
  # Ports as recorded by the running cluster (a subshell: a fresh start below
  # must use the ports from the environment).
  if [[ ${#dead[@]} -eq 0 ]] && (load_state_env && api_ready); then
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

# --- ports -----------------------------------------------------------------
check_port() {
  local port="$1" what="$2" var="$3" owner
  [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "$EXIT_USAGE" "$var=$port is not a TCP port"
  if port_in_use "$port"; then
    owner="$(port_owner "$port")"
    die "$EXIT_PORT_TAKEN" "port $port ($what) on 127.0.0.1 is already in use${owner:+ by $owner}; stop that process or set $var to a free port"
  fi
}
check_port "$ETCD_PORT" etcd LABDECK_ETCD_PORT
check_port "$ETCD_PEER_PORT" "etcd peer" LABDECK_ETCD_PEER_PORT
check_port "$APISERVER_PORT" kube-apiserver LABDECK_APISERVER_PORT
check_port "$KCM_PORT" kube-controller-manager LABDECK_KCM_PORT
check_port "$SCHEDULER_PORT" kube-scheduler LABDECK_SCHEDULER_PORT
check_port "$KWOK_PORT" "kwok kubelet endpoint" LABDECK_KWOK_PORT
declare -A seen_ports=()
for v in ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT SCHEDULER_PORT KWOK_PORT; do
  [[ -z "${seen_ports[${!v}]:-}" ]] || die "$EXIT_USAGE" "LABDECK_$v and LABDECK_${seen_ports[${!v}]} are both ${!v}; give each its own port"
  seen_ports[${!v}]="$v"
done

# --- state folder ------------------------------------------------------------
mkdir -p "$STATE_DIR"/{pki,pids,logs,podlogs,exec,etcd}
chmod 700 "$STATE_DIR"
touch "$STATE_DIR/.labdeck-cluster"

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

# --- PKI (openssl; the same recipe that kubectl's TLS stack was checked against)
pki() {
  cd "$P"
  local days=3650
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days "$days" \
    -subj "/CN=labdeck-cluster-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  cat >server.ext <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1
EOF
  openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
    -extfile server.ext -out apiserver.crt 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' >client.ext
  openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
    -subj "/O=system:masters/CN=kubernetes-admin" 2>/dev/null
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "$days" \
    -extfile client.ext -out admin.crt 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  chmod 600 ./*.key
}
( pki ) || die "$EXIT_START_FAILED" "openssl could not create the certificates in $P"

b64() { base64 -w0 <"$1"; }
cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: labdeck
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(b64 "$P/ca.crt")
users:
- name: labdeck-admin
  user:
    client-certificate-data: $(b64 "$P/admin.crt")
    client-key-data: $(b64 "$P/admin.key")
contexts:
- name: labdeck
  context: {cluster: labdeck, user: labdeck-admin, namespace: default}
current-context: labdeck
EOF
chmod 600 "$KUBECONFIG_FILE"
export KUBECONFIG="$KUBECONFIG_FILE"

# --- processes -----------------------------------------------------------------
# start NAME CMD...: detached (own session, so a Ctrl-C or a test runner killing
# its process group leaves the cluster alone), stdin closed and output in a log
# file (so a caller reading our stdout through a pipe is not held open).
start() {
  local name="$1"; shift
  # 9>&-: the daemon must not inherit (and so hold) the up/down lock.
  setsid "$@" </dev/null >"$STATE_DIR/logs/$name.log" 2>&1 9>&- &
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
    sleep 0.3
  done
}

start etcd "$BIN_DIR/etcd" --name=labdeck --data-dir="$STATE_DIR/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="labdeck=http://127.0.0.1:$ETCD_PEER_PORT" \
  --auto-compaction-retention=1 --quota-backend-bytes=2147483648 \
  --unsafe-no-fsync=true --log-level=warn
wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

# --advertise-address=127.0.0.1 + --endpoint-reconciler-type=none: otherwise the
# apiserver advertises the default-route address (not loopback). No kubelet CA:
# the apiserver talks TLS to kwok without verifying it, as kwokctl does.
# InternalIP first: our nodes' only InternalIP is 127.0.0.1.
start kube-apiserver "$BIN_DIR/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --secure-port="$APISERVER_PORT" --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none \
  --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --client-ca-file="$P/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --authorization-mode=Node,RBAC \
  --allow-privileged=true \
  --kubelet-preferred-address-types=InternalIP,Hostname \
  --profiling=false
wait_for kube-apiserver 120 api_ready

# kwok's per-pod Logs CRD must exist before kwok starts watching it.
kubectl apply -f "$BIN_DIR/kwok-assets/kwok.x-k8s.io_logs.yaml" >"$STATE_DIR/logs/crd.log" 2>&1 ||
  die "$EXIT_START_FAILED" "could not install kwok's Logs CRD; see $STATE_DIR/logs/crd.log"
kubectl wait --for=condition=Established crd/logs.kwok.x-k8s.io --timeout=30s >>"$STATE_DIR/logs/crd.log" 2>&1 ||
  die "$EXIT_START_FAILED" "kwok's Logs CRD not established; see $STATE_DIR/logs/crd.log"

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

# kwok's configuration: its own "fast" stages plus our logs/exec rules.
{
  for f in node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete; do
    cat "$BIN_DIR/kwok-assets/$f.yaml"
    echo '---'
  done
  sed "s#@STATE@#$STATE_DIR#g" "$here/kwok-extra.yaml"
} >"$STATE_DIR/kwok.yaml"
printf '%s stdout F [labdeck] simulated node: no synthesized output for this pod (podlogs.py has not seen it)\n' \
  "$(date -u +%FT%T.%NZ)" >"$STATE_DIR/podlogs/_fallback.log"

start kwok "$BIN_DIR/kwok" --kubeconfig="$KUBECONFIG_FILE" --config="$STATE_DIR/kwok.yaml" \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-ip=127.0.0.1 --node-name=localhost --node-port="$KWOK_PORT" \
  --server-address="127.0.0.1:$KWOK_PORT" \
  --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --cidr=10.244.0.0/16 --node-lease-duration-seconds=40 \
  --enable-crds=Logs

start podlogs python3 "$here/podlogs.py" --server="https://127.0.0.1:$APISERVER_PORT" \
  --ca="$P/ca.crt" --cert="$P/admin.crt" --key="$P/admin.key" --dir="$STATE_DIR/podlogs"

wait_for kube-controller-manager 60 curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"
wait_for kube-scheduler 60 curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz"
wait_for kwok 60 curl -fsSk "https://127.0.0.1:$KWOK_PORT/healthz"

# --- nodes ---------------------------------------------------------------------
for i in $(seq 1 "$NODE_COUNT"); do
  sed -e "s#@NAME@#node$i#g" -e "s#@CIDR@#10.244.$i.0/24#g" "$here/node.yaml"
  echo '---'
done | kubectl apply -f - >"$STATE_DIR/logs/nodes.log" 2>&1 ||
  die "$EXIT_START_FAILED" "could not register the simulated nodes; see $STATE_DIR/logs/nodes.log"

nodes_ready() { kubectl wait --for=condition=Ready node --all --timeout=2s; }
wait_for kwok 60 nodes_ready
sa_ready() { kubectl -n default get serviceaccount default; }
wait_for kube-controller-manager 60 sa_ready

# --- record what runs, for `status` ------------------------------------------
{
  echo "kubernetes=v$KVER"
  echo "etcd=$("$BIN_DIR/etcd" --version 2>/dev/null | sed -n 's/^etcd Version: //p')"
  echo "kwok=$("$BIN_DIR/kwok" --version 2>/dev/null | head -n1 | grep -o "v[0-9][0-9.]*" | head -n1)"
  echo "nodes=$NODE_COUNT"
  echo "etcd_port=$ETCD_PORT"
  echo "etcd_peer_port=$ETCD_PEER_PORT"
  echo "apiserver_port=$APISERVER_PORT"
  echo "kcm_port=$KCM_PORT"
  echo "scheduler_port=$SCHEDULER_PORT"
  echo "kwok_port=$KWOK_PORT"
  echo "bin_dir=$BIN_DIR"
  echo "started=$(date -u +%FT%TZ)"
  echo "ready_ms=$((($(date +%s%N) - T0) / 1000000))"
} >"$STATE_DIR/cluster.env"
started_ok=1
info "started in $((($(date +%s%N) - T0) / 1000000)) ms; state in $STATE_DIR"
usage_hint >&2
