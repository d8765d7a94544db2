// Branded identifiers: a phone number is a string of 11 digits, never a number.

declare const brand: unique symbol;
export type Branded<T, B extends string> = T & { readonly [brand]: B };

export type Msisdn = Branded<string, 'Msisdn'>;
export type CellId = Branded<string, 'CellId'>;
export type ServiceId = Branded<string, 'ServiceId'>;

const MSISDN_PATTERN = /^[0-9]{11}$/;

export function isMsisdn(value: string): value is Msisdn {
  return MSISDN_PATTERN.test(value);
}
