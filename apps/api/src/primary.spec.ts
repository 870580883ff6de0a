import { describe, expect, it } from 'vitest';

import { workerExecArgv } from './primary.js';

describe(workerExecArgv.name, () => {
  it("should keep the primary's node options and add the workers' young generation", () => {
    expect(workerExecArgv(['--enable-source-maps'])).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=64',
    ]);
  });

  it('should leave the young generation to the operator who set one, in the arguments or NODE_OPTIONS', () => {
    expect(workerExecArgv(['--max-semi-space-size=8'])).toEqual(['--max-semi-space-size=8']);
    expect(workerExecArgv([], '--max-old-space-size=512 --max-semi-space-size=16')).toEqual([]);
  });
});
