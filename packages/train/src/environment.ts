import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Where a run trained: the software and the host. run.json keeps the one it was created on
 * (`environment`) and, in `history`, each one a resume moved it to: a run that crosses machines (a
 * 164-epoch ResNet-56 over a dozen sessions) says which epochs ran where, and why their speed changed.
 */
export interface RunEnvironment {
  /** The version of @fixclf/train that trained. */
  fixclf: string;
  /** @tensorflow/tfjs-core's version. */
  tfjs: string;
  /** The backend's own library where it reports one ('oneDNN 2.6.3'); absent otherwise. */
  library?: string | undefined;
  node: string;
  /** The CPU model, as the operating system names it. */
  cpu: string;
  /** Cores this process may use. */
  cores: number;
}

/** Inlined by the build (tsup's `define`); undefined where the sources run (jest, tsc output). */
declare const __FIXCLF_VERSION__: string | undefined;

let ownVersion: string | undefined;

/**
 * @fixclf/train's version. The build writes it into dist/, so a bundle of this package (one file, no
 * package.json of ours beside it) still knows it; the sources read package.json, found upwards from
 * this file.
 */
export function fixclfVersion(): string {
  if (typeof __FIXCLF_VERSION__ === 'string') return __FIXCLF_VERSION__;
  if (ownVersion !== undefined) return ownVersion;
  for (let dir = __dirname, parent = ''; dir !== parent; parent = dir, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === '@fixclf/train' && typeof pkg.version === 'string') return (ownVersion = pkg.version);
    } catch {
      // No package.json here: look further up.
    }
  }
  return (ownVersion = 'unknown');
}

/** The environment this process trains in, on the TF.js backend named `backend` (already active). */
export async function currentEnvironment(backend: string): Promise<RunEnvironment> {
  return {
    fixclf: fixclfVersion(),
    tfjs: tf.version_core,
    ...(backend === 'onednn' ? { library: await onednnLibrary() } : {}),
    node: process.version,
    cpu: os.cpus()[0]?.model.trim() || 'unknown',
    cores: os.availableParallelism(),
  };
}

async function onednnLibrary(): Promise<string> {
  // Imported by selectBackend already when it chose onednn: this only reads it.
  const { onednnVersion } = await import('@fixclf/backend-onednn');
  const v = onednnVersion();
  return `oneDNN ${v.major}.${v.minor}.${v.patch}`;
}

/** One line for people: "AMD EPYC, 2 cores; fixclf 0.0.0, TF.js 4.22.0, oneDNN 2.6.3, Node v20.20.2". */
export function describeEnvironment(e: RunEnvironment): string {
  return `${e.cpu}, ${e.cores} core${e.cores === 1 ? '' : 's'}; fixclf ${e.fixclf}, TF.js ${e.tfjs}${e.library ? `, ${e.library}` : ''}, Node ${e.node}`;
}

/** What differs from `before` to `after`, as "cpu A → B" phrases; empty when nothing does. */
export function environmentChanges(before: RunEnvironment, after: RunEnvironment): string[] {
  const fields: [keyof RunEnvironment, string][] = [
    ['cpu', 'cpu'],
    ['cores', 'cores'],
    ['fixclf', 'fixclf'],
    ['tfjs', 'TF.js'],
    ['library', 'library'],
    ['node', 'Node'],
  ];
  return fields.filter(([k]) => before[k] !== after[k]).map(([k, name]) => `${name} ${before[k] ?? 'none'} → ${after[k] ?? 'none'}`);
}
