// The server's pino options: secrets redacted, and every phone number masked in the written line
// itself (URLs like /api/mining/offers/13800138000, error messages, any field), so no log line ever
// holds a full number whoever wrote it.
import type { FastifyServerOptions } from 'fastify';
import { maskMsisdnJson } from '../access/index.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function serverLogger(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (level === 'silent' && !stream) return false;
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    hooks: { streamWrite: (line: string) => maskLogLine(line) },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger'];
}

function maskLogLine(line: string): string {
  if (!/\d{11}/.test(line)) return line;
  const ending = line.endsWith('\n') ? '\n' : '';
  return maskMsisdnJson(ending ? line.slice(0, -1) : line) + ending;
}
