// A model version names what was fitted, on what, and a digest of the fitted model, so that every
// score in the warehouse can be traced to the model that made it.
import { createHash } from 'node:crypto';

export function modelVersion(purpose: string, kind: string, modelJson: string): string {
  return `${purpose}-${kind}-${createHash('sha256').update(modelJson).digest('hex').slice(0, 12)}`;
}
