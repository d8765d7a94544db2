// Sending: whether the sender is bound, its rate, window in use and queue depth; the one outbox by
// channel and status; skipped and deferred messages by reason; receipts and failures per hour; and the
// outbox searchable by status and recipient. Refreshes every few seconds.
import { messageStatuses } from '../../../src/channels/outbox/outbound-message.ts';
import { useEffect, useMemo, useState } from 'react';
import type { ChannelsStatus, OutboxList } from '../../../src/channels/index.ts';
import { useApi } from '../api.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import type { PageProps } from './page-props.ts';

const REFRESH_MS = 5000;
// '' = every status; the rest from the outbox's own list, so a new status reaches the filter.
const STATUSES = ['', ...messageStatuses];

export function ChannelsPage(_props: PageProps) {
  const { lang } = useI18n();
  const zh = lang === 'zh';
  const [tick, setTick] = useState(0);
  const [status, setStatus] = useState('');
  const [recipient, setRecipient] = useState('');
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  // Alternating the path on each tick makes useApi load the status again.
  const overview = useApi<ChannelsStatus>(tick % 2 === 0 ? '/api/channels/status' : '/api/channels/status?');
  const query = new URLSearchParams({ limit: '200' });
  if (status) query.set('status', status);
  if (recipient) query.set('recipient', recipient);
  const outbox = useApi<OutboxList>(`/api/outbox?${query}`);

  const sender = overview.data?.sender;
  const senderRows = useMemo(
    () =>
      sender
        ? [
            {
              state: sender.running
                ? sender.bound
                  ? zh
                    ? '已绑定'
                    : 'bound'
                  : zh
                    ? '未绑定'
                    : 'not bound'
                : zh
                  ? '未运行'
                  : 'not running',
              rate: sender.ratePerSec ?? 0,
              window: sender.windowInUse ?? 0,
              queue: sender.queueDepth ?? 0,
              submitted: sender.submitted ?? 0,
              delivered: sender.delivered ?? 0,
              failed: sender.failed ?? 0,
              unknown: sender.unknown ?? 0,
            },
          ]
        : [],
    [sender, zh],
  );
  const outboxRows = Object.entries(overview.data?.outbox ?? {}).map(([channel, counts]) => ({ channel, ...counts }));

  return (
    <div className="page" data-testid="channels-page">
      <StateMessage loading={overview.loading && !overview.data} error={overview.error} />
      <DataTable
        title={{ zh: '发送器', en: 'Sender' }}
        fileName="sender"
        columns={[
          { key: 'state', label: { zh: '状态', en: 'State' } },
          { key: 'rate', label: { zh: '速率(条/秒)', en: 'Rate (msg/s)' } },
          { key: 'window', label: { zh: '窗口占用', en: 'Window in use' } },
          { key: 'queue', label: { zh: '待发队列', en: 'Queue depth' } },
          { key: 'submitted', label: { zh: '已提交', en: 'Submitted' } },
          { key: 'delivered', label: { zh: '已送达', en: 'Delivered' } },
          { key: 'failed', label: { zh: '失败', en: 'Failed' } },
          { key: 'unknown', label: { zh: '未知', en: 'Unknown' } },
        ]}
        rows={senderRows}
      />
      <DataTable
        title={{ zh: '发件箱(按渠道和状态)', en: 'Outbox by channel and status' }}
        fileName="outbox-status"
        columns={[
          { key: 'channel', label: { zh: '渠道', en: 'Channel' } },
          ...STATUSES.filter(Boolean).map((s) => ({ key: s, label: s })),
        ]}
        rows={outboxRows}
      />
      <DataTable
        title={{ zh: '跳过与延迟(按原因)', en: 'Skipped and deferred by reason' }}
        fileName="outbox-reasons"
        columns={[
          { key: 'status', label: { zh: '状态', en: 'Status' } },
          { key: 'reason', label: { zh: '原因', en: 'Reason' } },
          { key: 'messages', label: { zh: '条数', en: 'Messages' } },
        ]}
        rows={overview.data?.reasons ?? []}
      />
      <DataTable
        title={{ zh: '每小时回执与失败', en: 'Receipts and failures per hour' }}
        fileName="receipts-per-hour"
        columns={[
          { key: 'hour', label: { zh: '小时', en: 'Hour' } },
          { key: 'delivered', label: { zh: '送达', en: 'Delivered' } },
          { key: 'failed', label: { zh: '失败', en: 'Failed' } },
        ]}
        rows={overview.data?.receiptsPerHour ?? []}
      />
      <h3>{zh ? '查询发件箱' : 'Search the outbox'}</h3>
      <div className="filter-bar">
        <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="outbox-status">
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s || (zh ? '全部状态' : 'any status')}
            </option>
          ))}
        </select>
        <input
          value={recipient}
          onChange={(e) => setRecipient(e.target.value.replace(/[^\d@.\w-]/g, ''))}
          placeholder={zh ? '收件人包含…' : 'recipient contains…'}
          data-testid="outbox-recipient"
        />
      </div>
      <StateMessage loading={outbox.loading && !outbox.data} error={outbox.error} />
      <DataTable
        title={{ zh: '消息', en: 'Messages' }}
        fileName="outbox"
        columns={[
          { key: 'queued_at', label: { zh: '入队时间', en: 'Queued' } },
          { key: 'source', label: { zh: '来源', en: 'Source' } },
          { key: 'source_ref', label: { zh: '规则/活动', en: 'Rule / campaign' } },
          { key: 'channel', label: { zh: '渠道', en: 'Channel' } },
          { key: 'recipient', label: { zh: '收件人', en: 'Recipient' } },
          { key: 'status', label: { zh: '状态', en: 'Status' } },
          { key: 'reason', label: { zh: '原因', en: 'Reason' } },
          { key: 'attempts', label: { zh: '尝试', en: 'Attempts' } },
          { key: 'text', label: { zh: '内容', en: 'Text' } },
        ]}
        rows={outbox.data?.messages ?? []}
      />
    </div>
  );
}
