// `smpp://SYSTEM_ID:PASSWORD@HOST:PORT`, the form `telmark sender --smsc` takes.
import { AppError } from '../../shared/errors.ts';

export interface SmscAddress {
  host: string;
  port: number;
  systemId: string;
  password: string;
}

export function parseSmppUrl(text: string): SmscAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('USAGE', `--smsc "${text}" is not a URL`, { hint: 'use smpp://SYSTEM_ID:PASSWORD@HOST:PORT' });
  }
  if (url.protocol !== 'smpp:' || !url.hostname || !url.username)
    throw new AppError('USAGE', `--smsc "${redactSmppUrl(text)}" must look like smpp://SYSTEM_ID:PASSWORD@HOST:PORT`);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 2775,
    systemId: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/** The URL with the password hidden, for logs and messages. */
export function redactSmppUrl(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
