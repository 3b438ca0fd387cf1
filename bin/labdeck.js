#!/usr/bin/env node
// Runs the CLI compiled from src/ (bin/compile.js: compiled again whenever src/ changed, so a
// checkout never runs stale code). Where it cannot be compiled (e.g. a read-only install), the
// TypeScript runs through tsx, slower to start.
import { compiledMain } from './compile.js';

let entry;
try {
  entry = await compiledMain();
} catch (e) {
  process.stderr.write(`labdeck: running from the TypeScript sources, slower to start (cannot compile: ${e.message.split('\n')[0]})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli/main.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
