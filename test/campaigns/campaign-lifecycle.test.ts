import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listAudit } from '../../src/access/index.ts';
import {
  approveCampaign,
  cancelCampaign,
  createCampaign,
  editCampaign,
  startPilot,
  validateContent,
} from '../../src/campaigns/index.ts';
import type { AppError } from '../../src/shared/errors.ts';
import type { Warehouse } from '../../src/warehouse/index.ts';
import { actor, campaignDeps, openCampaignWarehouse } from './campaign-fixture.ts';

const content = validateContent({
  name: '音乐体验 music trial',
  service: 'music',
  message: { text: '【河源移动】回复1开通音乐包，首月免费' },
  audience: { all: [] },
  schedule: { start: '2026-04-01' },
});

describe('campaign lifecycle (maker–checker)', () => {
  let warehouse: Warehouse;
  const deps = campaignDeps();
  const maker = actor('alice', 'campaign_manager', 'approver');
  const checker = actor('bob', 'approver');
  before(async () => {
    warehouse = await openCampaignWarehouse(30);
  });
  after(() => warehouse.close());

  it('starts as draft, made by its creator', async () => {
    const c = await createCampaign(warehouse, content, maker, deps);
    assert.equal(c.status, 'draft');
    assert.equal(c.createdBy, 'alice');
    assert.equal(c.content.responseWindowDays, 7);
    assert.equal(c.content.pilot.controlShare, 0.1);
  });

  it('refuses approval by the maker, even one holding the approver right', async () => {
    const c = await createCampaign(warehouse, content, maker, deps);
    await assert.rejects(approveCampaign(warehouse, c.id, maker, deps), (e: AppError) => {
      assert.equal(e.code, 'FORBIDDEN');
      assert.match(e.message, /cannot also approve/);
      return true;
    });
  });

  it('refuses approval by a user without campaigns.approve', async () => {
    const c = await createCampaign(warehouse, content, maker, deps);
    await assert.rejects(
      approveCampaign(warehouse, c.id, actor('carol', 'campaign_manager'), deps),
      /lacks the right campaigns.approve/,
    );
  });

  it('is approved by a second user, and that is in the audit log with who and when', async () => {
    const c = await createCampaign(warehouse, content, maker, deps);
    const approved = await approveCampaign(warehouse, c.id, checker, deps);
    assert.equal(approved.status, 'approved');
    assert.equal(approved.approvedBy, 'bob');
    const audit = await listAudit(warehouse, { action: 'campaign.' });
    const mine = audit.filter((a) => a.target === c.id).map((a) => [a.action, a.actor]);
    assert.deepEqual(mine.sort(), [
      ['campaign.approve', 'bob'],
      ['campaign.create', 'alice'],
    ]);
  });

  it('goes back to draft when the text, audience or schedule of an approved campaign changes', async () => {
    const c = await createCampaign(warehouse, content, maker, deps);
    await approveCampaign(warehouse, c.id, checker, deps);
    const renamed = await editCampaign(warehouse, c.id, { ...content, name: 'renamed' }, maker, deps);
    assert.equal(renamed.status, 'approved', 'a new name alone needs no new approval');
    const edited = await editCampaign(
      warehouse,
      c.id,
      { ...content, message: { ...content.message, text: '新文案' } },
      maker,
      deps,
    );
    assert.equal(edited.status, 'draft');
    assert.equal(edited.approvedBy, null);
    await assert.rejects(startPilot(warehouse, c.id, maker, deps), /is draft: it cannot pilot/);
    // The editor is now a maker too: bob edits, so bob cannot approve this version.
    await editCampaign(warehouse, c.id, { ...content, audience: { attribute: 'brand', in: ['mzone'] } }, checker, deps);
    await assert.rejects(approveCampaign(warehouse, c.id, checker, deps), /cannot also approve/);
  });

  it('cancels from an open state and then refuses further steps', async () => {
    const c = await createCampaign(warehouse, content, maker, deps);
    const cancelled = await cancelCampaign(warehouse, c.id, maker, deps, 'budget cut');
    assert.equal(cancelled.status, 'cancelled');
    await assert.rejects(approveCampaign(warehouse, c.id, checker, deps), /is cancelled/);
  });
});

describe('campaign content', () => {
  it('names every bad field in one error', () => {
    assert.throws(
      () =>
        validateContent({
          name: '',
          service: 'music; DROP',
          message: { text: 'x' },
          audience: { attribute: 'shoe_size', in: ['42'] },
          schedule: { start: '1 April' },
          colour: 'red',
        }),
      (e: AppError) => {
        assert.equal(e.code, 'INPUT_INVALID');
        for (const field of ['name', 'service', 'schedule.start', 'colour']) assert.match(e.message, new RegExp(field));
        return true;
      },
    );
  });

  it('checks the audience tree once the rest is valid', () => {
    assert.throws(
      () => validateContent({ ...content, audience: { all: [{ attribute: 'shoe_size', in: ['42'] }] } }),
      /audience\.all\.0\.attribute: must be one of/,
    );
  });
});
