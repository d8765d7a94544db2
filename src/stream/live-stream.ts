// The stream running in this process, if any, so that HTTP routes served by the same process (the one
// that owns the warehouse) can show it live and edit its rules without a restart.
import type { LiveAreaBoard } from './live/live-area-board.ts';
import type { StreamSession } from './stream-session.ts';

let live: StreamSession | undefined;
let board: LiveAreaBoard | undefined;

/** The merged live area counts of the workers of a partitioned stream, when this process shows them. */
export function setLiveAreaBoard(next: LiveAreaBoard | undefined): void {
  board = next;
}

export function getLiveAreaBoard(): LiveAreaBoard | undefined {
  return board;
}

export function setLiveStream(session: StreamSession | undefined): void {
  live = session;
}

export function getLiveStream(): StreamSession | undefined {
  return live;
}
