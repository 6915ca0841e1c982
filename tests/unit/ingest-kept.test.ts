import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile, type FileHash } from '../../scripts/ingest/file-hash.ts';
import { loadKeptValues } from '../../scripts/ingest/kept-values.ts';
import { loadTagger } from '../../scripts/ingest/tag-cache.ts';
import { tagPaper } from '../../src/lib/corpus/tag.ts';
import { keptHashesPath, keptTopicsPath } from '../../src/lib/server/data-dir.ts';
import type { PaperSource, PaperTopic, Taxonomy } from '../../src/lib/types.ts';

const taxonomy: Taxonomy = {
	threshold: 0.4,
	synonyms: [],
	topics: [
		{
			id: 'uncertainty',
			label: 'Uncertainty',
			facet: 'topic',
			description: 'How sure the model is.',
			terms: [{ term: 'uncertainty', weight: 3 }]
		}
	]
};
const source: PaperSource = {
	id: 'p',
	edition: 'e',
	title: 'Uncertainty of saliency explanations',
	authors: [{ name: 'A' }],
	file: 'e/p.yaml'
};
const pages = ['We explain predictions and measure the uncertainty of each explanation.'];

/** Replaces every kept value of `file` with `value`: what a reused entry then returns. */
function doctor(file: string, value: unknown): void {
	const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
	for (const key of Object.keys(kept)) kept[key] = value;
	writeFileSync(file, JSON.stringify(kept));
}

describe('topics kept between ingests', () => {
	const marker: PaperTopic[] = [
		{ id: 'kept', label: 'Kept', facet: 'topic', source: 'inferred', score: 1, evidence: [] }
	];

	it('reuses the topics of a paper whose metadata, pages and taxonomy are unchanged', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-kept-topics-'));
		const first = await loadTagger(dataDir, taxonomy);
		expect(first.tag(source, pages)).toEqual(tagPaper(source, pages, taxonomy));
		await first.save();
		doctor(keptTopicsPath(dataDir), marker);
		expect((await loadTagger(dataDir, taxonomy)).tag(source, pages)).toEqual(marker);
	});

	it('tags again when the pages, the metadata or the taxonomy change', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-kept-topics-'));
		const first = await loadTagger(dataDir, taxonomy);
		first.tag(source, pages);
		await first.save();
		doctor(keptTopicsPath(dataDir), marker);
		const tagger = await loadTagger(dataDir, taxonomy);
		const otherPages = [...pages, 'A second page.'];
		expect(tagger.tag(source, otherPages)).toEqual(tagPaper(source, otherPages, taxonomy));
		const retitled = { ...source, title: 'Saliency explanations' };
		expect(tagger.tag(retitled, pages)).toEqual(tagPaper(retitled, pages, taxonomy));
		const reweighted = { ...taxonomy, threshold: 0.9 };
		expect((await loadTagger(dataDir, reweighted)).tag(source, pages)).toEqual(
			tagPaper(source, pages, reweighted)
		);
	});
});

describe('PDF hashes kept between ingests', () => {
	it('reads a file again only when it changed', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-kept-hashes-'));
		const file = join(dataDir, 'paper.pdf');
		writeFileSync(file, '%PDF-1.4 one');
		const first = await loadKeptValues<FileHash>(keptHashesPath(dataDir));
		const hashed = await hashFile(file, first);
		expect(hashed.bytes).toBe(12);
		await first.save();
		doctor(keptHashesPath(dataDir), { sha256: 'kept', bytes: 12 });
		// Unchanged: the kept hash, the file not read.
		expect((await hashFile(file, await loadKeptValues(keptHashesPath(dataDir)))).sha256).toBe(
			'kept'
		);
		appendFileSync(file, '\n');
		const changed = await hashFile(file, await loadKeptValues(keptHashesPath(dataDir)));
		expect(changed.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(changed.sha256).not.toBe(hashed.sha256);
		expect(changed.bytes).toBe(13);
	});
});
