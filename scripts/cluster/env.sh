#!/usr/bin/env bash
# Print shell code that points kubectl at the running cluster:
#   eval "$(labdeck cluster env)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
load_state_env
kc="$STATE_DIR/admin.kubeconfig"
# Through the kubeconfig, not the certificate files: after `sudo … up.sh` the user who ran sudo
# owns the kubeconfig, while the PKI stays root's.
if [[ ! -r "$kc" ]] || ! kubectl --kubeconfig "$kc" get --raw /readyz --request-timeout=5s >/dev/null 2>&1; then
  die "$EXIT_NOT_RUNNING" "no labdeck cluster is running (state: $STATE_DIR); start one with: labdeck cluster up"
fi
# Single quotes: the path may hold spaces; it never holds a single quote we made.
printf "export KUBECONFIG='%s'\n" "$kc"
if [[ "$NODES" == real ]]; then
  printf "# labdeck cluster: Kubernetes API on https://127.0.0.1:%s, real node %s (containers run)\n" "$APISERVER_PORT" "$NODE_NAME"
else
  printf "# labdeck cluster: Kubernetes API on https://127.0.0.1:%s, simulated kwok nodes (no container runs)\n" "$APISERVER_PORT"
fi
