// The KPI catalogue as the dashboard reads it (GET /api/metrics): each metric's name, labels, unit and
// the dimensions it can be broken down by — not its SQL.
import { type MetricDefinition, metricDefinitions } from './metric-definitions.ts';

/** One entry of the catalogue. */
export type MetricInfo = Pick<MetricDefinition, 'name' | 'label' | 'description' | 'unit'> & {
  dimensions: MetricDefinition['dimensions'][number][];
};

export interface MetricCatalogue {
  metrics: MetricInfo[];
}

export function describeMetrics(): MetricCatalogue {
  return {
    metrics: metricDefinitions.map((m) => ({
      name: m.name,
      label: m.label,
      description: m.description,
      unit: m.unit,
      dimensions: [...m.dimensions],
    })),
  };
}
