// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Set by the search routes: whether the answer came from the result cache (logged). */
			searchCached?: boolean;
			/**
			 * Set by a page whose answer may change while the build stays (a partial search): the
			 * page cache does not keep it.
			 */
			pageVaries?: boolean;
		}
	}
}

export {};
