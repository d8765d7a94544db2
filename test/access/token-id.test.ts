// A token id is what `telmark token revoke ID` takes on the command line and what sits between the
// underscores of `tmk_<id>_<secret>`: letters and digits only. (Seen in CI: an id starting with '-'
// was read as an option and the revoke exited 2.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTokenId } from '../../src/access/secret-token.ts';

test('token ids are letters and digits, never "-" or "_", and do not repeat', () => {
  const ids = Array.from({ length: 2000 }, () => newTokenId());
  for (const id of ids) assert.match(id, /^[A-Za-z0-9]{8}$/);
  assert.equal(new Set(ids).size, ids.length);
});
