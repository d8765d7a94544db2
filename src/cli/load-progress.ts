// The load's progress on the terminal: megabytes of feed files, then the derived tables step by step.
import type { LoadProgress } from '../warehouse/load/index.ts';
import type { Progress } from './progress.ts';

export function loadProgressOn(progress: Progress): LoadProgress {
  return {
    fileStarted: (label, index, count, bytesDone, bytesTotal) => {
      if (index === 0) progress.start(Math.max(1, Math.round(bytesTotal / 1e6)), label);
      progress.update(Math.round(bytesDone / 1e6), `${index + 1}/${count} ${label}`);
    },
    derivedStep: (step, done, total) => {
      if (done === 0) progress.start(total, step);
      progress.update(done, step);
    },
  };
}
