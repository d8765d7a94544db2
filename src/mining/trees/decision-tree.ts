// A binary decision tree in flat arrays. Internal nodes split on a numeric threshold (v ≤ t goes left)
// or on a set of categorical levels (listed levels go left); missing values follow missingLeft.

export interface DecisionTreeJson {
  feature: number[];
  threshold: number[];
  /** Levels going left, for categorical splits; null for numeric. */
  leftLevels: (number[] | null)[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
}

export class DecisionTree {
  feature: number[] = [];
  threshold: number[] = [];
  leftLevels: (number[] | null)[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  /** Leaf output (also kept at internal nodes, for describing them). */
  value: number[] = [];
  /** Training rows reaching the node. */
  cover: number[] = [];
  /** Training-only: the bin split (numeric: last bin going left) and a level mask, for binned prediction. */
  binSplit: number[] = [];
  private masks: (Uint8Array | null)[] = [];

  addNode(value: number, cover: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.threshold.push(0);
    this.leftLevels.push(null);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.cover.push(cover);
    this.binSplit.push(0);
    this.masks.push(null);
    return id;
  }

  setSplit(
    node: number,
    split: {
      feature: number;
      threshold: number;
      binSplit: number;
      leftLevels: number[] | null;
      missingLeft: boolean;
      left: number;
      right: number;
    },
  ): void {
    this.feature[node] = split.feature;
    this.threshold[node] = split.threshold;
    this.binSplit[node] = split.binSplit;
    this.leftLevels[node] = split.leftLevels;
    this.missingLeft[node] = split.missingLeft ? 1 : 0;
    this.left[node] = split.left;
    this.right[node] = split.right;
    this.masks[node] = split.leftLevels ? levelMask(split.leftLevels) : null;
  }

  get nodeCount(): number {
    return this.feature.length;
  }

  /** Adds scale × the leaf value of each row to out (columns: one Float64Array per feature). */
  addPredictions(columns: readonly Float64Array[], out: Float64Array, scale = 1): void {
    const { feature, threshold, missingLeft, left, right, value, masks } = this;
    for (let r = 0; r < out.length; r++) {
      let node = 0;
      for (;;) {
        const f = feature[node]!;
        if (f < 0) break;
        const v = columns[f]![r]!;
        let goLeft: boolean;
        if (Number.isNaN(v)) goLeft = missingLeft[node] === 1;
        else {
          const mask = masks[node];
          goLeft = mask ? v < mask.length && mask[v] === 1 : v <= threshold[node]!;
        }
        node = goLeft ? left[node]! : right[node]!;
      }
      out[r]! += scale * value[node]!;
    }
  }

  /** Like addPredictions, on binned training data (bin 0 = missing, level c = bin c + 1). */
  addBinnedPredictions(bins: readonly Uint8Array[], out: Float64Array, scale = 1): void {
    const { feature, binSplit, missingLeft, left, right, value, masks } = this;
    for (let r = 0; r < out.length; r++) {
      let node = 0;
      for (;;) {
        const f = feature[node]!;
        if (f < 0) break;
        const b = bins[f]![r]!;
        let goLeft: boolean;
        if (b === 0) goLeft = missingLeft[node] === 1;
        else {
          const mask = masks[node];
          goLeft = mask ? b - 1 < mask.length && mask[b - 1] === 1 : b <= binSplit[node]!;
        }
        node = goLeft ? left[node]! : right[node]!;
      }
      out[r]! += scale * value[node]!;
    }
  }

  toJSON(): DecisionTreeJson {
    return {
      feature: this.feature,
      threshold: this.threshold,
      leftLevels: this.leftLevels,
      missingLeft: this.missingLeft,
      left: this.left,
      right: this.right,
      value: this.value,
      cover: this.cover,
    };
  }

  static fromJSON(json: DecisionTreeJson): DecisionTree {
    const tree = new DecisionTree();
    tree.feature = json.feature;
    tree.threshold = json.threshold;
    tree.leftLevels = json.leftLevels;
    tree.missingLeft = json.missingLeft;
    tree.left = json.left;
    tree.right = json.right;
    tree.value = json.value;
    tree.cover = json.cover;
    tree.binSplit = json.feature.map(() => 0);
    tree.masks = json.leftLevels.map((levels) => (levels ? levelMask(levels) : null));
    return tree;
  }
}

function levelMask(levels: readonly number[]): Uint8Array {
  const mask = new Uint8Array(levels.length === 0 ? 0 : Math.max(...levels) + 1);
  for (const level of levels) mask[level] = 1;
  return mask;
}
