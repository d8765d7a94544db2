// The one number a profile is asked for, checked before anything is read: the agent is told what is
// wrong with what was typed or pasted (spaces and dashes from a CRM are forgiven, +86 is dropped).
import { AppError } from '../shared/errors.ts';

export type Msisdn = string & { readonly brand: 'Msisdn' };

/**
 * The number as 11 digits. By default spaces, dashes and a +86 prefix are dropped first (a number
 * pasted from elsewhere); `strict` takes the text as it is (an API path names one exact number).
 */
export function parseMsisdn(input: string, options: { field?: string; strict?: boolean } = {}): Msisdn {
  const field = options.field ?? 'msisdn';
  const text = options.strict
    ? input
    : input
        .trim()
        .replace(/[\s-]/g, '')
        .replace(/^(\+86|0086)/, '');
  const problem = msisdnProblem(text);
  if (problem)
    throw new AppError('USAGE', `${field} "${input}" ${problem}`, {
      location: { field },
      hint: 'give the full 11-digit mobile number, e.g. 13800138000',
    });
  return text as Msisdn;
}

function msisdnProblem(text: string): string | undefined {
  if (text === '') return 'is empty';
  if (/\D/.test(text)) return `has characters that are not digits ("${text.replace(/\d/g, '')}")`;
  if (text.length !== 11) return `has ${text.length} digits; a mobile number has 11`;
  if (!text.startsWith('1')) return 'must start with 1 (a mainland mobile number)';
  return undefined;
}
