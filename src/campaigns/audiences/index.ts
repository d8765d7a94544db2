// Audiences: the definition tree, its compiler to parameterised SQL, preview, saved versions, export.
export * from './audience-definition.ts';
export { type CompileAudienceOptions, type CompiledAudience, compileAudience } from './compile-audience.ts';
export {
  checkAudienceDefinition,
  type DefinitionProblem,
  parseAudienceDefinition,
} from './parse-audience-definition.ts';
