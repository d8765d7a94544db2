// One condition of the audience builder: pick the field, then its operator and values from the
// catalogue's labels (never a code in the Chinese UI).
import type { ChangeEvent } from 'react';
import { useI18n } from '../i18n/index.ts';
import type { AudienceCatalogue, CatalogueValue } from '../../../src/campaigns/audiences/index.ts';
import type { Condition } from './audience-tree.ts';

interface Props {
  condition: Condition;
  catalogue: AudienceCatalogue;
  onChange(next: Condition): void;
  onRemove(): void;
}

export function AudienceConditionEditor({ condition: c, catalogue, onChange, onRemove }: Props) {
  const { lang, pick } = useI18n();
  const zh = lang === 'zh';
  const set = (patch: Partial<Condition>) => onChange({ ...c, ...patch });
  const [kind, name] = c.field.split(':') as [string, string | undefined];
  const attribute = kind === 'attribute' ? catalogue.attributes.find((a) => a.name === name) : undefined;
  const segment = kind === 'segment' ? catalogue.segments.find((s) => s.name === name) : undefined;
  const text = (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => e.target.value;

  const services = (value: string, onPick: (v: string) => void, testId: string) => (
    <select value={value} onChange={(e) => onPick(text(e))} data-testid={testId}>
      <option value="">{zh ? '选择业务' : 'choose a service'}</option>
      {catalogue.services.map((s) => (
        <option key={s.value} value={s.value}>
          {pick(s.label)}
        </option>
      ))}
    </select>
  );
  const checkboxes = (values: readonly CatalogueValue[]) => (
    <span className="audience-values">
      {values.map((v) => (
        <label key={v.value}>
          <input
            type="checkbox"
            data-testid="condition-value"
            checked={c.values.includes(v.value)}
            onChange={(e) =>
              set({ values: e.target.checked ? [...c.values, v.value] : c.values.filter((x) => x !== v.value) })
            }
          />
          {pick(v.label)}
        </label>
      ))}
    </span>
  );
  const range = (unit?: string) => (
    <span className="audience-range">
      <input
        type="number"
        value={c.low}
        placeholder={zh ? '不限' : 'any'}
        onChange={(e) => set({ low: text(e) })}
        data-testid="condition-low"
      />
      <span>{zh ? '≤ 取值 <' : '≤ value <'}</span>
      <input
        type="number"
        value={c.high}
        placeholder={zh ? '不限' : 'any'}
        onChange={(e) => set({ high: text(e) })}
        data-testid="condition-high"
      />
      {unit && <span className="muted">{unit}</span>}
    </span>
  );
  const days = (
    <label>
      {zh ? '最近' : 'last'}{' '}
      <input type="number" min={1} value={c.days} onChange={(e) => set({ days: text(e) })} className="audience-days" />{' '}
      {zh ? '天' : 'days'}
    </label>
  );

  return (
    <div className="audience-condition" data-testid="audience-condition">
      <label className="audience-not">
        <input type="checkbox" checked={c.negate} onChange={(e) => set({ negate: e.target.checked })} />
        {zh ? '非' : 'not'}
      </label>
      <select
        value={c.field}
        data-testid="condition-field"
        onChange={(e) =>
          onChange({ ...c, field: text(e), values: [], low: '', high: '', service: '', other: '', model: '' })
        }
      >
        <option value="">{zh ? '选择条件' : 'choose a condition'}</option>
        <optgroup label={zh ? '客户属性' : 'Attributes'}>
          {catalogue.attributes.map((a) => (
            <option key={a.name} value={`attribute:${a.name}`}>
              {pick(a.label)}
            </option>
          ))}
        </optgroup>
        <optgroup label={zh ? '业务订购' : 'Holdings'}>
          <option value="holds">{zh ? '已订购业务' : 'holds a service'}</option>
          <option value="lacks">{zh ? '未订购业务' : 'lacks a service'}</option>
          <option value="cancelled">{zh ? '近期退订业务' : 'cancelled a service'}</option>
          <option value="rule">{zh ? '关联规则：有前项、无后项' : 'rule: holds one, lacks the other'}</option>
        </optgroup>
        <optgroup label={zh ? '使用' : 'Usage'}>
          <option value="uses">{zh ? '使用过业务' : 'used a service'}</option>
          {catalogue.usage.map((u) => (
            <option key={u.name} value={`usage:${u.name}`}>
              {pick(u.label)}
            </option>
          ))}
        </optgroup>
        <optgroup label={zh ? '细分与模型' : 'Segments and models'}>
          {catalogue.segments.map((s) => (
            <option key={s.name} value={`segment:${s.name}`}>
              {pick(s.label)}
            </option>
          ))}
          <option value="score">{zh ? '模型评分' : 'model score'}</option>
        </optgroup>
      </select>
      {attribute?.kind === 'values' && checkboxes(attribute.values ?? [])}
      {attribute?.kind === 'number' && range(attribute.unit ? pick(attribute.unit) : undefined)}
      {segment && checkboxes(segment.values)}
      {(kind === 'holds' || kind === 'lacks') && services(c.service, (v) => set({ service: v }), 'condition-service')}
      {(kind === 'cancelled' || kind === 'uses') && (
        <>
          {services(c.service, (v) => set({ service: v }), 'condition-service')}
          {days}
        </>
      )}
      {kind === 'usage' && (
        <>
          {days}
          {range()}
        </>
      )}
      {kind === 'rule' && (
        <>
          <span>{zh ? '有' : 'holds'}</span>
          {services(c.service, (v) => set({ service: v }), 'condition-service')}
          <span>{zh ? '无' : 'lacks'}</span>
          {services(c.other, (v) => set({ other: v }), 'condition-other')}
        </>
      )}
      {kind === 'score' && (
        <>
          <select value={c.model} onChange={(e) => set({ model: text(e) })}>
            <option value="">{zh ? '选择模型版本' : 'choose a model version'}</option>
            {catalogue.models.map((m) => (
              <option key={`${m.score}|${m.version}`} value={`${m.score}|${m.version}`}>
                {pick(m.label)}
              </option>
            ))}
          </select>
          {c.model.startsWith('propensity|') && services(c.service, (v) => set({ service: v }), 'condition-service')}
          <select value={c.scoreMode} onChange={(e) => set({ scoreMode: text(e) as Condition['scoreMode'] })}>
            <option value="top">{zh ? '得分最高的前 N 名' : 'top N scores'}</option>
            <option value="atLeast">{zh ? '得分不低于' : 'score at least'}</option>
          </select>
          <input type="number" value={c.amount} onChange={(e) => set({ amount: text(e) })} className="audience-days" />
        </>
      )}
      <button type="button" className="button ghost" onClick={onRemove} data-testid="condition-remove">
        {zh ? '删除' : 'remove'}
      </button>
    </div>
  );
}
