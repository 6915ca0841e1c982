import { describe, expect, it } from 'vitest';
import { preloadFor } from '../../src/lib/server/preloads.ts';

const files = [
	{ type: 'css', path: '/_app/immutable/assets/0.css' },
	{ type: 'js', path: '/_app/immutable/entry/start.js' },
	{ type: 'font', path: '/_app/immutable/assets/font.woff2' }
] as const;

describe('preloadFor', () => {
	it("leaves the app's JavaScript out of a paper page's Link header, and keeps its styles", () => {
		const preload = preloadFor('/papers/[id]');
		expect(files.filter((file) => preload(file)).map((file) => file.type)).toEqual(['css', 'font']);
	});

	it('announces every file on pages without the reader, and when no route matched', () => {
		for (const routeId of ['/search', '/papers/[id]/cite.[format]', '/', null]) {
			const preload = preloadFor(routeId);
			expect(files.every((file) => preload(file))).toBe(true);
		}
	});
});
