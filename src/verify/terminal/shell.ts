import { quoteTmux } from './control.ts';

/**
 * The pinned shell every pane runs: `env -i` with an allow-listed environment, then
 * `bash --noprofile --rcfile <rc> -i`. The rcfile installs the shell integration the runner relies
 * on instead of prompt matching: invisible OSC markers that tmux drops from the screen but streams
 * to the control client, in order with the output.
 *
 *   ESC ] 6973 ; S BEL          PS0: a command was read and starts now
 *   ESC ] 6973 ; D ; <status> ; <n> BEL   in PS1: prompt number n is up; the last command exited with status
 *   ESC ] 6973 ; X ; <status> BEL   EXIT trap: the shell itself exits; it ends once the runner
 *                                   has answered with a key (EXIT_ACK_KEY)
 */
export const MARKER_PREFIX = '\x1b]6973;';

/** The key the runner sends a shell that wrote its exit marker, so that it ends. */
export const EXIT_ACK_KEY = 'Enter';

export interface ShellOptions {
  home: string;
  tmpdir: string;
  kubeconfig: string;
  /** PATH given to the shell (the runner's own PATH unless configured). */
  path: string;
  /** Extra variables set in the shell (LABDECK_RUN, LABDECK_NAMESPACE, allow-listed user variables). */
  extra?: Record<string, string>;
}

/** Variables a run may inherit from the caller's environment, on top of the pinned ones. */
export const INHERITED_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'] as const;

export function shellEnvironment(o: ShellOptions): Record<string, string> {
  return {
    PATH: o.path,
    TERM: 'tmux-256color',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    HOME: o.home,
    TMPDIR: o.tmpdir,
    KUBECONFIG: o.kubeconfig,
    SHELL: '/bin/bash',
    USER: 'labdeck',
    LOGNAME: 'labdeck',
    ...o.extra,
  };
}

export const RCFILE = [
  "# labdeck verify: the runner's shell. No user dotfiles; markers say when commands start and end.",
  '# The done marker is part of PS1, not printed by PROMPT_COMMAND: readline draws the prompt after it',
  '# has put the terminal in raw mode, so keys sent on seeing the marker (^D, ^C) reach readline.',
  '# The sequence number tells a new prompt from a redraw of the same one (resize, ^L).',
  '__labdeck_n=0',
  '__labdeck_done() { __labdeck_s=$?; __labdeck_n=$((__labdeck_n + 1)); }',
  'PROMPT_COMMAND=__labdeck_done',
  "PS1='\\[\\e]6973;D;${__labdeck_s};${__labdeck_n}\\a\\]$ '",
  "PS2='> '",
  "PS0=$'\\e]6973;S\\a'",
  'HISTFILE=',
  "bind 'set enable-bracketed-paste off' 2>/dev/null",
  '# The exit marker is the last thing the shell writes, and the shell waits for the runner to answer',
  '# it (one key) before it ends: tmux 3.3a drops a pane\'s last output when it reads it in the same turn',
  '# as it reaps the shell. Not when the marker cannot reach the runner (output or input redirected).',
  'trap \'__labdeck_s=$?; printf "\\e]6973;X;%s\\a" "$__labdeck_s"; [ -t 0 ] && [ -t 1 ] && read -r -s -n 1 -t 10 __labdeck_s\' EXIT',
  '',
].join('\n');

/** POSIX sh single-quoting. */
export function quoteSh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The launcher tmux runs for every pane (`default-command` and the first pane). */
export function launcherScript(bash: string, rcfile: string, env: Record<string, string>): string {
  const vars = Object.entries(env).map(([k, v]) => quoteSh(`${k}=${v}`));
  return `#!/bin/sh\nexec env -i ${vars.join(' ')} ${quoteSh(bash)} --noprofile --rcfile ${quoteSh(rcfile)} -i\n`;
}

/** The wait-for channel the server unlocks when a pane's process has ended (see watchPaneDeaths). */
export const PANE_DIED_CHANNEL = 'labdeck-pane-died';

/**
 * tmux server options: pinned geometry, no status line, dead panes kept so the runner can see how
 * they died, and PANE_DIED_CHANNEL unlocked when one does.
 */
export function tmuxConfig(launcher: string, width: number, height: number): string {
  return [
    `set -g default-command ${quoteTmux(launcher)}`,
    'set -g default-terminal tmux-256color',
    'set -g status off',
    'set -g remain-on-exit on',
    `set-hook -g pane-died 'wait-for -U ${PANE_DIED_CHANNEL}'`,
    'set -g history-limit 50000',
    'set -g escape-time 0',
    `set -g default-size ${width}x${height}`,
    'set -g automatic-rename off',
    'set -g allow-rename off',
    'set -g base-index 0',
    'set -g pane-base-index 0',
    '',
  ].join('\n');
}
