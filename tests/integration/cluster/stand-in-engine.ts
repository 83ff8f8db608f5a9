// Loaded by worker processes in tests (TRIBUTARY_RUN_FRAGMENT_MODULE): the stand-in engine.
export { standInRunFragment as runFragment } from './helpers.js';
