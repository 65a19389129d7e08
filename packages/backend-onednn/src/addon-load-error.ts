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
  /** The file loads but was built from other sources than these, or lacks functions they call: a leftover build. */
  | 'stale-build'
  /** The install's build stopped: the oneDNN found is not 2.x (the addon uses oneDNN 2's API). */
  | 'onednn-version'
  /** The install's build failed (the compiler's output said why; the record beside the addon keeps the cause). */
  | 'build-failed'
  /** Anything else the loader refused (the loader's own message follows). */
  | 'load-failed';

const PACKAGE = '@fixclf/backend-onednn';
// oneDNN 2.x: Debian and Ubuntu package it; Homebrew ships 3.x, whose API the addon does not use yet.
const INSTALL_ONEDNN = 'apt-get install libdnnl-dev; elsewhere build oneDNN v2.7 from source and set DNNLROOT';
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

/** FIXCLF_ONEDNN_ADDON names `file` (made absolute), which does not exist. */
export function overrideMissing(file: string): AddonLoadError {
  return new AddonLoadError(
    'not-built',
    `${PACKAGE}: FIXCLF_ONEDNN_ADDON is set to ${file}, which does not exist; point it at a built fixclf_onednn.node ` +
      `(a relative path is taken from the working directory) or unset it to load the package's own build.`,
  );
}

/** The addon loads but does not export `missing`, or (`missing` empty) was built from other sources than these. */
export function staleBuild(file: string, missing: readonly string[]): AddonLoadError {
  const why = missing.length > 0 ? `it lacks ${missing.join(', ')}` : 'it was built from other sources than the native/ beside it';
  return new AddonLoadError('stale-build', `${PACKAGE}: ${file} is a build of another version (${why}); rebuild it: ${REBUILD}.`);
}

/** The last build stopped or failed; `recorded` is the cause the build script wrote beside the addon. */
export function buildFailed(file: string, recorded: { code: string; message: string }): AddonLoadError {
  const code = recorded.code === 'onednn-version' ? 'onednn-version' : 'build-failed';
  return new AddonLoadError(code, `${PACKAGE}: the native addon's last build did not succeed (${file}): ${recorded.message}`);
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
