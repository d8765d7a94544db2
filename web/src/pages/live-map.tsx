// The live page's map, drawn offline: the county outlines the API traces from the cells (registered with
// ECharts as a GeoJSON map, no tiles), geofences as shapes over them, and each cell as a point sized and
// coloured by the subscribers present now. Clicking a cell, a geofence or a county (or choosing one in
// the list under the map, which also works from the keyboard) shows who is there now by brand and the
// rules that watch it. A callout marks the busiest cell.
import { MapChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LiveMapView, PlaceDetail } from '../../../src/stream/index.ts';
import { useApi } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';

echarts.use([MapChart, ScatterChart, GeoComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

const MAP_NAME = 'telmark-live';
const FENCE_PREFIX = 'fence:';

type Place = { kind: PlaceDetail['kind']; id: string };

export interface LiveMapProps {
  /** Bumped after an edit of rules or geofences: reloads the shapes. */
  version: number;
  /** Per cell counts from the page's polling of /api/stream/areas, and the stream's event time. */
  counts: { cellId: string; present: number; callers: Record<string, number> }[];
  watermark: number;
}

export function LiveMap({ version, counts, watermark }: LiveMapProps) {
  const { pick, lang } = useI18n();
  const map = useApi<LiveMapView>(`/api/stream/map?v=${version}`);
  const [place, setPlace] = useState<Place | null>(null);
  const detail = useApi<PlaceDetail>(
    place ? `/api/stream/map/${place.kind}/${encodeURIComponent(place.id)}?v=${version}&at=${watermark}` : null,
  );
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [callout, setCallout] = useState<{ x: number; y: number; text: string; cellId: string } | null>(null);

  // The outlines and fences change only with the cells and geofences: register them as one GeoJSON map.
  const geoJson = useMemo(() => {
    if (!map.data) return null;
    return {
      type: 'FeatureCollection',
      features: [
        ...map.data.outlines.features,
        ...map.data.geofences
          .filter((g) => g.coordinates.length > 0)
          .map((g) => ({
            type: 'Feature',
            properties: { name: FENCE_PREFIX + g.id },
            geometry: { type: 'MultiPolygon', coordinates: g.coordinates },
          })),
      ],
    };
  }, [map.data]);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const p = params as { componentType: string; name: string; data?: { cellId?: string } };
      if (p.componentType === 'series' && p.data?.cellId) setPlace({ kind: 'cell', id: p.data.cellId });
      else if (p.componentType === 'geo' && p.name.startsWith(FENCE_PREFIX))
        setPlace({ kind: 'area', id: p.name.slice(FENCE_PREFIX.length) });
      else if (p.componentType === 'geo' && p.name) setPlace({ kind: 'county', id: p.name });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !map.data || !geoJson) return;
    echarts.registerMap(MAP_NAME, geoJson as never);
    const labelOf = new Map<string, string>([
      ...map.data.counties.map((c) => [c.name, pick(c.label)] as [string, string]),
      ...map.data.geofences.map((g) => [FENCE_PREFIX + g.id, pick(g.label)] as [string, string]),
    ]);
    // The busiest cell is drawn last, on top, so that a click on it reaches it.
    const now = new Map(counts.map((c) => [c.cellId, c]));
    const cells = map.data.cells
      .map((c) => {
        const count = now.get(c.cellId);
        return {
          ...c,
          present: count?.present ?? c.present,
          callers: count ? (count.callers['114'] ?? 0) + (count.callers['12580'] ?? 0) : c.callers,
        };
      })
      .sort((a, b) => a.present - b.present);
    const max = Math.max(1, ...cells.map((c) => c.present));
    const presentWord = pick({ zh: '当前用户', en: 'present' });
    const callersWord = pick({ zh: '近30分钟114/12580主叫', en: 'called 114/12580, 30 min' });
    instance.setOption(
      {
        tooltip: {
          trigger: 'item',
          formatter: (p: { componentType: string; name: string; data?: { label?: string; value?: number[] } }) =>
            p.componentType === 'series' && p.data?.value
              ? `${p.data.label}<br/>${presentWord} ${p.data.value[2]}<br/>${callersWord} ${p.data.value[3]}`
              : (labelOf.get(p.name) ?? p.name),
        },
        geo: {
          map: MAP_NAME,
          roam: true,
          aspectScale: 0.92,
          top: 12,
          bottom: 12,
          left: 12,
          right: 96,
          label: {
            show: true,
            formatter: (p: { name: string }) => (p.name.startsWith(FENCE_PREFIX) ? '' : (labelOf.get(p.name) ?? '')),
            color: '#334155',
          },
          itemStyle: { areaColor: '#eef2f7', borderColor: '#64748b', borderWidth: 1 },
          emphasis: { itemStyle: { areaColor: '#dbeafe' }, label: { show: true } },
          regions: map.data.geofences.map((g) => ({
            name: FENCE_PREFIX + g.id,
            itemStyle: { areaColor: 'rgba(245, 158, 11, 0.28)', borderColor: '#d97706', borderWidth: 1 },
            label: { show: false },
          })),
        },
        visualMap: {
          min: 0,
          max,
          dimension: 2,
          seriesIndex: 0,
          inRange: { color: ['#94a3b8', '#f59e0b', '#dc2626'] },
          calculable: true,
          right: 8,
          bottom: 8,
          text: [pick({ zh: '当前用户多', en: 'more present' }), pick({ zh: '少', en: 'fewer' })],
        },
        series: [
          {
            type: 'scatter',
            coordinateSystem: 'geo',
            data: cells.map((c) => ({
              name: c.cellId,
              cellId: c.cellId,
              label: pick(c.label),
              value: [c.lon, c.lat, c.present, c.callers],
            })),
            symbolSize: (v: number[]) => 5 + Math.sqrt(v[2] ?? 0) * 2.5,
            itemStyle: { borderColor: '#fff', borderWidth: 0.5 },
          },
        ],
      },
      { notMerge: true },
    );
    const busiest = cells.at(-1);
    if (busiest && busiest.present > 0) {
      const [x, y] = instance.convertToPixel({ geoIndex: 0 }, [busiest.lon, busiest.lat]) as number[];
      setCallout({ x: x!, y: y!, cellId: busiest.cellId, text: `${pick(busiest.label)} · ${busiest.present}` });
    } else setCallout(null);
  }, [map.data, geoJson, pick, counts]);

  const choices = useMemo(
    () => [
      ...(map.data?.geofences ?? []).map((g) => ({ value: `area:${g.id}`, label: pick(g.label) })),
      ...(map.data?.counties ?? []).map((c) => ({ value: `county:${c.name}`, label: pick(c.label) })),
    ],
    [map.data, pick],
  );
  const brandRows = (detail.data?.brands ?? []).map((b) => ({ brand: b.brand, subscribers: b.subscribers }));
  const ruleRows = (detail.data?.rules ?? []).map((r) => ({
    id: r.id,
    version: `v${r.version}`,
    state: r.paused ? pick({ zh: '已暂停', en: 'paused' }) : pick({ zh: '生效中', en: 'active' }),
    areas: r.areas.length
      ? r.areas.map((a) => pick(a)).join(lang === 'zh' ? '、' : ', ')
      : pick({ zh: '不限区域', en: 'anywhere' }),
  }));
  return (
    <section className="panel" data-testid="live-map">
      <header className="panel-header">
        <h3>{pick({ zh: '地图:各县轮廓、小区与地理围栏', en: 'Map: counties, cells and geofences' })}</h3>
        <span className="muted">
          {pick({
            zh: '点击小区、围栏或县区查看详情;滚轮缩放',
            en: 'Click a cell, geofence or county for details; scroll to zoom',
          })}
        </span>
      </header>
      <StateMessage loading={map.loading && !map.data} error={map.error} />
      <div style={{ position: 'relative' }}>
        <div ref={element} style={{ height: 520 }} data-testid="stream-map" data-ready={map.data ? 'true' : 'false'} />
        {callout && (
          <div
            className="map-callout"
            data-testid="map-callout"
            data-cell={callout.cellId}
            style={{ left: callout.x, top: callout.y }}
          >
            {pick({ zh: '最多用户:', en: 'Busiest: ' })}
            {callout.text}
          </div>
        )}
      </div>
      <label className="map-choice">
        <span>{pick({ zh: '或选择区域', en: 'Or pick an area' })}</span>
        <select
          data-testid="map-place"
          value={place && place.kind !== 'cell' ? `${place.kind}:${place.id}` : ''}
          onChange={(e) => {
            const [kind, ...rest] = e.target.value.split(':');
            setPlace(kind ? { kind: kind as Place['kind'], id: rest.join(':') } : null);
          }}
        >
          <option value="">–</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <StateMessage loading={detail.loading && !detail.data} error={detail.error} />
      {place && detail.data && (
        <div className="place-detail" data-testid="place-detail" data-place={`${detail.data.kind}:${detail.data.id}`}>
          <h4 data-testid="place-title">
            {pick(detail.data.label)} ·{' '}
            {pick({
              zh: `${detail.data.cells} 个小区,当前 ${detail.data.present} 位用户`,
              en: `${detail.data.cells} cells, ${detail.data.present} subscribers present now`,
            })}
          </h4>
          {!detail.data.running && (
            <p className="note">
              {pick({ zh: '没有运行的信令流:无当前用户数。', en: 'No stream runs: no one is counted as present.' })}
            </p>
          )}
          <DataTable
            title={{ zh: '当前用户(按品牌)', en: 'Present now, by brand' }}
            fileName={`place-brands-${detail.data.id}`}
            columns={[
              { key: 'brand', label: { zh: '品牌', en: 'Brand' } },
              { key: 'subscribers', label: { zh: '当前用户数', en: 'Subscribers' } },
            ]}
            rows={brandRows}
          />
          <DataTable
            title={{ zh: '关注此处的触发规则', en: 'Trigger rules watching this place' }}
            fileName={`place-rules-${detail.data.id}`}
            columns={[
              { key: 'id', label: { zh: '规则', en: 'Rule' } },
              { key: 'version', label: { zh: '版本', en: 'Version' } },
              { key: 'state', label: { zh: '状态', en: 'State' } },
              { key: 'areas', label: { zh: '围栏', en: 'Geofences' } },
            ]}
            rows={ruleRows}
          />
        </div>
      )}
    </section>
  );
}
