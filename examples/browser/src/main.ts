import * as tf from '@tensorflow/tfjs';
import '@fixclf/layers'; // registers FixedClassifier with tfjs serialization before the model is loaded
import { decodeRgb, evalPixelMap, toInput, topK, type Ranked, type RunInfo } from './preprocess';
import { drawTrace, trainFixedClassifier, type TrainTrace } from './train-panel';

interface Manifest {
  classNames: string[];
  images: { file: string; label: string; source: string }[];
}

export interface Prediction {
  file: string;
  label: string;
  probabilities: number[];
  top3: Ranked[];
}

export type Stage = 'backend' | 'metadata' | 'model' | 'images' | 'predict' | 'done';

/** What the page did, for people (the DOM) and for the test (window.fixclf). */
export interface PageState {
  status: 'loading' | 'classified' | 'error';
  /** The step under way (or the one that failed), so that a page stuck loading says where. */
  stage: Stage;
  /** Milliseconds each finished step took, in order. */
  stageMs: Partial<Record<Stage, number>>;
  backend?: string;
  webgl?: { version: number; float32: boolean; renderer: string | null };
  run?: { model: string; classifier: string };
  predictions?: Prediction[];
  classifyMs?: number;
  training?: TrainTrace & { status: 'running' | 'done' | 'error'; error?: string };
  error?: string;
}

declare global {
  interface Window {
    fixclf: PageState;
  }
}

const state: PageState = { status: 'loading', stage: 'backend', stageMs: {} };
window.fixclf = state;

let stageStarted = performance.now();
function enterStage(next: Stage): void {
  const now = performance.now();
  state.stageMs[state.stage] = Math.round(now - stageStarted);
  state.stage = next;
  stageStarted = now;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const url = (p: string): string => new URL(p, document.baseURI).href;

async function fetchOk(p: string): Promise<Response> {
  const response = await fetch(url(p));
  if (!response.ok) throw new Error(`${p}: HTTP ${response.status}`);
  return response;
}

/** WebGL unless ?backend= names another; 'cpu' when WebGL cannot start. */
async function chooseBackend(): Promise<void> {
  const wanted = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  let ok = false;
  try {
    ok = await tf.setBackend(wanted);
  } catch {
    ok = false;
  }
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  state.backend = tf.getBackend();
  if (state.backend === 'webgl') {
    // The renderer from a context of the page's own (the backend's is private to TF.js): the same GPU.
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    state.webgl = {
      version: tf.env().getNumber('WEBGL_VERSION'),
      float32: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
      renderer: gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null,
    };
  }
}

function renderCard(p: Prediction): HTMLElement {
  const card = document.createElement('figure');
  card.className = p.top3[0]!.className === p.label ? 'card' : 'card wrong';
  card.dataset.file = p.file;
  const img = document.createElement('img');
  img.src = url(`images/${p.file}`);
  img.alt = `${p.label} (${p.file})`;
  const truth = document.createElement('div');
  truth.className = 'truth';
  truth.textContent = `${p.label} · ${p.file.split('/').pop()}`;
  const list = document.createElement('ol');
  for (const r of p.top3) {
    const li = document.createElement('li');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = `${Math.max(1, Math.round(r.probability * 60))}px`;
    li.append(bar, `${r.className} ${(100 * r.probability).toFixed(1)}%`);
    list.append(li);
  }
  card.append(img, truth, list);
  return card;
}

async function classify(): Promise<void> {
  enterStage('metadata');
  const [run, manifest] = await Promise.all([
    fetchOk('model/run.json').then((r) => r.json() as Promise<RunInfo>),
    fetchOk('images/manifest.json').then((r) => r.json() as Promise<Manifest>),
  ]);
  state.run = { model: run.model, classifier: run.classifier };
  enterStage('model');
  const model = await tf.loadLayersModel(url('model/model.json'));
  enterStage('images');
  const map = evalPixelMap(run);
  const images = await Promise.all(
    manifest.images.map(async (m) => decodeRgb(new Uint8Array(await (await fetchOk(`images/${m.file}`)).arrayBuffer()))),
  );
  const size = map.height * map.width * 3;
  const x = new Float32Array(images.length * size);
  images.forEach((image, i) => toInput(image, map, x, i * size));

  enterStage('predict');
  const started = performance.now();
  const probabilities = tf.tidy(() => tf.softmax(model.predict(tf.tensor4d(x, [images.length, map.height, map.width, 3])) as tf.Tensor2D));
  const rows = (await probabilities.array()) as number[][];
  state.classifyMs = performance.now() - started;
  probabilities.dispose();
  model.dispose();

  state.predictions = manifest.images.map((m, i) => ({
    file: m.file,
    label: m.label,
    probabilities: rows[i]!,
    top3: topK(rows[i]!, run.classNames, 3),
  }));
  const correct = state.predictions.filter((p) => p.top3[0]!.className === p.label).length;
  $('summary').textContent =
    `${run.model}, ${run.classifier} head: top-1 ${correct}/${images.length} on these training images ` +
    `(${state.classifyMs.toFixed(0)} ms for the batch of ${images.length}, first call included).`;
  $('grid').replaceChildren(...state.predictions.map(renderCard));
}

async function train(): Promise<void> {
  const button = $<HTMLButtonElement>('train-button');
  const steps = Math.max(1, Math.min(1000, Number($<HTMLInputElement>('steps').value) || 60));
  const canvas = $<HTMLCanvasElement>('train-chart');
  button.disabled = true;
  state.training = { status: 'running', loss: [], alpha: [] };
  try {
    const trace = await trainFixedClassifier(steps, (t) => {
      state.training = { status: 'running', loss: [...t.loss], alpha: [...t.alpha] };
      drawTrace(canvas, t, steps);
      $('train-status').textContent = `step ${t.loss.length}/${steps}: loss ${t.loss.at(-1)!.toFixed(4)}, α ${t.alpha.at(-1)!.toFixed(4)}`;
    });
    state.training = { status: 'done', ...trace };
  } catch (error) {
    state.training = { status: 'error', loss: [], alpha: [], error: String(error) };
    $('train-status').textContent = String(error);
    $('train-status').className = 'error';
  } finally {
    button.disabled = false;
  }
}

async function main(): Promise<void> {
  try {
    await chooseBackend();
    $('status').textContent =
      `TensorFlow.js ${tf.version.tfjs}, backend ${state.backend}` +
      (state.webgl
        ? ` (WebGL ${state.webgl.version}, ${state.webgl.float32 ? 'float32' : 'float16'} textures${state.webgl.renderer ? `, ${state.webgl.renderer}` : ''})`
        : '') +
      '.';
    $<HTMLButtonElement>('train-button').addEventListener('click', () => void train());
    try {
      await classify();
    } finally {
      // After classification, so that training's tensor count is not mixed with the classifier's.
      $<HTMLButtonElement>('train-button').disabled = false;
    }
    enterStage('done');
    state.status = 'classified';
  } catch (error) {
    state.status = 'error';
    state.error = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
    $('status').textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
    $('status').className = 'error';
  }
}

void main();
