import * as main from '../src/index';
import * as internals from '../src/internals';
import { DatasetError } from '../src/errors';

describe('entry points', () => {
  it("keeps the building blocks out of '@fixclf/datasets' and in '@fixclf/datasets/internals'", () => {
    for (const name of [
      'mulberry32',
      'mixSeed',
      'permutation',
      'chooseDecoder',
      'decodeImage',
      'indexTar',
      'readTar',
      'downloadFile',
      'writeCifarDirectory',
      'generateSynthetic',
      'planSample',
      'renderSample',
    ]) {
      expect(main).not.toHaveProperty(name);
      expect(internals).toHaveProperty(name);
    }
    for (const name of [
      'openDataset',
      'Dataset',
      'toTfDataset',
      'DatasetError',
      'compose',
      'randomCrop',
      'cifarTrain',
      'imagenetEval',
      'CIFAR10_CLASSES',
      'ensureCifar',
      'dataCacheDir',
    ]) {
      expect(main).toHaveProperty(name);
    }
  });

  it('recognises a DatasetError of another copy of the class (a CommonJS entry point has its own copy)', () => {
    let Other: typeof DatasetError | undefined;
    jest.isolateModules(() => {
      Other = (jest.requireActual('../src/errors') as { DatasetError: typeof DatasetError }).DatasetError;
    });
    expect(Other).toBeDefined();
    expect(Other).not.toBe(DatasetError);
    const foreign = new Other!('BROKEN_ARCHIVE', 'x.tar: truncated', { file: 'x.tar' });
    expect(foreign instanceof DatasetError).toBe(true);
    expect(new DatasetError('WORKER', 'w') instanceof Other!).toBe(true);
    expect(new Error('plain') instanceof DatasetError).toBe(false);
    expect({ code: 'WORKER', message: 'look-alike' } instanceof DatasetError).toBe(false);
    class Narrower extends DatasetError {}
    expect(new DatasetError('WORKER', 'w') instanceof Narrower).toBe(false);
    expect(new Narrower('WORKER', 'w') instanceof DatasetError).toBe(true);
  });
});
