import { describe, expect, it } from 'vitest';
import type { AcceptedMessage } from './accepted-message';
import { EnqueueCoalescer } from './enqueue-coalescer';

const message = (id: string) => ({ record: { id } }) as unknown as AcceptedMessage;
const ids = (batch: AcceptedMessage[]) => batch.map((m) => m.record.id);

/** A writer whose writes finish only when the test says so. */
function controlledWriter() {
  const writes: { ids: string[]; finish(): void; fail(error: Error): void }[] = [];
  const write = (batch: AcceptedMessage[]) =>
    new Promise<void>((resolve, reject) => writes.push({ ids: ids(batch), finish: resolve, fail: reject }));
  return { writes, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Lets a finished write hand over to the next batch (promise callbacks, then the scheduled flush). */
const settle = async () => {
  await tick();
  await tick();
};

describe('EnqueueCoalescer', () => {
  it('writes a lone submission on the next turn of the event loop, without a timed window', async () => {
    const { writes, write } = controlledWriter();
    const coalescer = new EnqueueCoalescer(write);
    const stored = coalescer.submit([message('a')]);
    await tick();
    expect(writes.map((w) => w.ids)).toEqual([['a']]);
    writes[0]?.finish();
    await expect(stored).resolves.toBeUndefined();
  });

  it('writes one batch at a time; what arrives meanwhile goes out together once it is done', async () => {
    const { writes, write } = controlledWriter();
    const coalescer = new EnqueueCoalescer(write);
    const first = coalescer.submit([message('a')]);
    await tick();
    const later = [coalescer.submit([message('b')]), coalescer.submit([message('c'), message('d')])];
    await tick();
    expect(writes).toHaveLength(1);
    let laterSettled = false;
    void Promise.all(later).then(() => (laterSettled = true));
    writes[0]?.finish();
    await first;
    await settle();
    expect(writes.map((w) => w.ids)).toEqual([['a'], ['b', 'c', 'd']]);
    expect(laterSettled).toBe(false);
    writes[1]?.finish();
    await Promise.all(later);
  });

  it('caps a batch at maxMessages, keeping each submission whole', async () => {
    const { writes, write } = controlledWriter();
    const coalescer = new EnqueueCoalescer(write, 3);
    const all = [
      coalescer.submit([message('a'), message('b')]),
      coalescer.submit([message('c'), message('d')]),
      coalescer.submit([message('e')]),
    ];
    await tick();
    expect(writes.map((w) => w.ids)).toEqual([['a', 'b']]);
    writes[0]?.finish();
    await settle();
    expect(writes.map((w) => w.ids)).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    writes[1]?.finish();
    await Promise.all(all);
  });

  it('fails every submission of a failed batch, and keeps going with the next one', async () => {
    const { writes, write } = controlledWriter();
    const coalescer = new EnqueueCoalescer(write);
    const batch = [coalescer.submit([message('a')]), coalescer.submit([message('b')])];
    await tick();
    const next = coalescer.submit([message('c')]);
    writes[0]?.fail(new Error('CLUSTERDOWN'));
    for (const submission of batch) await expect(submission).rejects.toThrow('CLUSTERDOWN');
    await settle();
    expect(writes.map((w) => w.ids)).toEqual([['a', 'b'], ['c']]);
    writes[1]?.finish();
    await expect(next).resolves.toBeUndefined();
  });
});
