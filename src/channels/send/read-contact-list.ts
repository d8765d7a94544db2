// An ad-hoc contact list: CSV with a header, a column `msisdn` (SMS) or `email`, and any columns the
// template uses. Every bad row is named with its line and field, then the whole list is refused once.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { Channel, OutboundMessage } from '../outbox/outbound-message.ts';
import { isValidRecipient } from '../outbox/queue-messages.ts';
import type { MessageTemplate } from './message-template.ts';

const MAX_PROBLEMS_SHOWN = 20;

export function readContactList(file: string, channel: Channel, template: MessageTemplate): OutboundMessage[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read the list: ${(error as Error).message}`, { location: { file } });
  }
  const name = basename(file);
  const lines = parseCsv(content.replace(/^\uFEFF/, ''));
  const header = lines[0]?.cells.map((h) => h.trim());
  const key = channel === 'sms' ? 'msisdn' : 'email';
  if (!header?.includes(key))
    throw new AppError('INPUT_INVALID', `the header has no column "${key}"`, {
      location: { file: name, line: 1, field: key },
      hint: `the first line must name the columns, one of them ${key}${channel === 'sms' ? ' (11 digits)' : ''}`,
    });
  const missing = template.columns.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new AppError('INPUT_INVALID', `the template uses {${missing.join('}, {')}} but the list has no such column`, {
      location: { file: name, line: 1, field: missing[0] },
      hint: `add the column or change --text; the list has: ${header.join(', ')}`,
    });
  const problems: string[] = [];
  const messages: OutboundMessage[] = [];
  for (const line of lines.slice(1)) {
    if (line.cells.length === 1 && line.cells[0]!.trim() === '') continue;
    // A stray quote would swallow the rows after it into one field: name it instead of sending garbage.
    const spanning = line.cells.findIndex((cell) => /[\r\n]/.test(cell));
    if (spanning >= 0) {
      problems.push(
        `${name} line ${line.number} field ${header[spanning] ?? spanning + 1}: a quote opens a field that does not close on this line (a stray quote?)`,
      );
      continue;
    }
    if (line.cells.length !== header.length) {
      problems.push(`${name} line ${line.number}: ${line.cells.length} fields, the header has ${header.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      row[h] = (line.cells[i] ?? '').trim();
    });
    const recipient = row[key]!;
    if (!isValidRecipient(channel, recipient)) {
      problems.push(
        `${name} line ${line.number} field ${key}: "${recipient}" ${channel === 'sms' ? 'must have 11 digits' : 'is not an e-mail address'}`,
      );
      continue;
    }
    const empty = template.columns.find((c) => row[c] === '');
    if (empty) {
      problems.push(`${name} line ${line.number} field ${empty}: empty, but the template uses {${empty}}`);
      continue;
    }
    messages.push({
      recipient,
      ...(channel === 'email' && row.msisdn ? { subscriber: row.msisdn } : {}),
      text: template.render(row),
    });
  }
  if (problems.length > 0)
    throw new AppError(
      'INPUT_INVALID',
      `${problems.length} bad row${problems.length === 1 ? '' : 's'}, nothing queued:\n  ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('\n  ')}${
        problems.length > MAX_PROBLEMS_SHOWN ? `\n  … and ${problems.length - MAX_PROBLEMS_SHOWN} more` : ''
      }`,
      {
        location: { file: name },
        hint: 'fix the rows named above and run the command again (rows already fine are not sent twice)',
      },
    );
  return messages;
}

/** A do-not-disturb or opt-out list: one MSISDN a line, or a CSV whose header has `msisdn`; bad lines named. */
export function readMsisdnList(file: string): string[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read the list: ${(error as Error).message}`, { location: { file } });
  }
  const records = parseCsv(content.replace(/^\uFEFF/, ''));
  const header = records[0]?.cells.map((c) => c.trim());
  const column = header?.includes('msisdn') ? header.indexOf('msisdn') : 0;
  const rows = header?.includes('msisdn') ? records.slice(1) : records;
  const problems: string[] = [];
  const out: string[] = [];
  for (const r of rows) {
    const value = (r.cells[column] ?? '').trim();
    if (value === '' && r.cells.length === 1) continue;
    if (/^1\d{10}$/.test(value)) out.push(value);
    else problems.push(`${basename(file)} line ${r.number} field msisdn: "${value}" must have 11 digits`);
  }
  if (problems.length > 0)
    throw new AppError(
      'INPUT_INVALID',
      `${problems.length} bad line(s), nothing imported:\n  ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('\n  ')}`,
      {
        location: { file: basename(file) },
        hint: 'fix the lines named above and import again',
      },
    );
  return out;
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; returns each record with its first line number. */
export function parseCsv(text: string): { number: number; cells: string[] }[] {
  const records: { number: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ number: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ number: start, cells });
  }
  return records;
}
