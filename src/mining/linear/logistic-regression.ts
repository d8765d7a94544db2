// L2-regularised logistic regression fitted by Newton's method (IRLS) on the design matrix.
import { type BinaryClassifier, normaliseImportance, sigmoid } from '../models/binary-classifier.ts';
import type { FeatureTable } from '../table/index.ts';
import { type DesignEncoder, encodeDesign, fitDesignEncoder } from './design-matrix.ts';

export interface LogisticOptions {
  /** L2 penalty (not on the intercept). */
  l2: number;
  maxIterations: number;
}

export const defaultLogisticOptions: LogisticOptions = { l2: 10, maxIterations: 50 };

export interface LogisticJson {
  kind: 'logistic';
  encoder: DesignEncoder;
  intercept: number;
  weights: number[];
  featureCount: number;
}

export class LogisticModel implements BinaryClassifier {
  readonly kind = 'logistic' as const;

  constructor(
    readonly encoder: DesignEncoder,
    readonly intercept: number,
    readonly weights: Float64Array,
    private readonly featureCount: number,
  ) {}

  predictProbabilities(table: FeatureTable): Float64Array {
    const x = encodeDesign(this.encoder, table);
    const p = this.weights.length;
    const out = new Float64Array(table.rowCount);
    for (let r = 0; r < table.rowCount; r++) {
      let z = this.intercept;
      for (let j = 0; j < p; j++) z += this.weights[j]! * x[r * p + j]!;
      out[r] = sigmoid(z);
    }
    return out;
  }

  /** |weight| on standardised inputs, summed per feature. */
  featureImportance(): Float64Array {
    const importance = new Float64Array(this.featureCount);
    this.encoder.columns.forEach((c, j) => {
      importance[c.feature]! += Math.abs(this.weights[j]!);
    });
    return normaliseImportance(importance);
  }

  toJSON(): LogisticJson {
    return {
      kind: 'logistic',
      encoder: this.encoder,
      intercept: this.intercept,
      weights: Array.from(this.weights),
      featureCount: this.featureCount,
    };
  }

  static fromJSON(json: LogisticJson): LogisticModel {
    return new LogisticModel(json.encoder, json.intercept, Float64Array.from(json.weights), json.featureCount);
  }
}

export function trainLogistic(
  table: FeatureTable,
  labels: Uint8Array,
  overrides: Partial<LogisticOptions> = {},
): LogisticModel {
  const options = { ...defaultLogisticOptions, ...overrides };
  const encoder = fitDesignEncoder(table);
  const x = encodeDesign(encoder, table);
  const n = table.rowCount;
  const p = encoder.columns.length;
  const d = p + 1; // last is the intercept
  const beta = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  const gradient = new Float64Array(d);
  const row = new Float64Array(d);
  row[p] = 1;
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    hessian.fill(0);
    gradient.fill(0);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < p; j++) row[j] = x[r * p + j]!;
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j]! * row[j]!;
      const prob = sigmoid(z);
      const w = Math.max(prob * (1 - prob), 1e-10);
      const residual = prob - labels[r]!;
      for (let j = 0; j < d; j++) {
        const xj = row[j]!;
        if (xj === 0) continue;
        gradient[j]! += residual * xj;
        const wx = w * xj;
        for (let k = 0; k <= j; k++) hessian[j * d + k]! += wx * row[k]!;
      }
    }
    for (let j = 0; j < p; j++) {
      gradient[j]! += options.l2 * beta[j]!;
      hessian[j * d + j]! += options.l2;
    }
    hessian[p * d + p]! += 1e-8;
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) hessian[k * d + j] = hessian[j * d + k]!;
    const step = solveSymmetric(hessian, gradient, d);
    let change = 0;
    for (let j = 0; j < d; j++) {
      beta[j]! -= step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
    if (change < 1e-8) break;
  }
  return new LogisticModel(encoder, beta[p]!, beta.slice(0, p), table.features.length);
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * n + j]!;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * y[k]!;
    y[i] = sum / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * x[k]!;
    x[i] = sum / l[i * n + i]!;
  }
  return x;
}
