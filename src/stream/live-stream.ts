// The stream running in this process, if any, so that HTTP routes served by the same process (the one
// that owns the warehouse) can show it live and edit its rules without a restart.
import type { StreamSession } from './stream-session.ts';

let live: StreamSession | undefined;

export function setLiveStream(session: StreamSession | undefined): void {
  live = session;
}

export function getLiveStream(): StreamSession | undefined {
  return live;
}
