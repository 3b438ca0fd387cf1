/**
 * The verification history: `verify` (and `verify merge`) keep each run's report in
 * `<dir>/runs/`, the newest N of them; `build` takes its verdicts from there by default and
 * `verify history` reads it to say since when a slide fails. `LABDECK_VERIFY_DIR` moves it.
 * Apart from history.ts so that the command table (`labdeck --help`) can name them cheaply.
 */
export const VERIFY_DIR = process.env.LABDECK_VERIFY_DIR || '.labdeck/verify';
export const DEFAULT_KEEP = 20;
