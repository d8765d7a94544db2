// Editing one trigger rule: a form for what a marketer sets (area, behaviour, window in minutes, message
// per area, cap, control share) and the rule's JSON as an advanced view. Both show one JSON text, so they
// always agree (rule-form.ts); the JSON may hold more than the form (who, response window …).
import { useMemo, useState } from 'react';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { applyForm, formOfRule, type RuleForm } from './rule-form.ts';

export interface RuleEditorProps {
  /** The rule as the JSON view shows it (readableRule). */
  initial: Record<string, unknown>;
  isNew: boolean;
  areas: { id: string; label: Bilingual }[];
  onSave(rule: Record<string, unknown>): Promise<string | null>;
  onCancel(): void;
}

export function RuleEditor({ initial, isNew, areas, onSave, onCancel }: RuleEditorProps) {
  const { pick } = useI18n();
  const [text, setText] = useState(() => JSON.stringify(initial, null, 2));
  const [showJson, setShowJson] = useState(false);
  const [error, setError] = useState('');
  const parsed = useMemo(() => {
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
      return value as Record<string, unknown>;
    } catch {
      return null;
    }
  }, [text]);
  const form = parsed ? formOfRule(parsed) : null;
  const update = (change: Partial<RuleForm>) => {
    if (!parsed || !form) return;
    setText(JSON.stringify(applyForm(parsed, { ...form, ...change }), null, 2));
  };
  const setId = (id: string) => parsed && setText(JSON.stringify({ ...parsed, id }, null, 2));
  const save = async () => {
    if (!parsed) return;
    setError((await onSave(parsed)) ?? '');
  };
  const label = (zh: string, en: string) => <span>{pick({ zh, en })}</span>;

  return (
    <section className="panel rule-editor" data-testid="rule-editor">
      <header className="panel-header">
        <h3>
          {isNew
            ? pick({ zh: '新建触发规则', en: 'New trigger rule' })
            : pick({ zh: `编辑规则 ${String(parsed?.id ?? '')}`, en: `Edit rule ${String(parsed?.id ?? '')}` })}
        </h3>
      </header>
      {!form && (
        <p className="message error" data-testid="rule-json-invalid">
          {pick({
            zh: 'JSON 无法解析:请在下方修正后表单才能使用',
            en: 'The JSON cannot be read: fix it below to use the form again',
          })}
        </p>
      )}
      {form && (
        <div className="rule-form" data-testid="rule-form">
          {isNew && (
            <label>
              {label('规则标识(字母、数字、- _ .)', 'Rule id (letters, digits, - _ .)')}
              <input name="id" value={String(parsed?.id ?? '')} onChange={(e) => setId(e.target.value)} />
            </label>
          )}
          <fieldset>
            <legend>{pick({ zh: '区域', en: 'Area' })}</legend>
            {areas.map((area) => (
              <label key={area.id} className="checkbox">
                <input
                  type="checkbox"
                  name={`area-${area.id}`}
                  checked={form.geofences.includes(area.id)}
                  onChange={(e) =>
                    update({
                      geofences: e.target.checked
                        ? [...form.geofences, area.id]
                        : form.geofences.filter((g) => g !== area.id),
                    })
                  }
                />
                {pick(area.label)}
              </label>
            ))}
          </fieldset>
          <label>
            {label('触发时机', 'Fires when the subscriber is')}
            <select name="on" value={form.on} onChange={(e) => update({ on: e.target.value as RuleForm['on'] })}>
              <option value="inside">{pick({ zh: '在区域内', en: 'inside the area' })}</option>
              <option value="enter">{pick({ zh: '进入区域', en: 'entering the area' })}</option>
              <option value="leave">{pick({ zh: '离开区域', en: 'leaving the area' })}</option>
            </select>
          </label>
          <label>
            {label('停留至少(分钟,可空)', 'Stayed at least (minutes, optional)')}
            <input
              name="dwellMin"
              inputMode="numeric"
              value={form.dwellMin}
              onChange={(e) => update({ dwellMin: e.target.value })}
            />
          </label>
          {form.simpleBehaviour ? (
            <>
              <label>
                {label('拨打过号码', 'Called the number')}
                <input name="called" value={form.called} onChange={(e) => update({ called: e.target.value })} />
              </label>
              <label>
                {label('且未拨打号码', 'and did not call')}
                <input
                  name="notCalled"
                  value={form.notCalled}
                  onChange={(e) => update({ notCalled: e.target.value })}
                />
              </label>
              <label>
                {label('时间窗口(分钟)', 'Within (minutes)')}
                <input
                  name="windowMin"
                  inputMode="numeric"
                  value={form.windowMin}
                  onChange={(e) => update({ windowMin: e.target.value })}
                />
              </label>
            </>
          ) : (
            <p className="note">
              {pick({
                zh: '该规则的行为条件超出表单所能表达的范围,保持不变;请在 JSON 中修改。',
                en: 'This rule’s behaviour is more than the form shows; it is kept as it is: edit it in the JSON.',
              })}
            </p>
          )}
          <label className="wide">
            {label('短信内容(默认)', 'Message (default)')}
            <textarea name="text" rows={2} value={form.text} onChange={(e) => update({ text: e.target.value })} />
          </label>
          {form.geofences.map((fence) => {
            const area = areas.find((a) => a.id === fence);
            return (
              <label className="wide" key={fence}>
                <span>
                  {pick({ zh: '该区域的短信:', en: 'Message in ' })}
                  {area ? pick(area.label) : fence}
                </span>
                <textarea
                  name={`variant-${fence}`}
                  rows={2}
                  placeholder={pick({ zh: '留空则用默认内容', en: 'empty: the default message' })}
                  value={form.variants[fence] ?? ''}
                  onChange={(e) => update({ variants: { ...form.variants, [fence]: e.target.value } })}
                />
              </label>
            );
          })}
          <label>
            {label('推广业务', 'Promoted service')}
            <input name="service" value={form.service} onChange={(e) => update({ service: e.target.value })} />
          </label>
          <label>
            {label('同一用户间隔(天,空=默认)', 'Cap: days between messages (empty = default)')}
            <input
              name="capDays"
              inputMode="numeric"
              value={form.capDays}
              onChange={(e) => update({ capDays: e.target.value })}
            />
          </label>
          <label>
            {label('对照组比例(%,空=默认)', 'Control share (%, empty = default)')}
            <input
              name="controlPct"
              inputMode="decimal"
              value={form.controlPct}
              onChange={(e) => update({ controlPct: e.target.value })}
            />
          </label>
        </div>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          name="show-json"
          checked={showJson || !form}
          onChange={(e) => setShowJson(e.target.checked)}
        />
        {pick({ zh: '显示 JSON(高级)', en: 'Show the JSON (advanced)' })}
      </label>
      {(showJson || !form) && (
        <textarea
          data-testid="rule-draft"
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={18}
          style={{ width: '100%', fontFamily: 'monospace' }}
        />
      )}
      <div className="actions">
        <button type="button" className="button" data-testid="rule-save" disabled={!parsed} onClick={() => void save()}>
          {pick({ zh: '保存(立即生效)', en: 'Save (applies at once)' })}
        </button>{' '}
        <button type="button" className="button ghost" onClick={onCancel}>
          {pick({ zh: '取消', en: 'Cancel' })}
        </button>
      </div>
      {error && (
        <pre className="message error" data-testid="rule-error">
          {error}
        </pre>
      )}
    </section>
  );
}
