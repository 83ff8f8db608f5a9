// Interleaves several async iterables as their items arrive. Each source has at most one
// pending next(), so a slow consumer holds back every producer (backpressure). The first
// error closes all other sources and is rethrown; an early return closes them all.
export async function* mergeAsync<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T, void, undefined> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  type Step = { readonly index: number; readonly result: IteratorResult<T> };
  const pending = new Map<number, Promise<Step>>();
  const pull = (index: number) => {
    pending.set(
      index,
      iterators[index]!.next().then((result) => ({ index, result })),
    );
  };
  for (let i = 0; i < iterators.length; i++) pull(i);
  let ok = false;
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
    ok = true;
  } finally {
    if (!ok) {
      // Close every unfinished source without waiting: an async generator's return() queues
      // behind its pending next(), which the caller unblocks (e.g. by aborting the requests).
      for (const [i, p] of pending) {
        p.catch(() => undefined);
        iterators[i]!.return?.()?.catch(() => undefined);
      }
    }
  }
}
