// Entry of a lake codec thread (codec-pool.ts starts it). The libraries load first, without the
// TypeScript loader (through it, apache-arrow's many modules load two to three times slower);
// then the loader is registered for this thread (Node 20 threads do not inherit it) and the
// TypeScript body runs.
await Promise.all([import('apache-arrow'), import('parquet-wasm')]);
const { register } = await import('tsx/esm/api');
register();
await import('./codec-thread-main.ts');
