/**
 * Turning a pane's raw output stream into text a wait or an assertion can read.
 * Line-oriented output reads well from the stream; cursor-addressed screens (watch, vim) do not,
 * which is why the terminal reads the captured screen when a pane is in the alternate screen.
 */

// CSI sequences (with their parameter bytes), OSC strings, charset selection and other 2-byte escapes.
const CSI = /\x1b\[([0-9;?<=>!]*)[ -/]*([@-~])/g;
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const ESC2 = /\x1b[()*+][0-9A-Za-z]|\x1b[=>78DEHMNOZc]/g;

/**
 * Plain text of a stream: cursor jumps become line breaks, cursor-forward becomes spaces, CRLF
 * becomes LF, a lone CR starts a new line (progress bars), everything else non-printing goes.
 */
export function renderStream(raw: string): string {
  return raw
    .replace(OSC, '')
    .replace(CSI, (_m, params: string, final: string) => {
      if (final === 'C') return ' '.repeat(Math.min(Number(params) || 1, 500));
      if (final === 'H' || final === 'f' || final === 'd' || final === 'E' || final === 'F') return '\n';
      return '';
    })
    .replace(ESC2, '')
    .replace(/\r+\n/g, '\n')
    .replace(/\r/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** Whether the stream leaves the terminal in the alternate screen (smcup without a later rmcup). */
export function endsInAlternateScreen(raw: string): boolean {
  const on = Math.max(raw.lastIndexOf('\x1b[?1049h'), raw.lastIndexOf('\x1b[?1047h'), raw.lastIndexOf('\x1b[?47h'));
  const off = Math.max(raw.lastIndexOf('\x1b[?1049l'), raw.lastIndexOf('\x1b[?1047l'), raw.lastIndexOf('\x1b[?47l'));
  return on > off;
}

/** Trailing blank lines and trailing spaces removed: what a person sees on a captured screen. */
export function trimScreen(screen: string): string {
  return screen
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}
