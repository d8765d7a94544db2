import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredAnomaly } from '../../src/anomalies/index.ts';
import {
  type AlertConfig,
  type AlertGroup,
  acknowledge,
  type RoutingInput,
  routeAlerts,
  type Silence,
  tokenInReply,
} from '../../src/alerts/index.ts';

const config: AlertConfig = {
  routes: [
    {
      name: 'unconfirmed',
      match: { kpis: ['unconfirmed_share', 'unconfirmed_orders'], minSeverity: 'warning' },
      groupBy: ['day', 'channel'],
      steps: [[{ kind: 'sms', phone: '13800000001' }], [{ kind: 'email', email: 'boss@example.cn' }]],
      escalateAfterMinutes: 30,
      repeatAfterMinutes: 120,
    },
    {
      name: 'cancellations',
      match: { kpis: ['cancellations'], minSeverity: 'warning' },
      groupBy: ['day', 'county'],
      steps: [[{ kind: 'oncall', group: 'ops' }]],
      escalateAfterMinutes: 30,
      repeatAfterMinutes: 60,
    },
  ],
  oncall: [
    {
      name: 'ops',
      rotaStart: '2026-03-01T00:00:00Z',
      shiftHours: 12,
      members: [
        { name: 'Li', phone: '13900000001', email: 'li@example.cn' },
        { name: 'Wang', phone: '13900000002' },
      ],
    },
  ],
};

let nextId = 1;
function anomaly(partial: Partial<StoredAnomaly> & Pick<StoredAnomaly, 'kpi' | 'dimensions'>): StoredAnomaly {
  return {
    id: nextId++,
    series: `${partial.kpi}|${Object.entries(partial.dimensions)
      .map(([k, v]) => `${k}=${v}`)
      .join('|')}`,
    day: '2026-03-18',
    kind: 'deviation',
    observed: 10,
    expected: 1,
    bandLow: 0,
    bandHigh: 3,
    score: 9,
    pValue: 1e-9,
    severity: 'warning',
    explanation: { zh: `${partial.kpi} 异常`, en: `${partial.kpi} anomaly` },
    detectedAt: '2026-03-18 06:00:00',
    ...partial,
  };
}

function step(input: Partial<RoutingInput> & Pick<RoutingInput, 'anomalies' | 'groups' | 'now'>) {
  let token = 0;
  return routeAlerts({ silences: [], config, newToken: () => `TOKEN${++token}`, ...input });
}

const at = (hhmm: string) => new Date(`2026-03-18T${hhmm}:00Z`);

