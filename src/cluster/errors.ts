/**
 * Exit codes of scripts/cluster/*.sh (keep in sync with scripts/cluster/lib.sh).
 * The CLI passes them through, so CI and tests can tell a taken port from a
 * failed build without parsing messages.
 */
export const ClusterExit = {
  ok: 0,
  failure: 1,
  usage: 2,
  missingBinaries: 3,
  buildFailed: 4,
  portTaken: 5,
  staleState: 6,
  startFailed: 7,
  notRunning: 8,
  missingPackages: 9,
  noContainers: 10,
} as const;

export type ClusterExitCode = (typeof ClusterExit)[keyof typeof ClusterExit];

/** What to do next, by exit code; appended to the script's own message. */
export function hintFor(code: number): string | undefined {
  switch (code) {
    case ClusterExit.missingBinaries:
      return 'build the binaries and images first: labdeck cluster build (15-30 min cold, then cached)';
    case ClusterExit.buildFailed:
      return 'read the build log named above; a rerun reuses what was already built';
    case ClusterExit.portTaken:
      return 'free that port or set the LABDECK_*_PORT variable named above';
    case ClusterExit.staleState:
      return "'labdeck cluster up' recovers from a crashed run; 'labdeck cluster down' cleans up";
    case ClusterExit.startFailed:
      return 'read the component log named above; fix, then run labdeck cluster up again';
    case ClusterExit.notRunning:
      return 'start it with: labdeck cluster up';
    case ClusterExit.missingPackages:
      return 'install the Debian packages named above (the apt-get line), then run the command again';
    case ClusterExit.noContainers:
      return 'this machine cannot run containers; labdeck cluster up --nodes simulated still gives a real API server';
    default:
      return undefined;
  }
}
