// TensorFlow.js types that @tensorflow/tfjs-layers does not export by name, derived from its public
// entry point. Never deep-import a file of tfjs-layers' dist folder: the published .d.ts would keep that
// deep import, which a consumer on "moduleResolution": "nodenext" (ESM) cannot resolve.
import type { initializers, layers, regularizers } from '@tensorflow/tfjs-layers';

/** The base options of every layer (`name`, `inputShape`, `trainable`, …), as tfjs-layers declares them. */
export type TfLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;
/**
 * The same options, each of which may also be given as undefined (`name: options.name` under
 * exactOptionalPropertyTypes): the Layer constructor reads an undefined one as not set (`!name`, `== null`).
 */
export type LayerArgs = { [K in keyof TfLayerArgs]?: TfLayerArgs[K] | undefined };
/** The keyword arguments of `Layer.call`. */
export type Kwargs = Parameters<layers.Layer['call']>[1];
/** An initializer instance (the abstract base class). */
export type Initializer = ReturnType<typeof initializers.ones>;
/** A regularizer instance (the abstract base class). */
export type Regularizer = ReturnType<typeof regularizers.l1l2>;
/** What `Layer.dispose` returns. */
export type DisposeResult = ReturnType<layers.Layer['dispose']>;
