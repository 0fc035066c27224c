import { ObservedEvent } from './observed-event.js';

describe('ObservedEvent', () => {
  it('is inactive and delivers nothing until someone subscribes, and stops delivering after unsubscribing', () => {
    const event = new ObservedEvent<{ n: number }>(`test.event.${Math.random()}`);
    expect(event.active).toBe(false);
    event.publish({ n: 0 });
    const seen: number[] = [];
    const stop = event.subscribe(({ n }) => seen.push(n));
    expect(event.active).toBe(true);
    event.publish({ n: 1 });
    event.publish({ n: 2 });
    stop();
    expect(event.active).toBe(false);
    event.publish({ n: 3 });
    expect(seen).toEqual([1, 2]);
  });

  it('delivers to every subscriber of the same name, wherever the event object was made', () => {
    const name = `test.shared.${Math.random()}`;
    const publisher = new ObservedEvent<string>(name);
    const seen: string[] = [];
    const stops = [new ObservedEvent<string>(name).subscribe((m) => seen.push(`a:${m}`)), publisher.subscribe((m) => seen.push(`b:${m}`))];
    publisher.publish('x');
    stops.forEach((stop) => stop());
    expect(seen.sort()).toEqual(['a:x', 'b:x']);
  });
});
