/** Runs the map's PCA off the page's thread: vectors in, 2-D coordinates out. */
import { projectTo2d } from './pca.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent<number[][]>) => void) | null; postMessage(data: unknown): void };
scope.onmessage = (event) => scope.postMessage(projectTo2d(event.data));
