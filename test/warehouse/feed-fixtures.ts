// Small hand-written feeds for loader tests: a valid reference set (cells, plans, services,
// subscribers) and helpers to write daily files whose every line is known. Every folder made here
// is removed when the test file that made it ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { type FeedName, feeds } from '../../src/feeds/contract.ts';

export const referenceFeeds: Record<string, string[]> = {
  'cells.csv': [
    'cell_id,lac,ci,name,lat,lon,region,county,area_type',
    '9001-1,9001,1,火车站-1,23.7400,114.7000,河源,源城,station',
    '9001-2,9001,2,大学城-1,23.7000,114.6800,河源,源城,campus',
  ],
  'plans.csv': [
    'plan_id,name,brand,monthly_fee,voice_minutes,sms,data_mb',
    'P1,全球通88,gotone,88.00,300,100,1024',
    'P2,动感地带18,mzone,18.00,50,300,500',
  ],
  'services.csv': [
    'service_id,name,category,monthly_fee,trial_months',
    'CRBT,彩铃,crbt,5.00,0',
    'NEWS,手机报,news,3.00,1',
    '12580,12580,directory,0.00,0',
  ],
  'subscribers.csv': [
    'msisdn,brand,region,county,plan_id,activated_on,birth_year,gender,status,status_changed_on',
    '13800000001,gotone,河源,源城,P1,2020-01-05,1980,M,active,2020-01-05',
    '13800000002,mzone,河源,源城,P2,2025-09-01,2004,F,active,2025-09-01',
    '13800000003,mzone,河源,东源,P2,2024-03-01,2001,F,closed,2026-03-02',
    '13800000004,gotone,河源,龙川,P1,2018-07-01,1975,U,active,2018-07-01',
  ],
  'subscriptions.csv': ['msisdn,service_id,subscribed_on,channel,trial', '13800000001,CRBT,2023-01-01,sms,0'],
};

const made: string[] = [];

/** Removes every folder feedDir made so far; runs by itself after the importing test file. */
export function removeFeedDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// At the top level a hook belongs to the file's root test, so it runs once the whole file is done.
after(removeFeedDirs);

/** A new folder holding the reference feeds plus the given extra files. */
export function feedDir(extra: Record<string, string | Buffer | string[]> = {}, withReference = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'telmark-feeds-'));
  made.push(dir);
  const files = withReference ? { ...referenceFeeds, ...extra } : extra;
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), Array.isArray(content) ? `${content.join('\n')}\n` : content);
  }
  return dir;
}

/** A valid row of each daily feed, as field → value, to mutate one field at a time. */
export const validRows: Partial<Record<FeedName, Record<string, string>>> = {
  orders: {
    order_id: 'O1',
    ts: '2026-03-01 10:00:00',
    msisdn: '13800000002',
    service_id: 'NEWS',
    action: 'subscribe',
    channel: 'wap',
    trial: '1',
    confirmed: '1',
    campaign_id: '',
  },
  billing: {
    msisdn: '13800000001',
    month: '2026-03',
    total_fee: '98.50',
    voice_fee: '60.00',
    sms_fee: '10.00',
    data_fee: '20.50',
    vas_fee: '8.00',
  },
  sms: {
    ts: '2026-03-01 09:00:00',
    msisdn: '13800000001',
    peer: '10658000',
    kind: 'sp_mt',
    service_id: 'NEWS',
    forwarded: '0',
  },
  wap: { ts: '2026-03-01 09:00:00', msisdn: '13800000001', host: 'wap.monternet.com', service_id: '', bytes: '2048' },
  ivr: {
    ts: '2026-03-01 09:00:00',
    msisdn: '13800000001',
    access_code: '12580',
    duration_s: '65',
    menu: 'travel/train',
  },
  crbt: { ts: '2026-03-01 09:00:00', msisdn: '13800000001', action: 'change', tone_id: 'T100' },
  web: { ts: '2026-03-01 09:00:00', msisdn: '13800000001', path: '/mall/crbt', action: 'view' },
  signalling: {
    ts: '2026-03-01 08:00:00.123',
    msisdn: '13800000001',
    event: 'call_out',
    cell_id: '9001-1',
    peer: '114',
    duration_s: '30',
  },
};

export function csvLines(feed: FeedName, rows: Record<string, string>[]): string[] {
  const columns = feeds[feed].fields.map((f) => f.name);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => row[c] ?? '').join(','))];
}
