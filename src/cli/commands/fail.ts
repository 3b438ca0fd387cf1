import pc from 'picocolors';

/** The CLI's one way to refuse: `error: message` and its hint on stderr, then the exit code. */
export function failer(setExit: (code: number) => void, code = 1): (message: string, hint: string) => void {
  return (message, hint) => {
    process.stderr.write(`${pc.red(`error: ${message}`)}\n    hint: ${hint}\n`);
    setExit(code);
  };
}

/** Default output next to the working folder, named after the deck: `kubernetes-en.pdf`. */
export function outputFor(deckRef: string, extension: string): string {
  return `${deckRef.replace(/^.*\//, '').replace(/\.ya?ml$/, '')}.${extension}`;
}
