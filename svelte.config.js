import { createHash } from 'node:crypto';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { EARLY_OPENING_CODE } from './src/lib/components/reader/early-opening.js';

/**
 * The CSP source of a script's exact text.
 * @param {string} text
 * @returns {`sha256-${string}`}
 */
function sha256(text) {
	return `sha256-${createHash('sha256').update(text).digest('base64')}`;
}

/**
 * The reader's one inline script of our own; SvelteKit adds the hashes of its own scripts.
 */
const earlyOpeningHash = sha256(EARLY_OPENING_CODE);

/**
 * Svelte's server markup gives elements with load/error handlers (the reader's page images)
 * `onload`/`onerror="this.__e=event"`, so the event is replayed after hydration; 'unsafe-hashes'
 * allows that one handler text and no other.
 */
const eventReplayHash = sha256('this.__e=event');

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		adapter: adapter(),
		// Hashes rather than nonces: the HTML stays the same for every reader, so proxies may cache it.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', earlyOpeningHash, 'unsafe-hashes', eventReplayHash],
				// pdf.js runs its worker from our own origin (a module worker, never a blob: URL).
				'worker-src': ['self'],
				// The reader fetches PDF ranges and pdf.js's fonts, maps and decoders from here only.
				'connect-src': ['self'],
				// Style attributes in the markup (and Svelte's own) need inline styles; scripts never.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				// pdf.js may hand a PDF's embedded fonts to the page as data: URLs.
				'font-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
