// A password piped in (`--password-stdin`): the first line of standard input, so it never shows in the
// process list or the shell history.
import { AppError } from '../shared/errors.ts';

export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (password === '')
    throw new AppError('USAGE', '--password-stdin: standard input is empty', {
      hint: 'e.g. printf \'%s\\n\' "$PASSWORD" | telmark user add NAME --role analyst --password-stdin',
    });
  return password;
}

/** Who did it, in the audit log, when a command changes accounts. */
export async function localActor(): Promise<{ actor: string; address: string }> {
  const { userInfo } = await import('node:os');
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'unknown'
  }
  return { actor: `cli:${name}`, address: 'local' };
}
