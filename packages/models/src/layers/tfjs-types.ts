// TensorFlow.js types that @tensorflow/tfjs-layers does not export by name, derived from its public
// entry point. Never deep-import a file of tfjs-layers' dist folder: the published .d.ts would keep that
// deep import, which a consumer on "moduleResolution": "nodenext" (ESM) cannot resolve.
import type { layers } from '@tensorflow/tfjs-layers';

/** The base options of every layer (`name`, `inputShape`, `trainable`, …), as TF.js declares them. */
export type TfLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
/**
 * The same, each one also accepting undefined (read by TF.js as not set): a caller compiled with
 * exactOptionalPropertyTypes can pass an option that may be undefined straight through.
 */
export type LayerArgs = { [K in keyof TfLayerArgs]?: TfLayerArgs[K] | undefined };
/** The keyword arguments of `Layer.call`. */
export type Kwargs = Parameters<layers.Layer['call']>[1];
