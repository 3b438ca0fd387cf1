#!/usr/bin/env bash
# Print the folders and ports the other scripts use, as KEY=VALUE lines, so
# tests and the CLI do not duplicate lib.sh's defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
cat <<EOF2
KVER=$KVER
BIN_DIR=$BIN_DIR
BUILD_LOG=$BUILD_LOG
IMAGES_DIR=$IMAGES_DIR
IMAGE_LIST=$IMAGE_LIST
STATE_DIR=$STATE_DIR
KUBECONFIG=$STATE_DIR/admin.kubeconfig
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
KCM_PORT=$KCM_PORT
SCHEDULER_PORT=$SCHEDULER_PORT
REGISTRY_PORT=$REGISTRY_PORT
KWOK_PORT=$KWOK_PORT
CLUSTER_ID=$CLUSTER_ID
HOST_IF=$HOST_IF
CHAIN=$CHAIN
CGROUP_ROOT=$CGROUP_ROOT
NETNS_FILE=$NETNS_FILE
BINARIES=${BINARIES[*]}
BINARIES_REAL=$(binaries_for real)
BINARIES_SIMULATED=$(binaries_for simulated)
EOF2
