import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/lib/server/store.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import { makePaper } from '../fixtures/paper.ts';

describe('readCatalog', () => {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-store-'));
	const catalog = makeCatalog(
		[
			makePaper({ id: 'first', year: 2024, authors: [{ name: 'Ada Lovelace' }] }),
			makePaper({ id: 'second', year: 2025, authors: [{ name: 'Ada Lovelace' }] })
		],
		{
			similar: {
				first: [{ id: 'second', score: 0.5, terms: ['saliency'] }],
				second: [{ id: 'first', score: 0.5, terms: ['saliency'] }]
			}
		}
	);

	it('loads a catalog with its author index, similar papers and map as built', async () => {
		const file = join(dir, 'complete.json');
		writeFileSync(file, JSON.stringify(catalog));
		const loaded = await readCatalog(file);
		expect(loaded.authors.authors.map((author) => author.name)).toEqual(['Ada Lovelace']);
		expect(loaded.similar.first).toEqual([{ id: 'second', score: 0.5, terms: ['saliency'] }]);
		expect(loaded.map.map((point) => point.id).sort()).toEqual(['first', 'second']);
	});

	it.each(['authors', 'similar', 'map'] as const)(
		'refuses a build from an older ingest without %s, naming the file and field',
		async (field) => {
			const file = join(dir, `without-${field}.json`);
			writeFileSync(file, JSON.stringify({ ...catalog, [field]: undefined }));
			await expect(readCatalog(file)).rejects.toThrow(
				`${file}: ${field}: missing (built by an older ingest); run \`npm run ingest\``
			);
		}
	);
});
