import { relative } from 'node:path';
import { error, type Diagnostic } from '../model/diagnostic.ts';
import type { Position } from '../model/position.ts';
import { isInside, toPosix } from '../shared/paths.ts';
import { isRefusal, messagePath, ReadArea, realOrResolved, readPolicy, repositoryOf, type ReadPolicy, type Refusal } from '../shared/sandbox.ts';

/**
 * What one manifest (or one chapter read alone) may read: its repository (the manifest itself),
 * its content root (chapters, nested manifests, images) and its include root (`@@INCLUDE[…]`),
 * the last two never above the repository unless the command line allows a folder.
 */
export interface CourseAreas {
  repository: string;
  manifest: ReadArea;
  content: ReadArea;
  includes: ReadArea;
}

/** The area a manifest itself is read from: its repository. */
export const manifestArea = (file: string, policy: ReadPolicy = readPolicy()): ReadArea => {
  const repository = repositoryOf(file);
  return new ReadArea([repository], `the repository ${messagePath(repository)}/`, policy);
};

/**
 * The areas of a manifest (or of a chapter read alone: `repository` is then the folder above its
 * content root when no `.git` is found, where its includes are read from by default).
 */
export function courseAreas(file: string, root: string, includeRoot: string, policy: ReadPolicy = readPolicy(), repository = repositoryOf(file)): CourseAreas {
  const repo = realOrResolved(repository);
  const inc = realOrResolved(includeRoot);
  const repoName = `the repository ${messagePath(repository)}/`;
  // container.training reads includes from the repository root; a root above the repository is cut down to it.
  let includes: ReadArea;
  if (isInside(inc, repo)) includes = new ReadArea([includeRoot], `the include root ${messagePath(includeRoot)}/`, policy);
  else if (isInside(repo, inc)) includes = new ReadArea([repository], `${repoName} (the include root ${messagePath(includeRoot)}/ is above it)`, policy);
  else includes = new ReadArea([], `${repoName} (the include root ${messagePath(includeRoot)}/ is not in it)`, policy);
  return {
    repository,
    manifest: new ReadArea([repository], repoName, policy),
    content: new ReadArea([root], `the content root ${messagePath(root)}/`, policy),
    includes,
  };
}

/** An error when the content root named by a manifest is outside its repository (and not allowed). */
export function contentRootProblem(areas: CourseAreas, root: string, manifest: string, at: Position | undefined, written: string): Diagnostic | undefined {
  if (areas.manifest.contains(realOrResolved(root))) return undefined;
  // Positions are relative to the content root, which is refused: name the manifest from its repository.
  const file = toPosix(relative(areas.repository, manifest));
  return error(
    'sandbox/outside',
    { file, line: at?.line ?? 1, column: at?.column ?? 1 },
    `\`root: ${written}\` is ${messagePath(root)}/, outside the repository ${messagePath(areas.repository)}/`,
    'the content root is a folder of the repository that holds the manifest; to build from a folder outside on purpose, pass --allow-read <folder> on the command line',
  );
}

/** A refused read as a Diagnostic: at the byte that is not text when there is one, else where the path was written. */
export function refusalDiagnostic(refusal: Refusal, writtenAt: Position, file: string): Diagnostic {
  const at = refusal.at ? { file, line: refusal.at.line, column: refusal.at.column } : writtenAt;
  return error(refusal.code, at, refusal.message, refusal.hint);
}

export { isRefusal };
