// The pure builder from an analysis section to an ECharts option (no browser needed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalysisSection } from '../../src/analysis/analysis-result.ts';
import { buildChartOption } from '../../web/src/components/chart-options.ts';

const base = {
  id: 's',
  title: { zh: '标题', en: 'title' },
  columns: [
    { key: 'day', label: { zh: '日期', en: 'day' } },
    { key: 'brand', label: { zh: '品牌', en: 'brand' } },
    { key: 'calls', label: { zh: '呼叫', en: 'calls' }, unit: 'count' as const },
  ],
  rows: [
    { day: '2026-03-01', brand: 'mzone', calls: 3 },
    { day: '2026-03-01', brand: 'gotone', calls: 5 },
    { day: '2026-03-02', brand: 'mzone', calls: 4 },
  ],
};

describe('buildChartOption', () => {
  test('long rows pivot into one series per value of `by`, with gaps as nulls and names translated', () => {
    const section: AnalysisSection = {
      ...base,
      chart: { kind: 'line', x: 'day', by: 'brand', value: 'calls', markX: '2026-03-02' },
    };
    const option = buildChartOption(section, 'en', (column, value) =>
      column === 'brand' && value === 'mzone' ? 'M-Zone' : String(value),
    ) as {
      xAxis: { data: string[] };
      series: { name: string; data: (number | null)[]; markLine?: unknown }[];
    };
    assert.deepEqual(option.xAxis.data, ['2026-03-01', '2026-03-02']);
    assert.deepEqual(
      option.series.map((s) => [s.name, s.data]),
      [
        ['M-Zone', [3, 4]],
        ['gotone', [5, null]],
      ],
    );
    assert.ok(option.series[0]!.markLine);
  });

  test('wide rows give one series per value column, labelled in the chosen language; pies and empty sections', () => {
    const section: AnalysisSection = { ...base, chart: { kind: 'stacked-bar', x: 'brand', values: ['calls'] } };
    const option = buildChartOption(section, 'zh') as { series: { name: string; stack?: string }[] };
    assert.equal(option.series[0]!.name, '呼叫');
    assert.equal(option.series[0]!.stack, 'total');
    const pie = buildChartOption({ ...base, chart: { kind: 'pie', x: 'brand', value: 'calls' } }, 'en') as {
      series: { data: { name: string; value: number }[] }[];
    };
    assert.equal(pie.series[0]!.data.length, 3);
    assert.equal(
      buildChartOption({ ...base, rows: [], chart: { kind: 'line', x: 'day', values: ['calls'] } }, 'en'),
      null,
    );
  });

  test('ten long category names are all shown, slanted, instead of every other one hidden', () => {
    const plans = [
      '全球通商旅128元套餐',
      '全球通58元套餐',
      '神州行大众卡',
      '神州行家园卡',
      '神州行轻松卡',
      '动感地带学生卡',
      '动感地带音乐套餐',
      '动感地带上网套餐',
      '随e行数据卡',
      '全球通88元套餐',
    ];
    const section: AnalysisSection = {
      ...base,
      columns: [base.columns[0]!, { key: 'plan', label: { zh: '套餐', en: 'plan' } }, base.columns[2]!],
      rows: plans.map((plan, i) => ({ plan, calls: i })),
      chart: { kind: 'bar', x: 'plan', values: ['calls'] },
    };
    const option = buildChartOption(section, 'zh', (_, value) => String(value)) as {
      xAxis: { data: string[]; axisLabel: { interval?: number; rotate?: number } };
      grid: { bottom: number };
    };
    assert.equal(option.xAxis.data.length, 10);
    assert.deepEqual(option.xAxis.axisLabel, { interval: 0, rotate: 30 });
    assert.ok(option.grid.bottom > 60, `room below the axis: ${option.grid.bottom}`);
    const short = buildChartOption({ ...section, rows: section.rows.slice(0, 3) }, 'zh', (_, v) => String(v)) as {
      xAxis: { axisLabel: { rotate?: number } };
    };
    assert.equal(short.xAxis.axisLabel.rotate, undefined);
  });
});
