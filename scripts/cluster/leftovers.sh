#!/usr/bin/env bash
# List what a real node of this state folder left on the machine: processes,
# mounts, the host's veth, iptables rules and chains, cgroups, kubelet's log
# links. Prints nothing and exits 0 when there is nothing; exits 1 otherwise.
# `down` runs the same check before it removes the state folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=node.sh
source "$here/node.sh"
left="$(node_leftovers)"
[[ -z "$left" ]] && exit 0
printf '%s\n' "$left"
exit 1
