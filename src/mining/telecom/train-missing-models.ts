// The models `npm start` fits so that the mining pages are not empty on a first run: churn and
// cross-sell, their models trained on the mining worker so that the server keeps answering, each only
// when the warehouse has none of that purpose yet. Run after the server listens; a second start finds them and does nothing.
import type { Clock } from '../../shared/clock.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { fitChurnModel } from './churn-model.ts';
import { fitCrossSellModels } from './cross-sell-models.ts';

export async function trainMissingModels(
  warehouse: Warehouse,
  options: { clock: Clock; note: (text: string) => void; signal?: AbortSignal },
): Promise<{ trained: string[] }> {
  const purposes = new Set(
    (await warehouse.all<{ purpose: string }>('SELECT DISTINCT purpose FROM mining_models')).map((r) => r.purpose),
  );
  const trained: string[] = [];
  if (!purposes.has('churn')) {
    const churn = await fitChurnModel(warehouse, { clock: options.clock, inWorker: true, signal: options.signal });
    options.note(
      churn.written
        ? `churn model ${churn.modelVersion}: held-out AUC ${churn.auc.toFixed(3)} (logistic baseline ${churn.baselineAuc.toFixed(3)})`
        : `churn model not kept: held-out AUC ${churn.auc.toFixed(3)} is not above the logistic baseline's ${churn.baselineAuc.toFixed(3)}`,
    );
    if (churn.written) trained.push(churn.modelVersion);
  }
  if (!purposes.has('cross-sell') && !options.signal?.aborted) {
    // Its propensity models train on the mining worker; rules, affinities and offers are quick here.
    const crossSell = await fitCrossSellModels(warehouse, {
      clock: options.clock,
      inWorker: true,
      signal: options.signal,
    });
    options.note(`cross-sell model ${crossSell.modelVersion}: ${crossSell.offers.length} offers`);
    trained.push(crossSell.modelVersion);
  }
  return { trained };
}
