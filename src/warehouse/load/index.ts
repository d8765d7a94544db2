export { type LoadSummary, listFeedFiles, loadDirectory, type LoadProgress } from './load-directory.ts';
export { type FileLoadResult, loadFeedBatch } from './load-feed-batch.ts';
export { rebuildDerived } from './rebuild-derived.ts';
export { refreshSubscriberFacts, refreshSubscriberFactsIfStale } from './refresh-subscriber-facts.ts';
