export {
  bossRewardColumns,
  bossRewardCsv,
  exportRewards,
  listRewards,
  markRewardsFulfilled,
  type RewardExport,
  type RewardRow,
  type RewardsList,
  type RewardTotal,
  rewardStatuses,
} from './reward-export.ts';
export { RewardWriter } from './reward-writer.ts';
