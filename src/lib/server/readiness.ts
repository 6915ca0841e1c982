/**
 * What `/readyz` says: whether this process serves a build, which one and how old it is, so a
 * load balancer sends readers only to processes that can answer them and an operator can see
 * that every process switched to a new build.
 */
import type { Store } from './store.ts';

/** The body of `/readyz`. */
export interface Readiness {
	ready: boolean;
	/** Id of the build served (null when none is loaded). */
	build: string | null;
	/** When the ingest wrote it (ISO 8601), and its age in whole seconds. */
	builtAt: string | null;
	ageSeconds: number | null;
	papers: number | null;
	/** Why the process is not ready. */
	reason?: string;
}

/** Readiness of a process serving `store`. */
export function readinessOf(store: Store, now = Date.now()): Readiness {
	const builtAt = store.catalog.builtAt;
	const built = Date.parse(builtAt);
	return {
		ready: true,
		build: store.buildId,
		builtAt,
		ageSeconds: Number.isNaN(built) ? null : Math.max(0, Math.round((now - built) / 1000)),
		papers: store.catalog.papers.length
	};
}

/** Readiness of a process that could not load a build, saying why. */
export function notReady(reason: string): Readiness {
	return { ready: false, build: null, builtAt: null, ageSeconds: null, papers: null, reason };
}
