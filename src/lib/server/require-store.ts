import { error } from '@sveltejs/kit';
import { getStore, NoBuildError, type Store } from './store.ts';

/** The live store for a route; a missing build becomes a 503 that says what to run. */
export async function requireStore(): Promise<Store> {
	try {
		return await getStore();
	} catch (cause) {
		if (cause instanceof NoBuildError) error(503, cause.message);
		throw cause;
	}
}
