// A V8 CPU profile (.cpuprofile) summed by where the time went: each sample's self time is given to a
// group named after the first frame of the stack, from the top, that belongs to a known part (this
// repository's folders, @duckdb/node-api, fastify, pino, …), so a library's time spent on behalf of the
// profile route counts for that library. Used by `npm run bench -- customer --cpu-prof FILE`.
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileGroup {
  group: string;
  ms: number;
  /** The heaviest functions of the group (self time), "name (file:line)". */
  top: { frame: string; ms: number }[];
}

/** Which part of the code a frame's file belongs to; undefined for frames to look through (node's own). */
function partOf(url: string, functionName: string): string | undefined {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'native (program)';
    return undefined;
  }
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (module) return module;
  const source = /\/(src|bench)\/([^/]+)\//.exec(url);
  if (source) return `${source[1]}/${source[2]}`;
  return undefined;
}

export function summariseCpuProfile(profile: CpuProfile, topPerGroup = 4): ProfileGroup[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const groupOfNode = new Map<number, string>();
  const groupOf = (id: number): string => {
    const known = groupOfNode.get(id);
    if (known !== undefined) return known;
    const { url, functionName } = byId.get(id)!.callFrame;
    const parent = parentOf.get(id);
    const group = partOf(url, functionName) ?? (parent === undefined ? 'node internals' : groupOf(parent));
    groupOfNode.set(id, group);
    return group;
  };
  const groups = new Map<string, { ms: number; frames: Map<string, number> }>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const group = groupOf(id);
    const { url, functionName, lineNumber } = byId.get(id)!.callFrame;
    const frame = `${functionName || '(anonymous)'} (${url.split('/').slice(-2).join('/')}:${lineNumber + 1})`;
    const entry = groups.get(group) ?? { ms: 0, frames: new Map() };
    entry.ms += ms;
    entry.frames.set(frame, (entry.frames.get(frame) ?? 0) + ms);
    groups.set(group, entry);
  });
  return [...groups.entries()]
    .map(([group, { ms, frames }]) => ({
      group,
      ms,
      top: [...frames.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, topPerGroup)
        .map(([frame, frameMs]) => ({ frame, ms: frameMs })),
    }))
    .sort((a, b) => b.ms - a.ms);
}
