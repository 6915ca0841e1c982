import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import MiniSearch from 'minisearch';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { miniSearchOptions } from '../../src/lib/search/options.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { loadSearchEngine, writeSearchIndex } from '../../src/lib/server/search-storage.ts';
import { filler, makeCorpus } from './search-fixtures.ts';

describe('search index storage', () => {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-search-storage-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const { catalog, docs } = makeCorpus([
		{
			id: 'one',
			title: 'Grad-CAM for Müller’s radiographs',
			pages: [filler(300, 1) + ' "class activation map" ', filler(100, 2)]
		},
		{
			id: 'two',
			title: 'Uncertainty calibration',
			year: 2024,
			abstract: 'Calibrated heatmaps.',
			pages: [filler(200, 3)]
		},
		{ id: 'three', title: 'Prototype networks', year: 2023 }
	]);

	it('gives the same results after build → write → load as in memory', async () => {
		await writeSearchIndex(dir, docs, catalog);
		const loaded = await loadSearchEngine(dir, catalog);
		const memory = SearchEngine.fromDocuments(docs, catalog);
		for (const q of [
			'grad cam',
			'muller',
			'"class activation map"',
			'calibrated',
			'prototyp',
			'',
			'uncertanty'
		]) {
			expect(loaded.search(searchParams({ q }))).toEqual(memory.search(searchParams({ q })));
		}
		expect(loaded.search(searchParams({ q: 'muller' })).hits[0].id).toBe('one');
	});

	it('stores the metadata as a MiniSearch index that loads with the shared options', async () => {
		const json = readFileSync(join(dir, 'metadata.json'), 'utf8');
		const metadata = MiniSearch.loadJSON(json, miniSearchOptions);
		expect(metadata.documentCount).toBe(3);
		expect(metadata.search('prototyp', { prefix: true }).map((result) => result.id)).toEqual([
			'three'
		]);
		expect(metadata.search('muller').map((result) => result.id)).toEqual(['one']);
		// Each field lives in one index: body words are not in the metadata, title words not in
		// the body vocabulary.
		expect(metadata.search('activation')).toEqual([]);
		const bodyVocabulary = readFileSync(join(dir, 'vocabulary.txt'), 'utf8').split('\n');
		expect(bodyVocabulary).toContain('activation');
		expect(bodyVocabulary).not.toContain('prototype');
	});

	it('refuses an index of another format version, naming the file', async () => {
		const metaFile = join(dir, 'meta.json');
		const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
		writeFileSync(metaFile, JSON.stringify({ ...meta, version: 0 }));
		await expect(loadSearchEngine(dir, catalog)).rejects.toThrow(/meta\.json: version: is 0/);
	});

	it('names the metadata index file when it is damaged', async () => {
		await writeSearchIndex(dir, docs, catalog);
		writeFileSync(join(dir, 'metadata.json'), '{"documentCount": 3, "index": [');
		await expect(loadSearchEngine(dir, catalog)).rejects.toThrow(/metadata\.json: /);
	});
});
