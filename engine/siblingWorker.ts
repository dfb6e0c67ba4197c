/**
 * Starts a worker thread from a script kept beside the module that starts it: the bundle's .js in
 * dist/ (build/compile.mjs builds each worker as an entry of its own), or the .ts source when
 * running under tsx, whose loader a worker does not inherit (so the worker registers it first).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startSiblingWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const extension = callerUrl.slice(callerUrl.lastIndexOf('.'));
  const script = new URL(`./${name}${extension}`, callerUrl);
  return extension === '.ts'
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`, { ...options, eval: true })
    : new Worker(script, options);
}
