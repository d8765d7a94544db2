// Audiences: the definition tree, its compiler to parameterised SQL, preview, saved versions, export.
export * from './audience-definition.ts';
export {
  type CompileAudienceOptions,
  type CompiledAudience,
  compileAudience,
  compileAudienceParts,
  resolveAudienceDay,
} from './compile-audience.ts';
export {
  checkAudienceDefinition,
  type DefinitionProblem,
  parseAudienceDefinition,
} from './parse-audience-definition.ts';
export { type AudiencePreview, previewAudience } from './preview-audience.ts';
export { checkAudienceReferences, type ReferenceWarning } from './check-audience-references.ts';
export {
  type AudienceHistory,
  type AudienceList,
  type AudienceSummary,
  type AudienceVersion,
  getAudience,
  getAudienceVersions,
  listAudiences,
  type SaveAudienceRequest,
  saveAudience,
} from './audience-store.ts';
export { type AudienceExport, type ExportAudienceRequest, exportAudience } from './export-audience.ts';
export { type AudienceInput, parseAudienceText, readAudienceFile } from './read-audience-file.ts';
export { type AudienceCatalogue, type CatalogueValue, loadAudienceCatalogue } from './audience-catalogue.ts';
