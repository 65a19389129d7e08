// Why the native addon did not load, told apart the way sharp does: each cause has its own code and
// its own fix, and the first line of the message carries both (the `fixclf` CLI prints first lines only).

/** What went wrong when loading build/Release/fixclf_onednn.node. */
export type AddonLoadFailure =
  /** No addon file: oneDNN was missing at install time, or the package manager skipped the build script. */
  | 'not-built'
  /** The file exists but the dynamic loader cannot find oneDNN's shared library it links against. */
  | 'onednn-missing'
  /** The file was built for another Node.js (another ABI, or a Node-API version this Node lacks). */
  | 'node-abi'
  /** The file loads but lacks functions this version calls: a build left over from an older version. */
  | 'stale-build'
  /** Anything else the loader refused (the loader's own message follows). */
  | 'load-failed';

const PACKAGE = '@fixclf/backend-onednn';
const INSTALL_ONEDNN = 'apt-get install libdnnl-dev, or brew install onednn';
// npm runs install scripts; pnpm ≥ 10 skips a dependency's unless the project allows it.
const REBUILD =
  `npm rebuild ${PACKAGE} (pnpm: allow its build with \`pnpm approve-builds ${PACKAGE}\` or ` +
  `allowBuilds: { '${PACKAGE}': true } in pnpm-workspace.yaml, then pnpm install; ` +
  `in this repository: pnpm --filter ${PACKAGE} build)`;

export class AddonLoadError extends Error {
  override readonly name = 'AddonLoadError';

  constructor(
    readonly code: AddonLoadFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The addon file is absent from every place it was looked for. */
export function notBuilt(looked: readonly string[]): AddonLoadError {
  return new AddonLoadError(
    'not-built',
    `${PACKAGE}: the native addon was never built (no ${looked.join(' or ')}); ` + `install oneDNN (${INSTALL_ONEDNN}), then ${REBUILD}.`,
  );
}

/** The addon loads but does not export `missing`. */
export function staleBuild(file: string, missing: readonly string[]): AddonLoadError {
  return new AddonLoadError(
    'stale-build',
    `${PACKAGE}: ${file} is a build of an older version (it lacks ${missing.join(', ')}); rebuild it: ${REBUILD}.`,
  );
}

/** Sorts a loader failure (`require` of the .node file threw `cause`) into its cause. */
export function loadFailed(file: string, cause: unknown): AddonLoadError {
  // Node wraps some of its messages over several lines; one line keeps the cause in what the CLI prints.
  const loaderMessage = (cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, ' ').trim();
  // glibc: "libdnnl.so.2: cannot open shared object file: No such file or directory"; macOS: "Library not loaded: …libdnnl…"
  const library =
    /(lib(?:dnnl|mkldnn)[\w.+-]*)[^:]*: cannot open shared object file|Library not loaded: \S*?(lib(?:dnnl|mkldnn)[\w.+-]*)/.exec(
      loaderMessage,
    );
  if (library) {
    return new AddonLoadError(
      'onednn-missing',
      `${PACKAGE}: the native addon is built but oneDNN's shared library ${library[1] ?? library[2]} is not installed ` +
        `or not on the loader's path; install oneDNN (${INSTALL_ONEDNN}) or set LD_LIBRARY_PATH to where it is ` +
        `(loader: ${loaderMessage}).`,
      { cause },
    );
  }
  // Node's own words for a module of another ABI, and a Node-API symbol this Node does not have.
  const abi = /NODE_MODULE_VERSION (\d+)[^]*?NODE_MODULE_VERSION (\d+)/.exec(loaderMessage);
  if (abi || /undefined symbol: napi_/.test(loaderMessage)) {
    const versions = abi ? ` (built for ABI ${abi[1]}, this Node.js ${process.version} needs ${abi[2]})` : '';
    return new AddonLoadError(
      'node-abi',
      `${PACKAGE}: ${file} was built for another Node.js${versions}; rebuild it with this one: ${REBUILD} ` + `(loader: ${loaderMessage}).`,
      { cause },
    );
  }
  return new AddonLoadError(
    'load-failed',
    `${PACKAGE}: the dynamic loader refused ${file}: ${loaderMessage}; if the file is damaged, ${REBUILD}.`,
    { cause },
  );
}
