// An FP-tree in typed arrays: nodes are indices, children a first-child/next-sibling list,
// node links chain the nodes of one item. Items are frequency ranks 0..itemCount-1 (0 = most frequent),
// inserted in ascending rank so that the tree of the prefix paths of item i only holds items < i.

export class FpTree {
  readonly itemCount: number;
  readonly item: Int32Array;
  readonly count: Int32Array;
  readonly parent: Int32Array;
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly nodeLink: Int32Array;
  /** First node of each item's node-link chain, -1 if none. */
  readonly head: Int32Array;
  /** Support of each item in this tree (sum of its nodes' counts). */
  readonly support: Int32Array;
  private readonly rootChild: Int32Array;
  size = 1;
  /** True while no node has two children: the tree is one path. */
  singlePath = true;

  constructor(itemCount: number, nodeCapacity: number) {
    this.itemCount = itemCount;
    this.item = new Int32Array(nodeCapacity);
    this.count = new Int32Array(nodeCapacity);
    this.parent = new Int32Array(nodeCapacity);
    this.firstChild = new Int32Array(nodeCapacity).fill(-1);
    this.nextSibling = new Int32Array(nodeCapacity);
    this.nodeLink = new Int32Array(nodeCapacity);
    this.head = new Int32Array(itemCount).fill(-1);
    this.support = new Int32Array(itemCount);
    this.rootChild = new Int32Array(itemCount).fill(-1);
    this.item[0] = -1;
    this.parent[0] = -1;
  }

  /** Adds path[0..length) (ascending ranks) with the given count. */
  insert(path: Int32Array, length: number, count: number): void {
    const { item, firstChild, nextSibling } = this;
    let node = 0;
    for (let k = 0; k < length; k++) {
      const it = path[k]!;
      let child: number;
      if (node === 0) child = this.rootChild[it]!;
      else {
        child = firstChild[node]!;
        while (child !== -1 && item[child] !== it) child = nextSibling[child]!;
      }
      if (child === -1) {
        child = this.size++;
        item[child] = it;
        this.parent[child] = node;
        if (firstChild[node] !== -1) this.singlePath = false;
        nextSibling[child] = firstChild[node]!;
        firstChild[node] = child;
        this.nodeLink[child] = this.head[it]!;
        this.head[it] = child;
        if (node === 0) this.rootChild[it] = child;
      }
      this.count[child]! += count;
      this.support[it]! += count;
      node = child;
    }
  }
}
