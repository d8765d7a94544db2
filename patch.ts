export function instrument(w: any) {
  const stats = new Map<string, { n: number; ms: number }>();
  for (const m of ['run', 'all']) {
    const orig = w[m].bind(w);
    w[m] = async (sql: string, p?: any) => {
      const t = performance.now();
      try { return await orig(sql, p); } finally {
        const k = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
        const s = stats.get(k) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t; stats.set(k, s);
      }
    };
  }
  return () => [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14).forEach(([k, s]) => console.log(s.n, Math.round(s.ms), k));
}
