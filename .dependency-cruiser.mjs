/**
 * labdeck's floors (docs/ARCHITECTURE.md): a folder of src/ may import its own floor's folder
 * and the floors below, never a floor above, and never a neighbour on its own floor.
 * Checked by tests/architecture/floors.test.ts; by hand: `npx depcruise src`.
 */

/** Bottom to top. Folders on one floor sit side by side and do not import each other. */
export const FLOORS = [
  ['model'],
  ['shared'],
  ['parse', 'cluster', 'mermaid'],
  ['manifest'],
  ['render', 'verify', 'parity'],
  ['build'],
  ['server'],
  ['present'],
  ['import', 'answers'],
  ['cli'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

const floorRules = FLOORS.flatMap((floor, i) => {
  const above = FLOORS.slice(i + 1).flat();
  const rules = floor.flatMap((name) => {
    const neighbours = floor.filter((n) => n !== name);
    return [
      ...(above.length > 0
        ? [{ name: `floor-${name}`, severity: 'error', comment: `${name} may not import a floor above it (${above.join(', ')})`, from: { path: folders([name]) }, to: { path: folders(above) } }]
        : []),
      ...(neighbours.length > 0
        ? [{ name: `beside-${name}`, severity: 'error', comment: `${name} may not import its neighbours on the same floor (${neighbours.join(', ')})`, from: { path: folders([name]) }, to: { path: folders(neighbours) } }]
        : []),
    ];
  });
  return rules;
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...floorRules,
    {
      name: 'unplaced-folder',
      severity: 'error',
      comment: 'every folder of src/ has a floor: add a new one to FLOORS in .dependency-cruiser.mjs and to docs/ARCHITECTURE.md',
      from: { path: '^src/', pathNot: folders(FLOORS.flat()) },
      to: {},
    },
    {
      name: 'unplaced-folder-imported',
      severity: 'error',
      comment: 'every folder of src/ has a floor: add a new one to FLOORS in .dependency-cruiser.mjs and to docs/ARCHITECTURE.md',
      from: {},
      to: { path: '^src/', pathNot: folders(FLOORS.flat()) },
    },
    {
      name: 'cli-command-imports-command',
      severity: 'error',
      comment: 'CLI commands share helpers through src/cli/shared.ts, never from each other',
      from: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/index\\.ts$' },
      to: { path: '^src/cli/commands/' },
    },
    {
      name: 'cli-table-stays-light',
      severity: 'error',
      comment:
        'main.ts and commands/ are the table `labdeck --help` reads: they import actions/ and the stages only with import() when a command runs (type imports are fine); a constant they need lives in a small module listed here',
      from: { path: '^src/cli/(main\\.ts|commands/)' },
      to: {
        path: '^src/',
        pathNot: '^src/(cli/commands/|shared/|model/|import/shared\\.ts$|parity/report\\.ts$|verify/defaults\\.ts$)',
        dependencyTypesNot: ['dynamic-import', 'type-only'],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'modules in a cycle cannot be understood (or tested) one at a time',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The browser scripts of the pages: plain files copied into the output, no imports.
    exclude: { path: '^src/render/client/' },
    // Type-only imports count: a type from a floor above is a dependency on it too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
  },
};
