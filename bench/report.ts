// Benchmark figures: a readable line for people, then one BENCH line for tools (see DESIGN.md).

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  baselineValue?: number;
  /** value / baselineValue, or for times baselineValue / value, so that > 1 always means "better than baseline". */
  ratio?: number;
  target?: string;
}

export function reportFigure(figure: BenchFigure): void {
  const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);
  const parts = [`${figure.name}: ${round(figure.value)} ${figure.unit}`];
  if (figure.baseline !== undefined && figure.baselineValue !== undefined) {
    parts.push(`baseline ${figure.baseline}: ${round(figure.baselineValue)} ${figure.unit}`);
  }
  if (figure.ratio !== undefined) parts.push(`ratio ${round(figure.ratio)}`);
  if (figure.target) parts.push(`target ${figure.target}`);
  console.log(parts.join(' | '));
  const line: Record<string, unknown> = { name: figure.name, value: round(figure.value), unit: figure.unit };
  if (figure.baseline !== undefined) line.baseline = figure.baseline;
  if (figure.baselineValue !== undefined) line.baseline_value = round(figure.baselineValue);
  if (figure.ratio !== undefined) line.ratio = round(figure.ratio);
  console.log(`BENCH ${JSON.stringify(line)}`);
}

/** Wall time of an async function in milliseconds. */
export async function timeMs(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
