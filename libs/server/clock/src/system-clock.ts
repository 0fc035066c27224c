import { Clock } from './clock.js';

/** The real time; the one place in server code that reads it. */
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
