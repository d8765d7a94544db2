// The small snapshot feeds: cells, plans and services, written whole.
import { demoPlans, demoServices } from './demo-catalogue.ts';
import { yuanText } from './calendar-text.ts';
import { FeedWriter, type WrittenFile } from './feed-writer.ts';
import type { DemoMap } from './demo-map.ts';
import { regionName } from './heyuan-geography.ts';

export async function writeCatalogueFeeds(dir: string, map: DemoMap, gzip: boolean): Promise<WrittenFile[]> {
  const cells = FeedWriter.open(dir, 'cells.csv', 'cells', gzip);
  for (const c of map.cells)
    cells.line(`${c.cellId},${c.lac},${c.ci},${c.name},${c.lat},${c.lon},${regionName},${c.county},${c.areaType}\n`);
  const plans = FeedWriter.open(dir, 'plans.csv', 'plans', gzip);
  for (const p of demoPlans)
    plans.line(
      `${p.planId},${p.name},${p.brand},${yuanText(p.monthlyFeeFen)},${p.voiceMinutes},${p.sms},${p.dataMb}\n`,
    );
  const services = FeedWriter.open(dir, 'services.csv', 'services', gzip);
  for (const s of demoServices)
    services.line(`${s.serviceId},${s.name},${s.category},${yuanText(s.monthlyFeeFen)},${s.trialMonths}\n`);
  return Promise.all([cells.close(), plans.close(), services.close()]);
}
