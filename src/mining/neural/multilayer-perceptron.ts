// A multilayer perceptron with one hidden layer (tanh), a logistic output, trained by Adam on
// mini-batches of the design matrix, with L2 weight decay. Seeded initialisation and batch order.
import type { DesignEncoder } from '../linear/design-matrix.ts';
import { encodeDesign, fitDesignEncoder } from '../linear/design-matrix.ts';
import { type BinaryClassifier, type ProgressCallback, sigmoid } from '../models/binary-classifier.ts';
import { createSeededRandom, shuffleInPlace } from '../../shared/seeded-random.ts';
import type { FeatureTable } from '../table/index.ts';

export interface MlpOptions {
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  seed: number;
  onProgress?: ProgressCallback;
}

export const defaultMlpOptions: MlpOptions = {
  hidden: 32,
  epochs: 60,
  batchSize: 32,
  learningRate: 0.003,
  l2: 1e-3,
  seed: 1,
};

export interface MlpJson {
  kind: 'mlp';
  encoder: DesignEncoder;
  hidden: number;
  /** hidden × inputs, row-major. */
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number;
}

export class MlpModel implements BinaryClassifier {
  readonly kind = 'mlp' as const;

  constructor(
    readonly encoder: DesignEncoder,
    readonly hidden: number,
    readonly w1: Float64Array,
    readonly b1: Float64Array,
    readonly w2: Float64Array,
    readonly b2: number,
  ) {}

  predictProbabilities(table: FeatureTable): Float64Array {
    const x = encodeDesign(this.encoder, table);
    const p = this.encoder.columns.length;
    const h = new Float64Array(this.hidden);
    const out = new Float64Array(table.rowCount);
    for (let r = 0; r < table.rowCount; r++) out[r] = sigmoid(forward(this, x, r * p, p, h));
    return out;
  }

  featureImportance(): null {
    return null;
  }

  toJSON(): MlpJson {
    return {
      kind: 'mlp',
      encoder: this.encoder,
      hidden: this.hidden,
      w1: Array.from(this.w1),
      b1: Array.from(this.b1),
      w2: Array.from(this.w2),
      b2: this.b2,
    };
  }

  static fromJSON(json: MlpJson): MlpModel {
    return new MlpModel(
      json.encoder,
      json.hidden,
      Float64Array.from(json.w1),
      Float64Array.from(json.b1),
      Float64Array.from(json.w2),
      json.b2,
    );
  }
}

interface Weights {
  readonly hidden: number;
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: number;
}

/** The output logit for row x[offset .. offset+p); fills h with the hidden activations. */
function forward(weights: Weights, x: Float64Array, offset: number, p: number, h: Float64Array): number {
  let z = weights.b2;
  for (let k = 0; k < weights.hidden; k++) {
    let a = weights.b1[k]!;
    const base = k * p;
    for (let j = 0; j < p; j++) a += weights.w1[base + j]! * x[offset + j]!;
    const t = Math.tanh(a);
    h[k] = t;
    z += weights.w2[k]! * t;
  }
  return z;
}

export function trainMlp(table: FeatureTable, labels: Uint8Array, overrides: Partial<MlpOptions> = {}): MlpModel {
  const options = { ...defaultMlpOptions, ...overrides };
  const random = createSeededRandom(options.seed);
  const encoder = fitDesignEncoder(table);
  const x = encodeDesign(encoder, table);
  const p = encoder.columns.length;
  const hidden = options.hidden;
  const n = table.rowCount;
  const scale1 = Math.sqrt(1 / Math.max(1, p));
  // all parameters in one vector (w1, b1, w2, b2) so that Adam updates them in one loop
  const size = hidden * p + hidden + hidden + 1;
  const params = new Float64Array(size);
  for (let i = 0; i < hidden * p; i++) params[i] = random.normal() * scale1;
  const w2Base = hidden * p + hidden;
  for (let k = 0; k < hidden; k++) params[w2Base + k] = random.normal() * Math.sqrt(1 / hidden);
  const weights = {
    hidden,
    w1: params.subarray(0, hidden * p),
    b1: params.subarray(hidden * p, w2Base),
    w2: params.subarray(w2Base, w2Base + hidden),
    get b2() {
      return params[size - 1]!;
    },
  };
  const grad = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const h = new Float64Array(hidden);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < n; start += options.batchSize) {
      const end = Math.min(n, start + options.batchSize);
      grad.fill(0);
      for (let i = start; i < end; i++) {
        const r = order[i]!;
        const offset = r * p;
        const delta = sigmoid(forward(weights, x, offset, p, h)) - labels[r]!;
        grad[size - 1]! += delta;
        for (let k = 0; k < hidden; k++) {
          grad[w2Base + k]! += delta * h[k]!;
          const dh = delta * weights.w2[k]! * (1 - h[k]! * h[k]!);
          if (dh === 0) continue;
          grad[hidden * p + k]! += dh;
          const base = k * p;
          for (let j = 0; j < p; j++) grad[base + j]! += dh * x[offset + j]!;
        }
      }
      step++;
      const batch = end - start;
      const correction1 = 1 - beta1 ** step;
      const correction2 = 1 - beta2 ** step;
      for (let i = 0; i < size; i++) {
        const g = grad[i]! / batch + options.l2 * params[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        params[i]! -= (options.learningRate * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + 1e-8);
      }
    }
    options.onProgress?.(epoch + 1, options.epochs, 'epochs');
  }
  return new MlpModel(encoder, hidden, weights.w1.slice(), weights.b1.slice(), weights.w2.slice(), weights.b2);
}
