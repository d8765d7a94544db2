export { type LoadSummary, listFeedFiles, loadDirectory, type LoadProgress } from './load-directory.ts';
export { type FileLoadResult, loadFeedFile } from './load-feed-file.ts';
export { rebuildDerived } from './rebuild-derived.ts';
