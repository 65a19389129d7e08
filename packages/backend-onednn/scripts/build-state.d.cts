// Types of build-state.cjs, which the loader (src/native.ts) shares with the build script.
export declare function sourcesHash(packageDir: string): string;
export declare function portableRequested(env: Record<string, string | undefined>): boolean;
export declare function stampPath(addonFile: string): string;
export declare function failurePath(addonFile: string): string;
export declare function readRecord(file: string): unknown;
export declare function onednnVersion(includeDir: string): { major: number; minor: number; patch: number } | null;
export declare function buildAction(
  stamp: { sources?: string; nodeAbi?: string; portable?: number; include?: string } | null,
  current: { sources: string; nodeAbi: string; portable: number; include: string },
  state: { addonExists: boolean; configured: boolean },
): 'none' | 'build' | 'configure';
export declare function findNodeGyp(
  env: Record<string, string | undefined>,
  packageDir: string,
  execPath: string,
  resolve?: (request: string) => string,
): { file: string; node: boolean; from: string } | undefined;
export declare const NODE_GYP_SEARCH: string;
