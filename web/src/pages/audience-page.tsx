// The audience builder: conditions added with forms, all/any/not groups nested at will, the size with
// its county and brand breakdown refreshed (debounced) as the conditions change, and saving as a new
// audience or a new version. The saved audiences are listed below.
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  AudienceCatalogue,
  AudienceHistory,
  AudienceList,
  AudiencePreview,
  AudienceVersion,
} from '../../../src/campaigns/audiences/index.ts';
import { type ApiError, sendJson, useApi } from '../api.ts';
import { useHasRight } from '../session.ts';
import { DataTable } from '../components/data-table.tsx';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import { AudienceConditionEditor } from './audience-condition.tsx';
import {
  fromDefinition,
  type Group,
  newCondition,
  newGroup,
  type Node,
  toDefinition,
  updateNode,
} from './audience-tree.ts';
import type { PageProps } from './page-props.ts';

const DEBOUNCE_MS = 300;

export function AudiencePage(_props: PageProps) {
  // Saving and exporting need campaigns.write (the routes say so); a reader sees the builder and the list.
  const canWrite = useHasRight('campaigns.write');
  const { lang, pick, formatNumber } = useI18n();
  const zh = lang === 'zh';
  const catalogue = useApi<AudienceCatalogue>('/api/audiences/catalogue');
  const [root, setRoot] = useState<Group>(() => newGroup('all'));
  const definition = useMemo(() => toDefinition(root) ?? { all: [] }, [root]);
  const key = JSON.stringify(definition);
  const [preview, setPreview] = useState<AudiencePreview | undefined>();
  const [previewError, setPreviewError] = useState<ApiError | undefined>();
  const [loading, setLoading] = useState(true);
  const asked = useRef(0);

  useEffect(() => {
    const ask = ++asked.current;
    setLoading(true);
    const timer = setTimeout(() => {
      sendJson<AudiencePreview>('POST', '/api/audiences/preview', { definition: JSON.parse(key) }).then(
        (answer) => {
          if (ask !== asked.current) return; // a newer change is on its way
          setPreview(answer);
          setPreviewError(undefined);
          setLoading(false);
        },
        (error: ApiError) => {
          if (ask !== asked.current) return;
          setPreviewError(error);
          setLoading(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  const [name, setName] = useState('');
  const [versionOf, setVersionOf] = useState('');
  const [saved, setSaved] = useState<{ id: number; version: number } | undefined>();
  const [saveError, setSaveError] = useState<ApiError | undefined>();
  const [listTick, setListTick] = useState(0);
  const list = useApi<AudienceList>(listTick % 2 === 0 ? '/api/audiences' : '/api/audiences?');
  const save = () => {
    setSaveError(undefined);
    sendJson<AudienceVersion>('POST', '/api/audiences', {
      name: name.trim(),
      definition,
      ...(versionOf ? { id: Number(versionOf) } : {}),
    }).then(
      (answer) => {
        setSaved(answer);
        setListTick((t) => t + 1);
      },
      (error: ApiError) => setSaveError(error),
    );
  };

  const change = (id: number, next: (node: Node) => Node | null) => setRoot((r) => updateNode(r, id, next));

  const renderGroup = (group: Group, depth: number) => (
    <div className={`audience-group depth-${depth % 2}`} data-testid="audience-group" key={group.id}>
      <div className="audience-group-head">
        {depth > 0 && (
          <label className="audience-not">
            <input
              type="checkbox"
              checked={group.negate}
              onChange={(e) => change(group.id, (n) => ({ ...n, negate: e.target.checked }))}
            />
            {zh ? '非' : 'not'}
          </label>
        )}
        <select
          value={group.op}
          data-testid="group-op"
          onChange={(e) => change(group.id, (n) => ({ ...(n as Group), op: e.target.value as Group['op'] }))}
        >
          <option value="all">{zh ? '满足以下全部条件' : 'all of these'}</option>
          <option value="any">{zh ? '满足以下任一条件' : 'any of these'}</option>
        </select>
        <button
          type="button"
          className="button ghost"
          data-testid="add-condition"
          onClick={() =>
            change(group.id, (n) => ({ ...(n as Group), children: [...(n as Group).children, newCondition()] }))
          }
        >
          {zh ? '+ 条件' : '+ condition'}
        </button>
        <button
          type="button"
          className="button ghost"
          data-testid="add-group"
          onClick={() =>
            change(group.id, (n) => ({ ...(n as Group), children: [...(n as Group).children, newGroup('any')] }))
          }
        >
          {zh ? '+ 条件组' : '+ group'}
        </button>
        {depth > 0 && (
          <button type="button" className="button ghost" onClick={() => change(group.id, () => null)}>
            {zh ? '删除组' : 'remove group'}
          </button>
        )}
      </div>
      {group.children.map((child) =>
        child.kind === 'group'
          ? renderGroup(child, depth + 1)
          : catalogue.data && (
              <AudienceConditionEditor
                key={child.id}
                condition={child}
                catalogue={catalogue.data}
                onChange={(next) => change(child.id, () => next)}
                onRemove={() => change(child.id, () => null)}
              />
            ),
      )}
    </div>
  );

  return (
    <div className="page audience-page" data-testid="audience-page">
      <StateMessage loading={catalogue.loading} error={catalogue.error} />
      <section className="card">
        <h2>{zh ? '目标客户条件' : 'Audience conditions'}</h2>
        {renderGroup(root, 0)}
      </section>
      <section className="card" data-testid="results" data-loading={loading ? 'true' : 'false'}>
        <h2>
          {zh ? '客户数' : 'Subscribers'}:{' '}
          <span data-testid="audience-size">{preview ? formatNumber(preview.size) : '…'}</span>
          {preview?.asOf && (
            <span className="muted">
              {' '}
              ({zh ? '数据日期' : 'as of'} {preview.asOf})
            </span>
          )}
        </h2>
        <StateMessage loading={false} error={previewError} />
        {preview?.warnings.map((w) => (
          <div className="message muted" key={w.path} data-testid="audience-warning">
            {pick(w.message)}
          </div>
        ))}
        <div className="audience-breakdown">
          <DataTable
            title={{ zh: '按区县', en: 'By county' }}
            fileName="audience-by-county"
            columns={[
              { key: 'county', label: { zh: '区县', en: 'County' } },
              { key: 'subscribers', label: { zh: '客户数', en: 'Subscribers' } },
            ]}
            rows={preview?.byCounty ?? []}
          />
          <DataTable
            title={{ zh: '按品牌', en: 'By brand' }}
            fileName="audience-by-brand"
            columns={[
              { key: 'brand', label: { zh: '品牌', en: 'Brand' } },
              { key: 'subscribers', label: { zh: '客户数', en: 'Subscribers' } },
            ]}
            rows={(preview?.byBrand ?? []).map((b) => ({ brand: pick(b.label), subscribers: b.subscribers }))}
          />
        </div>
      </section>
      <section className="card">
        <h2>{zh ? '保存' : 'Save'}</h2>
        {canWrite ? (
          <div className="audience-save">
            <input
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder={zh ? '目标客户群名称' : 'audience name'}
              data-testid="audience-name"
            />
            <select value={versionOf} onChange={(e) => setVersionOf(e.target.value)} data-testid="audience-version-of">
              <option value="">{zh ? '新建客户群' : 'a new audience'}</option>
              {(list.data?.audiences ?? []).map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {zh ? `作为「${a.name}」的新版本` : `a new version of "${a.name}"`}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button"
              disabled={name.trim() === ''}
              onClick={save}
              data-testid="audience-save"
            >
              {zh ? '保存' : 'Save'}
            </button>
            {saved && (
              <span data-testid="audience-saved">
                {zh
                  ? `已保存：第 ${saved.id} 号客户群，第 ${saved.version} 版`
                  : `saved: audience ${saved.id}, version ${saved.version}`}
              </span>
            )}
          </div>
        ) : (
          <p className="muted" data-testid="audience-read-only">
            {zh
              ? '您可以查看客户群；保存和导出需要“活动管理”权限。'
              : 'You can view audiences; saving and exporting need the campaigns.write right.'}
          </p>
        )}
        <StateMessage loading={false} error={saveError} />
        <DataTable
          title={{ zh: '已保存的客户群', en: 'Saved audiences' }}
          fileName="audiences"
          columns={[
            { key: 'id', label: { zh: '编号', en: 'Id' } },
            { key: 'name', label: { zh: '名称', en: 'Name' } },
            { key: 'latestVersion', label: { zh: '最新版本', en: 'Latest version' } },
            { key: 'createdBy', label: { zh: '保存人', en: 'Saved by' } },
            { key: 'updatedAt', label: { zh: '保存时间', en: 'Saved at' } },
          ]}
          rows={list.data?.audiences ?? []}
        />
        <ul className="audience-exports">
          {(list.data?.audiences ?? []).map((a) => (
            <li key={a.id}>
              {/* The server masks numbers for users without the right to see them and audits every export. */}
              <button
                type="button"
                className="button ghost"
                data-testid="audience-load"
                onClick={() =>
                  sendJson<AudienceHistory>('GET', `/api/audiences/${a.id}`).then(
                    (answer) => {
                      setRoot(fromDefinition(answer.versions[0]?.definition));
                      setName(a.name);
                      setVersionOf(String(a.id));
                    },
                    (error: ApiError) => setSaveError(error),
                  )
                }
              >
                {zh ? `载入「${a.name}」继续编辑` : `edit "${a.name}"`}
              </button>{' '}
              {canWrite && (
                <a href={`/api/audiences/${a.id}/export`} download data-testid="audience-export">
                  {zh ? `导出「${a.name}」名单（CSV）` : `export "${a.name}" (CSV)`}
                </a>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
