// An FP-tree in typed arrays: nodes are indices, node links chain the nodes of one item. Items are
// frequency ranks 0..itemCount-1 (0 = most frequent), inserted in ascending rank so that the tree of
// the prefix paths of item i only holds items < i.
// A node's child for an item is found through one open-addressing hash of (parent, item) for the
// whole tree, not by walking a sibling list: in a retail-like file the node of a staple item has
// thousands of children, and the sibling walk was most of the time of building the tree.
// A node's parent and item sit side by side in one array (`links`), so that walking a prefix path up
// to the root, the bulk of FP-growth's time, touches one cache line per node instead of two.
// A tree can be reset and refilled (FP-growth keeps one conditional tree per recursion depth), so
// mining allocates a few arrays, not several per frequent itemset.

export class FpTree {
  itemCount = 0;
  /** links[2n] is node n's parent (0 = the root, -1 for the root itself), links[2n + 1] its item. */
  links: Int32Array;
  count: Int32Array;
  nodeLink: Int32Array;
  /** First node of each item's node-link chain, -1 if none. */
  head: Int32Array;
  /** Support of each item in this tree (sum of its nodes' counts). */
  support: Int32Array;
  /** Whether a node has a child yet, to tell a single path. */
  private hasChild: Uint8Array;
  /** child + 1 by hash of (parent, item); 0 is empty, so a zeroed table is an empty one. */
  private slots: Int32Array;
  private mask = 0;
  size = 1;
  /** True while no node has two children: the tree is one path. */
  singlePath = true;

  constructor(itemCount: number, nodeCapacity: number) {
    this.links = new Int32Array(2 * nodeCapacity);
    this.count = new Int32Array(nodeCapacity);
    this.nodeLink = new Int32Array(nodeCapacity);
    this.hasChild = new Uint8Array(nodeCapacity);
    this.head = new Int32Array(itemCount);
    this.support = new Int32Array(itemCount);
    this.slots = new Int32Array(16);
    this.reset(itemCount, nodeCapacity);
  }

  /** Empties the tree for up to itemCount items and nodeCapacity nodes (root included). */
  reset(itemCount: number, nodeCapacity: number): void {
    if (nodeCapacity > this.count.length) {
      const capacity = Math.max(nodeCapacity, Math.floor(this.count.length * 1.5));
      this.links = new Int32Array(2 * capacity);
      this.count = new Int32Array(capacity);
      this.nodeLink = new Int32Array(capacity);
      this.hasChild = new Uint8Array(capacity);
    } else this.hasChild.fill(0, 0, this.size);
    if (itemCount > this.head.length) {
      this.head = new Int32Array(Math.max(itemCount, this.head.length * 2));
      this.support = new Int32Array(this.head.length);
    }
    this.head.fill(-1, 0, itemCount);
    this.support.fill(0, 0, itemCount);
    let slots = 16;
    while (slots < nodeCapacity * 2) slots *= 2;
    if (slots > this.slots.length) this.slots = new Int32Array(slots);
    else this.slots.fill(0, 0, slots);
    this.mask = slots - 1;
    this.itemCount = itemCount;
    this.size = 1;
    this.singlePath = true;
    this.links[0] = -1;
    this.links[1] = -1;
    this.count[0] = 0;
  }

  /** Adds path[start..end) (ascending ranks) with the given count. */
  insert(path: Int32Array, start: number, end: number, count: number): void {
    const { links, slots, mask } = this;
    let node = 0;
    for (let k = start; k < end; k++) {
      const it = path[k]!;
      let slot = (Math.imul(node, 0x9e3779b1) ^ Math.imul(it, 0x85ebca6b)) & mask;
      let child = slots[slot]! - 1;
      while (child !== -1 && (links[2 * child] !== node || links[2 * child + 1] !== it)) {
        slot = (slot + 1) & mask;
        child = slots[slot]! - 1;
      }
      if (child === -1) {
        child = this.size++;
        links[2 * child] = node;
        links[2 * child + 1] = it;
        this.count[child] = 0;
        if (this.hasChild[node] === 1) this.singlePath = false;
        this.hasChild[node] = 1;
        this.nodeLink[child] = this.head[it]!;
        this.head[it] = child;
        slots[slot] = child + 1;
      }
      this.count[child]! += count;
      this.support[it]! += count;
      node = child;
    }
  }
}
