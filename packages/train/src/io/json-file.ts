import { promises as fs } from 'node:fs';

/** `text`, the content of `file`, parsed; torn or garbled JSON is an error naming the file and `whatToDo`. */
export function parseJsonFile<T>(file: string, text: string, whatToDo: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(
      `${file} is damaged (${(error as Error).message}; ${text.length === 0 ? 'it is empty' : `${text.length} bytes`}): ${whatToDo}`,
    );
  }
}

/** A JSON file of a run, parsed; a torn or garbled one is an error naming the file and the fix. */
export async function readJsonFile<T>(file: string, whatToDo: string): Promise<T> {
  return parseJsonFile<T>(file, await fs.readFile(file, 'utf8'), whatToDo);
}
