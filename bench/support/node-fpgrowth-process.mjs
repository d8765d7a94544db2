// The peer of `telmark rules` in the rules benchmark, run as its own process the way a user of
// node-fpgrowth would: read the basket file, split it into item strings, find the frequent itemsets.
// node-fpgrowth finds itemsets only (no rules), so the benchmark compares itemset counts. It turns a
// relative support into a count with Math.ceil(s * N), so it is given (count - 0.5) / N.
// Usage: node node-fpgrowth-process.mjs FILE MIN_COUNT   (a .dat file: items separated by blanks)
import { readFileSync } from 'node:fs';
import nodeFpgrowth from 'node-fpgrowth';

const [file, minCountText] = process.argv.slice(2);
const separator = file.endsWith('.dat') ? /\s+/ : /\s*,\s*/;
const transactions = [];
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const trimmed = line.trim();
  if (trimmed !== '') transactions.push([...new Set(trimmed.split(separator).filter((item) => item !== ''))]);
}
const minCount = Number(minCountText);
const found = await new nodeFpgrowth.FPGrowth((minCount - 0.5) / transactions.length).exec(transactions);
process.stdout.write(`${JSON.stringify({ baskets: transactions.length, itemsets: found.length })}\n`);
