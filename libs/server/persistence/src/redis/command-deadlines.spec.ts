import { afterEach, describe, expect, it } from '@jest/globals';
import { CommandDeadlines } from './command-deadlines.js';

describe('CommandDeadlines', () => {
  let deadlines: CommandDeadlines | undefined;
  afterEach(() => deadlines?.close());

  it('passes answers and errors through untouched', async () => {
    deadlines = new CommandDeadlines(200);
    await expect(deadlines.track(Promise.resolve('v'))).resolves.toBe('v');
    const error = new Error('WRONGTYPE');
    await expect(deadlines.track(Promise.reject(error))).rejects.toBe(error);
  });

  it('rejects a command that never answers after the deadline, not before', async () => {
    deadlines = new CommandDeadlines(200);
    const started = Date.now();
    await expect(deadlines.track(new Promise(() => undefined))).rejects.toThrow('Redis did not answer within 200 ms');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(195);
    expect(waited).toBeLessThan(600);
  });

  it('lets a slow answer inside the deadline through, and keeps later commands on their own clock', async () => {
    deadlines = new CommandDeadlines(300);
    const slow = deadlines.track(new Promise((resolve) => setTimeout(() => resolve('late but in time'), 150)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Started 200 ms after the first: still within its own 300 ms when the first one's would be over.
    const second = deadlines.track(new Promise((resolve) => setTimeout(() => resolve('second'), 200)));
    await expect(slow).resolves.toBe('late but in time');
    await expect(second).resolves.toBe('second');
  });
});
