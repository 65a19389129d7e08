import { DatasetError } from '../../src/index';

/** The DatasetError that `run` rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(run: () => Promise<unknown>): Promise<DatasetError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError');
}
