// Rewards to fulfil: what the trigger rules granted (a count of a behaviour reached after an offer),
// with a CSV export in the layout BOSS imports (docs/stream.md, "Rewards").
export function RewardsPage() {
  return null;
}
