// Drives the built page (dist/, made by `vite build`, which turbo's test task runs first) in
// headless Chromium and checks it against fixclf's Node evaluation of the same checkpoint and images.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { nodeReference, type ReferencePrediction } from './node-reference';
import { serveStatic } from './serve';
import type { PageState } from '../src/main';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const runDir = path.resolve(root, '../cifar/results/resnet20-hadamard');
const imagesDir = path.join(root, 'public', 'images');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless without a GPU: WebGL through ANGLE on SwiftShader (software). The rest keeps Chromium off the
// network and away from any profile but a throwaway one (playwright passes a fresh --user-data-dir).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  // Shared memory in /tmp rather than /dev/shm, which containers often cap at 64 MB.
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
];

const LOAD_TIMEOUT_MS = 240_000;

interface Manifest {
  images: { file: string; label: string }[];
}

describe('examples/browser in headless Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let page: Page;
  const consoleErrors: string[] = [];
  let state: PageState;
  let reference: Awaited<ReturnType<typeof nodeReference>>;

  beforeAll(async () => {
    if (!existsSync(path.join(dist, 'index.html')))
      throw new Error(`${dist} is missing: run pnpm --filter @fixclf/example-browser build first (pnpm test does)`);
    if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
    server = await serveStatic(dist);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('crash', () => consoleErrors.push('the page crashed'));
    await page.goto(server.url);
    // `pnpm test` runs this beside every other package's tests on 2 cores, and WebGL here is SwiftShader
    // on the CPU: a CI run once found the page still loading after 60 s (the old limit). A page still
    // loading after LOAD_TIMEOUT_MS fails with the step it was on and the time each earlier step took.
    try {
      await page.waitForFunction(() => window.fixclf?.status !== 'loading', undefined, { timeout: LOAD_TIMEOUT_MS });
    } catch (error) {
      // A crashed page answers nothing: its crash is then among the console errors.
      const where = await page
        .evaluate(() => ({ state: window.fixclf, status: document.getElementById('status')?.textContent }))
        .catch(() => ({ state: undefined, status: undefined }));
      throw new Error(
        `the page did not finish loading in ${LOAD_TIMEOUT_MS / 1000} s; stage '${where.state?.stage}' ` +
          `(finished stages, ms: ${JSON.stringify(where.state?.stageMs)}; #status: ${JSON.stringify(where.status)}; ` +
          `console errors: ${JSON.stringify(consoleErrors)}): ${String(error)}`,
      );
    }
    state = await page.evaluate(() => window.fixclf);
    // Then the same checkpoint on the same images in Node (pure-JS cpu backend), as fixclf eval reads them.
    reference = await nodeReference(runDir, imagesDir);
  }, LOAD_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the committed checkpoint and classifies every manifest image on WebGL', () => {
    expect(state.error).toBeUndefined();
    expect(state.status).toBe('classified');
    expect(consoleErrors).toEqual([]);
    // Say which backend ran: the assertion message carries it if it was not WebGL.
    expect({ backend: state.backend, webgl: state.webgl }).toMatchObject({ backend: 'webgl' });
    console.log(
      `page backend: ${state.backend} ${JSON.stringify(state.webgl)}; batch of ${state.predictions?.length} in ${state.classifyMs?.toFixed(0)} ms; ` +
        `stages (ms): ${JSON.stringify(state.stageMs)}; Node reference backend: ${reference.backend}`,
    );
    const manifest = JSON.parse(readFileSync(path.join(imagesDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(state.predictions!.map((p) => p.file)).toEqual(manifest.images.map((m) => m.file));
    expect(state.run).toEqual({ model: 'resnet20', classifier: 'hadamard' });
  });

  it('agrees with the Node evaluation image by image: same top-1, probabilities within 1e-3', () => {
    const byFile = new Map<string, ReferencePrediction>(reference.predictions.map((p) => [p.file, p]));
    expect(byFile.size).toBe(state.predictions!.length);
    let maxDiff = 0;
    for (const p of state.predictions!) {
      const ref = byFile.get(p.file);
      expect(ref).toBeDefined();
      const refTop = ref!.probabilities.indexOf(Math.max(...ref!.probabilities));
      expect({ file: p.file, top1: p.top3[0]!.index }).toEqual({ file: p.file, top1: refTop });
      p.probabilities.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - ref!.probabilities[i]!))));
      // The page's top-3 is the reference's top-3.
      const refTop3 = ref!.probabilities
        .map((v, i) => [v, i] as const)
        .sort((a, b) => b[0] - a[0] || a[1] - b[1])
        .slice(0, 3)
        .map(([, i]) => i);
      expect(p.top3.map((r) => r.index)).toEqual(refTop3);
    }
    console.log(`max |p_browser - p_node| over ${state.predictions!.length} images × 10 classes: ${maxDiff.toExponential(2)}`);
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it("matches fixclf eval's summary (evaluateRun) on the same folder", () => {
    const { evaluation } = reference;
    const predictions = state.predictions!;
    expect(evaluation.count).toBe(predictions.length);
    const correct = predictions.filter((p) => p.top3[0]!.className === p.label).length;
    expect(evaluation.top1).toBeCloseTo((100 * correct) / predictions.length, 6);
    const classes = Object.fromEntries(reference.predictions.map((p) => [p.file, p.label]));
    const loss = predictions.reduce((s, p) => s - Math.log(p.probabilities[classes[p.file]!]!), 0) / predictions.length;
    expect(Math.abs(loss - evaluation.loss)).toBeLessThan(1e-3);
    console.log(
      `fixclf eval on the 30 images: ${JSON.stringify(evaluation)}; page: top-1 ${correct}/${predictions.length}, loss ${loss.toFixed(5)}`,
    );
  });

  it(
    'trains a model ending in fixedClassifier in the page: loss falls, α moves',
    async () => {
      await page.fill('#steps', '40');
      await page.click('#train-button');
      await page.waitForFunction(() => window.fixclf.training?.status === 'done' || window.fixclf.training?.status === 'error', undefined, {
        timeout: LOAD_TIMEOUT_MS,
      });
      const training = (await page.evaluate(() => window.fixclf.training))!;
      expect(training.error).toBeUndefined();
      expect(training.loss).toHaveLength(40);
      expect(training.alpha).toHaveLength(41);
      const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      const first = mean(training.loss.slice(0, 5));
      const last = mean(training.loss.slice(-5));
      console.log(
        `training: loss ${first.toFixed(4)} → ${last.toFixed(4)} (first/last 5 steps), α ${training.alpha[0]!.toFixed(4)} → ${training.alpha.at(-1)!.toFixed(4)}`,
      );
      expect(last).toBeLessThan(0.5 * first);
      expect(Math.abs(training.alpha.at(-1)! - training.alpha[0]!)).toBeGreaterThan(1e-2);
      // Model, optimizer state, batches and the data's cluster centres all freed (WebGL textures otherwise).
      expect(training.tensorsLeft).toBe(0);
      expect(await page.textContent('#train-status')).toMatch(/^step 40\/40: loss /);
    },
    LOAD_TIMEOUT_MS + 60_000,
  );
});
