/**
 * Page one's JPEG of every paper, drawn by the server while it is idle: after it starts and after
 * a new build is published, the papers whose page one is not in DATA_DIR/pdf yet are drawn one at
 * a time, each only when no request is being answered and no other page is being drawn, so a
 * reader normally finds page one ready and a request never waits for the warm-up. The ingest used
 * to draw them: a third of its extraction CPU (bench:ingest).
 */
import { stat } from 'node:fs/promises';
import type { Store } from './store.ts';
import { pageImageStorePath } from './data-dir.ts';
import { drawsAreIdle, pageImageFile } from './page-image.ts';

/** Quiet time after the last request before a warm-up draw may start. */
const QUIET_MS = 300;
/** How often an idle check is made while requests or draws keep the server busy. */
const POLL_MS = 100;

let requestsInFlight = 0;
let lastRequestAt = -Infinity;

/** Counts a request as begun: no warm-up draw starts until it has ended and the server is quiet. */
export function requestStarted(): void {
	requestsInFlight++;
	lastRequestAt = performance.now();
}

/** Counts a request as answered. */
export function requestEnded(): void {
	requestsInFlight = Math.max(0, requestsInFlight - 1);
	lastRequestAt = performance.now();
}

/** Whether a warm-up draw may start now: no request in flight or recent, no page being drawn. */
export function serverIsIdle(): boolean {
	return requestsInFlight === 0 && performance.now() - lastRequestAt >= QUIET_MS && drawsAreIdle();
}

/** What a warm-up did: page ones drawn, already there, and not drawn (with the failure logged). */
export interface WarmupSummary {
	drawn: number;
	present: number;
	failed: number;
	/** True when a newer build's warm-up replaced this one before it was done. */
	superseded: boolean;
}

/** The parts of the store a warm-up reads. */
export type WarmupStore = Pick<Store, 'dataDir' | 'catalog' | 'pdfFile'>;

export interface WarmupOptions {
	/** Whether a draw may start now (default: `serverIsIdle`). */
	isIdle?: () => boolean;
	/** Stops the warm-up before its next draw. */
	signal?: AbortSignal;
}

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false
	);

const pause = (ms: number) => new Promise<void>((wake) => setTimeout(wake, ms).unref?.());

/**
 * Draws page one of every servable paper of `store` that has none in the PDF store, one at a
 * time, each when `isIdle` says so. Never rejects: a page that cannot be drawn is counted and
 * left to the request that asks for it (which then answers its error).
 */
export async function warmPageOnes(
	store: WarmupStore,
	{ isIdle = serverIsIdle, signal }: WarmupOptions = {}
): Promise<WarmupSummary> {
	const summary: WarmupSummary = { drawn: 0, present: 0, failed: 0, superseded: false };
	for (const paper of store.catalog.papers) {
		const pdfPath = store.pdfFile(paper.id);
		if (!paper.pdf || !pdfPath) continue;
		const { sha256 } = paper.pdf;
		if (await exists(pageImageStorePath(store.dataDir, sha256, 1))) {
			summary.present++;
			continue;
		}
		while (!signal?.aborted && !isIdle()) await pause(POLL_MS);
		if (signal?.aborted) return { ...summary, superseded: true };
		try {
			await pageImageFile({ paperId: paper.id, sha256, pdfPath, dataDir: store.dataDir }, 1);
			summary.drawn++;
		} catch (error) {
			summary.failed++;
			console.error(`glassbox: page one warm-up: ${(error as Error).message}`);
		}
	}
	return summary;
}

let running: AbortController | null = null;

/**
 * Starts the warm-up of a build made live, stopping the previous build's (its remaining pages
 * are the new build's too when unchanged). Off when `PAGE_ONE_WARMUP=off` (benchmarks of
 * drawing on demand).
 */
export function startPageOneWarmup(store: WarmupStore, env = process.env): void {
	if (env.PAGE_ONE_WARMUP === 'off') return;
	running?.abort();
	const controller = new AbortController();
	running = controller;
	void warmPageOnes(store, { signal: controller.signal }).then((summary) => {
		if (running === controller) running = null;
		if (summary.drawn > 0 || summary.failed > 0) {
			console.info(
				`glassbox: page one warm-up: ${summary.drawn} drawn, ${summary.present} already there, ${summary.failed} failed`
			);
		}
	});
}
