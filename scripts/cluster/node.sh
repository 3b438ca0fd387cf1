# shellcheck shell=bash
# The real node: its network namespace and link to the host, its cgroups, its
# configuration files, and the cleanup that leaves nothing behind. Sourced by
# up.sh, down.sh and status.sh after lib.sh, never run.
#
# Layout (docs/CLUSTER.md, "The real node"):
#   host netns:  etcd, kube-apiserver, controller-manager, scheduler, registry mirror,
#                all on 127.0.0.1; veth $HOST_IF = $LINK_HOST/30
#   node netns ($NETNS_FILE): containerd, kubelet, kube-proxy; veth `uplink` = $LINK_NODE/30,
#                bridge cni0 = 10.244.0.1/24 and the pods' veths; NO default route, so
#                nothing a pod sends can leave the machine.
#   The node reaches the API server and the mirror at $LINK_HOST, which the host
#   translates (DNAT) to 127.0.0.1; every other packet from the node to the host is
#   rejected, and the host never forwards the node's packets.

# nodeenter CMD...: run CMD inside the node's network namespace (only the
# network: mounts, PIDs and cgroups stay the host's, so kubelet and containerd
# see each other's mounts).
nodeenter() { nsenter --net="$NETNS_FILE" -- "$@"; }

# --- can this machine run containers? ------------------------------------------------
node_preflight() {
  local problems=() c
  [[ $(id -u) -eq 0 ]] || problems+=("not root (kubelet, containerd and runc create namespaces, cgroups and mounts)")
  if [[ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" == cgroup2fs ]]; then
    for c in cpu memory pids; do
      grep -qw "$c" /sys/fs/cgroup/cgroup.controllers 2>/dev/null || problems+=("cgroup v2 controller '$c' not available")
    done
  else
    for c in cpu cpuacct cpuset memory pids devices freezer; do
      [[ -n "$(cgroup_mount "$c")" ]] || problems+=("cgroup v1 controller '$c' not mounted under /sys/fs/cgroup")
    done
  fi
  unshare --net --pid --mount --uts --ipc --fork true 2>/dev/null ||
    problems+=("cannot create namespaces (unshare --net --pid --mount --uts --ipc failed)")
  grep -qw overlay /proc/filesystems 2>/dev/null || problems+=("no overlay file system (containerd's snapshotter needs it)")
  if ((${#problems[@]})); then
    local IFS=';'
    die "$EXIT_NO_CONTAINERS" "this machine cannot run a real node: ${problems[*]# }. Use simulated nodes instead: labdeck cluster up --nodes simulated (kwok: the API is real, no container runs)"
  fi
}

# cgroup_mount CONTROLLER: where its v1 hierarchy is mounted (empty if nowhere).
cgroup_mount() {
  awk -v c="$1" '$9 == "cgroup" { n = split($NF, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $5; exit } }' /proc/self/mountinfo
}
# Every cgroup hierarchy (v1 and v2) a process can be placed in.
cgroup_mounts() { awk '$9 == "cgroup" || $9 == "cgroup2" { print $5 }' /proc/self/mountinfo | sort -u; }

# --- link addresses --------------------------------------------------------------------
# Picks the first free /30 of $NODE_LINK_NET.0.0/16 (free: no host interface holds
# it), under a machine-wide lock so two `up` of two clusters cannot pick the same.
node_link_alloc() {
  local i a b
  mkdir -p "$MACHINE_DIR"
  exec 7>"$MACHINE_DIR/link.lock"
  flock -w 60 7 || die "$EXIT_START_FAILED" "another labdeck node holds $MACHINE_DIR/link.lock"
  for ((i = 0; i < 16384; i++)); do
    a=$((i / 64)) b=$(((i % 64) * 4))
    LINK_HOST="$NODE_LINK_NET.$a.$((b + 1))" LINK_NODE="$NODE_LINK_NET.$a.$((b + 2))"
    ip -4 -o addr show | grep -qE " inet $NODE_LINK_NET\.$a\.($((b + 1))|$((b + 2)))/" || return 0
  done
  die "$EXIT_START_FAILED" "no free /30 left in $NODE_LINK_NET.0.0/16 for the node's link (LABDECK_NODE_LINK_NET)"
}
node_link_release() { exec 7>&-; }

# --- network -----------------------------------------------------------------------------
node_network_up() {
  mkdir -p "$STATE_DIR/node"
  : >"$NETNS_FILE"
  unshare --net="$NETNS_FILE" true
  ip link add "$HOST_IF" type veth peer name uplink
  ip link set uplink netns "$NETNS_FILE"
  # The link carries IPv4 only: no IPv6 link-local path from the node to the host's services.
  sysctl -qw "net.ipv6.conf.$HOST_IF.disable_ipv6=1" 2>/dev/null || true
  ip addr add "$LINK_HOST/30" dev "$HOST_IF"
  ip link set "$HOST_IF" up
  # DNAT to 127.0.0.1 for packets that arrive on this link only.
  sysctl -qw "net.ipv4.conf.$HOST_IF.route_localnet=1"
  node_link_release
  nodeenter sh -c '
    set -e
    sysctl -qw net.ipv6.conf.uplink.disable_ipv6=1 2>/dev/null || true
    ip link set lo up
    ip addr add "$1/30" dev uplink
    ip link set uplink up
    sysctl -qw net.ipv4.ip_forward=1
    sysctl -qw net.bridge.bridge-nf-call-iptables=1
    # Pods reach the host (API server, mirror) with the node address as source.
    iptables -t nat -A POSTROUTING -o uplink -j MASQUERADE' node-network "$LINK_NODE"
  # Host side: only the API server and the mirror, translated to 127.0.0.1; the
  # rest is rejected, and nothing from the node is ever forwarded.
  iptables -t nat -N "$CHAIN"
  iptables -t nat -A "$CHAIN" -d "$LINK_HOST" -p tcp --dport "$APISERVER_PORT" -j DNAT --to-destination "127.0.0.1:$APISERVER_PORT"
  iptables -t nat -A "$CHAIN" -d "$LINK_HOST" -p tcp --dport "$REGISTRY_PORT" -j DNAT --to-destination "127.0.0.1:$REGISTRY_PORT"
  iptables -t nat -I PREROUTING -i "$HOST_IF" -j "$CHAIN"
  iptables -t filter -N "$CHAIN"
  iptables -t filter -A "$CHAIN" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  iptables -t filter -A "$CHAIN" -m conntrack --ctstate DNAT -j ACCEPT
  iptables -t filter -A "$CHAIN" -j REJECT
  iptables -t filter -I INPUT -i "$HOST_IF" -j "$CHAIN"
  iptables -t filter -I FORWARD -i "$HOST_IF" -j "$CHAIN"
}

# The host's rules and chains of this node (also after a crash: by name).
node_iptables_down() {
  local t hook
  command -v iptables >/dev/null 2>&1 || return 0
  for t in nat filter; do
    for hook in PREROUTING INPUT FORWARD; do
      while iptables -t "$t" -D "$hook" -i "$HOST_IF" -j "$CHAIN" 2>/dev/null; do :; done
    done
    if iptables -t "$t" -n -L "$CHAIN" >/dev/null 2>&1; then
      iptables -t "$t" -F "$CHAIN"
      iptables -t "$t" -X "$CHAIN"
    fi
  done
}

# Inode of the node's network namespace, if it exists.
netns_inode() { stat -Lc %i "$NETNS_FILE" 2>/dev/null || true; }
# Processes whose network namespace is the node's.
netns_pids() {
  local ino="$1" p
  [[ -n "$ino" ]] || return 0
  # One stat for every process's network namespace.
  for p in $(stat -Lc '%i %n' /proc/[0-9]*/ns/net 2>/dev/null | awk -v i="$ino" '$1 == i { split($2, a, "/"); print a[3] }'); do
    running "$p" && echo "$p"
  done
  return 0
}

node_network_down() {
  node_iptables_down
  ip link del "$HOST_IF" 2>/dev/null || true
  if mountpoint -q "$NETNS_FILE" 2>/dev/null; then umount "$NETNS_FILE" 2>/dev/null || umount -l "$NETNS_FILE" || true; fi
  # The veth pair goes with the namespace; the kernel takes a moment.
  for _ in $(seq 1 50); do ip link show "$HOST_IF" >/dev/null 2>&1 || break; sleep 0.1; done
}

# --- cgroups ------------------------------------------------------------------------------
# kubelet places every pod under /$CGROUP_ROOT (cgroupRoot), which must exist.
node_cgroups_up() {
  local m c
  if [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]]; then
    mkdir -p "/sys/fs/cgroup/$CGROUP_ROOT"
    for c in $(cat /sys/fs/cgroup/cgroup.subtree_control); do
      echo "+$c" >"/sys/fs/cgroup/$CGROUP_ROOT/cgroup.subtree_control" 2>/dev/null || true
    done
    return 0
  fi
  for m in $(cgroup_mounts); do
    [[ "$(stat -fc %T "$m")" == cgroup2fs ]] && continue
    mkdir -p "$m/$CGROUP_ROOT"
    if [[ -f "$m/cpuset.cpus" ]]; then
      cat "$m/cpuset.cpus" >"$m/$CGROUP_ROOT/cpuset.cpus"
      cat "$m/cpuset.mems" >"$m/$CGROUP_ROOT/cpuset.mems"
    fi
  done
}

# Kills every process in the node's cgroups (the containers), then removes them.
node_cgroups_down() {
  local m d pids f
  for m in $(cgroup_mounts); do
    [[ -d "$m/$CGROUP_ROOT" ]] || continue
    # A frozen task ignores SIGKILL until thawed (runc freezes during some operations).
    find "$m/$CGROUP_ROOT" -name freezer.state 2>/dev/null | while read -r f; do echo THAWED >"$f" 2>/dev/null || true; done
  done
  for _ in $(seq 1 50); do
    pids="$(cgroup_pids)"
    [[ -z "$pids" ]] && break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  for m in $(cgroup_mounts); do
    [[ -d "$m/$CGROUP_ROOT" ]] || continue
    find "$m/$CGROUP_ROOT" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}
# Running processes in the node's cgroups.
cgroup_pids() {
  local m
  for m in $(cgroup_mounts); do
    [[ -d "$m/$CGROUP_ROOT" ]] || continue
    find "$m/$CGROUP_ROOT" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -un | while read -r p; do running "$p" && echo "$p"; done
  return 0
}

# --- mounts -------------------------------------------------------------------------------
# Mount points under the state folder (overlay root file systems, sandbox /dev/shm,
# kubelet's volume tmpfs, pods' network namespaces, the node's), deepest first.
state_mounts() {
  awk -v s="$STATE_DIR/" '{ m = $5; gsub(/\\040/, " ", m); if (index(m "/", s) == 1) print m }' /proc/self/mountinfo |
    awk '{ print gsub("/", "/"), $0 }' | sort -rn | cut -d' ' -f2-
}
node_mounts_down() {
  local m
  for _ in 1 2 3; do
    while IFS= read -r m; do
      [[ -n "$m" ]] || continue
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done < <(state_mounts)
    [[ -z "$(state_mounts)" ]] && return 0
  done
}

# --- kernel settings kubelet changes -------------------------------------------------------
# kubelet sets vm.overcommit_memory=1, kernel.panic=10, kernel.panic_on_oops=1 (and
# checks three more) on the whole machine. The first labdeck node records the
# values it found; the last one to go puts them back.
KUBELET_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
node_sysctls_save() {
  local k
  mkdir -p "$MACHINE_DIR"
  [[ -f "$MACHINE_DIR/sysctl.orig" ]] && return 0
  for k in "${KUBELET_SYSCTLS[@]}"; do echo "$k=$(sysctl -n "$k")"; done >"$MACHINE_DIR/sysctl.orig.tmp"
  mv "$MACHINE_DIR/sysctl.orig.tmp" "$MACHINE_DIR/sysctl.orig"
}
# Restores them when no kubelet runs on this machine any more.
node_sysctls_restore() {
  local p kv
  [[ -f "$MACHINE_DIR/sysctl.orig" ]] || return 0
  for p in /proc/[0-9]*; do
    running "${p#/proc/}" || continue
    [[ "$(basename "$(tr '\0' '\n' <"$p/cmdline" 2>/dev/null | head -n1)")" == kubelet ]] && return 0
  done
  while IFS= read -r kv; do sysctl -qw "$kv" 2>/dev/null || true; done <"$MACHINE_DIR/sysctl.orig"
  rm -f "$MACHINE_DIR/sysctl.orig"
}

# kubelet links each container's log into /var/log/containers (a fixed path):
# remove the links into our state folder.
node_log_links_down() {
  local l
  for l in /var/log/containers/*.log; do
    [[ -L "$l" && "$(readlink "$l")" == "$STATE_DIR/"* ]] && rm -f "$l"
  done
  return 0
}

# --- what would be left behind ------------------------------------------------------------
# One line per leftover of this node: processes, mounts, interfaces, iptables rules and
# chains, cgroups, kubelet's log links. Empty when the node is gone without a trace.
node_leftovers() {
  local p ino m
  for p in $(leftover_pids) $(cgroup_pids); do
    echo "process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120)"
  done
  ino="$(netns_inode)"
  for p in $(netns_pids "$ino"); do echo "process $p in the node's network namespace: $(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-120)"; done
  while IFS= read -r m; do [[ -n "$m" ]] && echo "mount $m"; done < <(state_mounts)
  ip link show "$HOST_IF" >/dev/null 2>&1 && echo "interface $HOST_IF"
  if command -v iptables-save >/dev/null 2>&1; then
    iptables-save 2>/dev/null | grep -F -- "$CHAIN" | sed 's/^/iptables /'
  fi
  for m in $(cgroup_mounts); do [[ -d "$m/$CGROUP_ROOT" ]] && echo "cgroup $m/$CGROUP_ROOT"; done
  for p in /var/log/containers/*.log; do
    [[ -L "$p" && "$(readlink "$p")" == "$STATE_DIR/"* ]] && echo "log link $p"
  done
  return 0
}

# --- configuration files -------------------------------------------------------------------
# Whether this process may lower an oom_score_adj (CAP_SYS_RESOURCE, bit 24). Some VMs
# withhold it even from root; then runc cannot give a sandbox containerd's -998.
can_lower_oom_score() { (( (0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> 24) & 1 )); }

node_write_config() {
  local n="$STATE_DIR/node" reg="$LINK_HOST:$REGISTRY_PORT" host restrict=false
  can_lower_oom_score || restrict=true
  mkdir -p "$n/cni/net.d" "$n/certs.d" "$n/kubelet" "$n/pod-logs"
  cat >"$n/containerd.toml" <<EOF
# containerd of labdeck's node $NODE_NAME (written by up.sh). Everything it keeps is under $n.
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.grpc.v1.cri.v1alpha2"]
[grpc]
  address = "$n/containerd.sock"
[ttrpc]
  address = "$n/containerd.sock.ttrpc"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$n/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  netns_mounts_under_state_dir = true
  enable_selinux = false
  # true when this machine withholds CAP_SYS_RESOURCE: oom_score_adj never below containerd's own.
  restrict_oom_score_adj = $restrict
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$n/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$n/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$n/certs.d"
EOF
  # Every registry host the mirror holds images for resolves to the mirror only:
  # `server` is the mirror itself, so there is no fallback to the internet.
  for host in $(cut -d/ -f1 "$IMAGES_DIR/mirrored" | sort -u); do
    mkdir -p "$n/certs.d/$host"
    cat >"$n/certs.d/$host/hosts.toml" <<EOF
# $host is served by labdeck's registry mirror (127.0.0.1:$REGISTRY_PORT on the host).
server = "http://$reg"
[host."http://$reg"]
  capabilities = ["pull", "resolve"]
EOF
  done
  cat >"$n/cni/net.d/10-labdeck.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "labdeck",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_SUBNET" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$n/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  # Pods' resolv.conf: the cluster DNS only. The host's resolvers are never given to pods.
  : >"$n/resolv.conf"
  cat >"$n/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $LINK_NODE
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $STATE_DIR/pki/kubelet.crt
tlsPrivateKeyFile: $STATE_DIR/pki/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $STATE_DIR/pki/ca.crt}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP_ROOT
containerRuntimeEndpoint: unix://$n/containerd.sock
podLogsDir: $n/pod-logs
clusterDomain: cluster.local
clusterDNS: [$CLUSTER_DNS]
resolvConf: $n/resolv.conf
failSwapOn: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
rotateCertificates: false
serverTLSBootstrap: false
enableDebuggingHandlers: true
EOF
  cat >"$n/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $n/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Inside the node's namespace: leave the machine-wide conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

# CoreDNS as the cluster DNS, as kubeadm installs it, with one change: no `forward`.
# Names outside cluster.local answer NXDOMAIN; no DNS query leaves the machine.
coredns_manifests() {
  cat <<EOF
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:coredns"}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:coredns"}
subjects:
- {kind: ServiceAccount, name: coredns, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
        errors
        kubernetes cluster.local in-addr.arpa ip6.arpa {
            pods insecure
            fallthrough in-addr.arpa ip6.arpa
            ttl 30
        }
        cache 30
        loadbalance
    }
    .:53 {
        errors
        health {
            lameduck 2s
        }
        ready
        template ANY ANY {
            rcode NXDOMAIN
        }
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 1
  selector:
    matchLabels: {k8s-app: kube-dns}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      serviceAccountName: coredns
      dnsPolicy: Default
      priorityClassName: system-cluster-critical
      terminationGracePeriodSeconds: 5
      containers:
      - name: coredns
        image: $COREDNS_IMAGE
        imagePullPolicy: IfNotPresent
        args: [-conf, /etc/coredns/Corefile]
        ports:
        - {containerPort: 53, name: dns, protocol: UDP}
        - {containerPort: 53, name: dns-tcp, protocol: TCP}
        readinessProbe:
          httpGet: {path: /ready, port: 8181}
          periodSeconds: 1
        livenessProbe:
          httpGet: {path: /health, port: 8080}
          initialDelaySeconds: 10
        resources:
          limits: {memory: 170Mi}
          requests: {cpu: 50m, memory: 30Mi}
        volumeMounts:
        - {name: config, mountPath: /etc/coredns, readOnly: true}
      volumes:
      - name: config
        configMap:
          name: coredns
          items: [{key: Corefile, path: Corefile}]
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/name: CoreDNS}
spec:
  selector: {k8s-app: kube-dns}
  clusterIP: $CLUSTER_DNS
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
EOF
}
