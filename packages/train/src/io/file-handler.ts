import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { replaceDirAtomic } from './atomic';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/**
 * A `tf.io.IOHandler` over a directory, in the layout tfjs-node's `file://` handler uses
 * (model.json + weights.bin), so a model saved here loads there and back. For Node without
 * tfjs-node. The directory is replaced atomically on save.
 */
export function fileSystemHandler(dir: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('fileSystemHandler: binary model topologies are not supported; save a LayersModel.');
      }
      const weights = concatWeightData(artifacts.weightData);
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.format !== undefined) modelJson.format = artifacts.format;
      if (artifacts.generatedBy !== undefined) modelJson.generatedBy = artifacts.generatedBy;
      if (artifacts.convertedBy !== undefined) modelJson.convertedBy = artifacts.convertedBy;
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await replaceDirAtomic(dir, async (tmp) => {
        await fs.writeFile(path.join(tmp, MODEL_JSON), JSON.stringify(modelJson));
        await fs.writeFile(path.join(tmp, WEIGHTS_BIN), new Uint8Array(weights));
      });
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(modelJson.modelTopology).length,
          weightSpecsBytes: JSON.stringify(modelJson.weightsManifest).length,
          weightDataBytes: weights.byteLength,
        },
      };
    },

    async load(): Promise<io.ModelArtifacts> {
      const file = path.join(dir, MODEL_JSON);
      let modelJson: io.ModelJSON;
      try {
        modelJson = JSON.parse(await fs.readFile(file, 'utf8')) as io.ModelJSON;
      } catch (error) {
        throw new Error(`Cannot read model ${file}: ${(error as Error).message}`);
      }
      const specs: io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of modelJson.weightsManifest ?? []) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const weights = path.join(dir, p);
          try {
            buffers.push(await fs.readFile(weights));
          } catch (error) {
            throw new Error(`Cannot read the weights ${weights} of ${file}: ${(error as Error).message}`);
          }
        }
      }
      const weightData = concatWeightData(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
      const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype), 0);
      if (weightData.byteLength !== expected) {
        throw new Error(
          `Model ${dir}: weights hold ${weightData.byteLength} bytes, the manifest describes ${expected}; the files are damaged.`,
        );
      }
      const { format, generatedBy, convertedBy, trainingConfig, userDefinedMetadata } = modelJson;
      return {
        modelTopology: modelJson.modelTopology,
        ...(format !== undefined ? { format } : {}),
        ...(generatedBy !== undefined ? { generatedBy } : {}),
        ...(convertedBy !== undefined ? { convertedBy } : {}),
        ...(trainingConfig !== undefined ? { trainingConfig } : {}),
        ...(userDefinedMetadata !== undefined ? { userDefinedMetadata } : {}),
        weightSpecs: specs,
        weightData,
      };
    },
  };
}

function concatWeightData(data: io.WeightData | undefined): ArrayBuffer {
  if (data == null) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

function bytesPerElement(dtype: string): number {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  throw new Error(`Unsupported weight dtype '${dtype}'.`);
}