describe('alert routing', () => {
  const burst = [
    anomaly({
      kpi: 'unconfirmed_share',
      kind: 'unconfirmed_orders',
      dimensions: { channel: 'wap', service: 'game' },
      severity: 'critical',
    }),
    anomaly({ kpi: 'unconfirmed_orders', dimensions: { channel: 'wap' } }),
  ];

  it('groups related anomalies into one message per receiver', () => {
    const { groups, messages } = step({ anomalies: burst, groups: [], now: at('08:00') });
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.severity, 'critical');
    assert.deepEqual(
      groups[0]?.anomalyIds,
      burst.map((a) => a.id),
    );
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.address, '13800000001');
    assert.match(messages[0]?.body ?? '', /unconfirmed_share 异常.*unconfirmed_orders 异常.*ACK TOKEN1/);
  });

  it('sends nothing again for anomalies already in their group, until the repeat interval', () => {
    const first = step({ anomalies: burst, groups: [], now: at('08:00') });
    const again = step({ anomalies: burst, groups: first.groups, now: at('08:10') });
    assert.deepEqual(again.messages, []);
    const repeat = step({
      anomalies: burst,
      groups: first.groups,
      now: at('10:00'),
      config: { ...config, routes: [{ ...config.routes[0]!, escalateAfterMinutes: 1000 }, config.routes[1]!] },
    });
    assert.equal(repeat.messages.length, 1);
    assert.equal(repeat.messages[0]?.reason, 'repeat');
  });

  it('a new anomaly in an open group is an update to the same receivers', () => {
    const first = step({ anomalies: burst, groups: [], now: at('08:00') });
    const late = anomaly({ kpi: 'unconfirmed_orders', dimensions: { channel: 'wap', service: 'music' } });
    const next = step({ anomalies: [...burst, late], groups: first.groups, now: at('08:05') });
    assert.equal(next.groups.length, 1);
    assert.equal(next.messages.length, 1);
    assert.equal(next.messages[0]?.reason, 'update');
  });

  it('escalates to the next receiver when nobody acknowledges in time, and not after an acknowledgement', () => {
    const first = step({ anomalies: burst, groups: [], now: at('08:00') });
    const early = step({ anomalies: burst, groups: first.groups, now: at('08:29') });
    assert.deepEqual(early.messages, []);
    const late = step({ anomalies: burst, groups: first.groups, now: at('08:31') });
    assert.equal(late.messages.length, 1);
    assert.equal(late.messages[0]?.reason, 'escalation');
    assert.equal(late.messages[0]?.channel, 'email');
    assert.equal(late.messages[0]?.address, 'boss@example.cn');

    const token = tokenInReply(' ack token1 ');
    assert.equal(token, 'TOKEN1');
    const acked = acknowledge(first.groups, token ?? '', '13800000001', at('08:20'));
    assert.equal(acked.acknowledged?.status, 'acknowledged');
    const after = step({ anomalies: burst, groups: acked.groups, now: at('12:00') });
    assert.deepEqual(after.messages, []);
  });

  it('a silence holds an alert back until it expires, then the alert is sent', () => {
    const silence: Silence = {
      id: 7,
      matcher: { dimensions: { channel: 'wap' } },
      startsAt: '2026-03-18T07:00:00Z',
      endsAt: '2026-03-18T09:00:00Z',
      createdBy: 'ops',
      comment: 'known WAP gateway test',
    };
    const during = step({ anomalies: burst, groups: [], silences: [silence], now: at('08:00') });
    assert.deepEqual(during.messages, []);
    assert.equal(during.groups[0]?.status, 'silenced');
    assert.equal(during.groups[0]?.silencedBy, 7);
    const stillSilent = step({ anomalies: burst, groups: during.groups, silences: [silence], now: at('08:59') });
    assert.deepEqual(stillSilent.messages, []);
    const expired = step({ anomalies: burst, groups: stillSilent.groups, silences: [silence], now: at('09:00') });
    assert.equal(expired.groups[0]?.status, 'open');
    assert.equal(expired.messages.length, 1);
    assert.equal(expired.messages[0]?.reason, 'unsilenced');
  });

  it('routes to the on-call member on duty by the rota, and keeps unrelated slices apart', () => {
    const cancels = [
      anomaly({ kpi: 'cancellations', dimensions: { county: '龙川' } }),
      anomaly({ kpi: 'cancellations', dimensions: { county: '紫金' } }),
    ];
    const morning = step({ anomalies: cancels, groups: [], now: new Date('2026-03-18T08:00:00Z') });
    assert.equal(morning.groups.length, 2);
    assert.deepEqual(morning.messages.map((m) => m.address).sort(), [
      '13900000001',
      '13900000001',
      'li@example.cn',
      'li@example.cn',
    ]);
    const evening = step({ anomalies: cancels, groups: [], now: new Date('2026-03-18T13:00:00Z') });
    assert.deepEqual(
      evening.messages.map((m) => m.address),
      ['13900000002', '13900000002'],
    );
  });

  it('ignores anomalies no route matches (info severity under the routes minimum)', () => {
    const quiet = anomaly({ kpi: 'cancellations', dimensions: { county: '源城' }, severity: 'info' });
    const { groups, messages } = step({ anomalies: [quiet], groups: [] as AlertGroup[], now: at('08:00') });
    assert.deepEqual(groups, []);
    assert.deepEqual(messages, []);
  });

  it('reads acknowledgement codes out of SMS replies in either language', () => {
    assert.equal(tokenInReply('确认 7K3Q9P'), '7K3Q9P');
    assert.equal(tokenInReply('ACK:7k3q9p'), '7K3Q9P');
    assert.equal(tokenInReply('please stop'), undefined);
  });
});
