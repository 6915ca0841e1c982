// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** Set by the search routes: whether the answer came from the result cache (logged). */
			searchCached?: boolean;
		}
	}
}

export {};
