// ECharts wrapper: registers only the chart types the dashboard uses (keeps the bundle small),
// follows its container's size, and hands clicks back (used for drill-down).
import { BarChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  DataZoomComponent,
  MarkLineComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;
export const palette = ['#1d4ed8', '#0891b2', '#f59e0b', '#16a34a', '#dc2626', '#7c3aed', '#db2777', '#64748b'];

export interface ChartProps {
  option: ChartOption;
  height?: number;
  onClick?: (params: { name: string; seriesName?: string; value: unknown; dataIndex?: number }) => void;
  testId?: string;
}

export function Chart({ option, height = 320, onClick, testId }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickHandler = useRef(onClick);
  clickHandler.current = onClick;

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // The browser tests read what was drawn (axis labels actually shown) from here.
    Object.defineProperty(element.current, 'telmarkChart', { value: instance, configurable: true });
    instance.on('click', (params) => clickHandler.current?.(params as never));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        color: palette,
        textStyle: { fontFamily: 'inherit' },
        animationDuration: 300,
        ...option,
      },
      { notMerge: true },
    );
  }, [option]);

  return <div className="chart" ref={element} style={{ height }} data-testid={testId ?? 'chart'} />;
}
