// A message template: text with `{column}` placeholders filled from a row of the contact list.
import { AppError } from '../../shared/errors.ts';

export interface MessageTemplate {
  text: string;
  columns: string[];
  render(row: Record<string, string>): string;
}

export function compileTemplate(text: string): MessageTemplate {
  if (text.trim() === '')
    throw new AppError('USAGE', '--text is empty', { hint: 'give the message, e.g. --text "您好 {name}"' });
  const columns = [...new Set([...text.matchAll(/\{([A-Za-z_][\w]*)\}/g)].map((m) => m[1]!))];
  return {
    text,
    columns,
    render: (row) => text.replace(/\{([A-Za-z_][\w]*)\}/g, (_, column: string) => row[column] ?? ''),
  };
}
