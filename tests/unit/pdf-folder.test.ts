import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePapersFromPdfFolder } from '../../scripts/import/pdf-folder.ts';
import { readCorpus } from '../../src/lib/corpus/index.ts';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** A folder of two PDFs and a manifest naming them and one PDF that is not there. */
function pdfFolder(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-pdf-folder-'));
	mkdirSync(join(dir, 'pdf'));
	writeFileSync(join(dir, 'pdf', 'first-paper.pdf'), makePdf([singleColumnPage(['First paper'])]));
	writeFileSync(join(dir, 'pdf', 'second-paper.pdf'), makePdf([singleColumnPage(['Second'])]));
	writeFileSync(
		join(dir, 'manifest.json'),
		JSON.stringify({
			papers: [
				{
					file: 'pdf/first-paper.pdf',
					title: 'First paper',
					authors: ['Ada Lovelace'],
					year: 2024,
					doi: '10.1000/first'
				},
				{
					file: 'pdf/second-paper.pdf',
					title: 'Second paper',
					authors: [],
					year: 2025,
					arxiv: '2401.00001',
					type: 'oral'
				},
				{ file: 'pdf/gone.pdf', title: 'Gone', authors: ['X'], year: 2025 }
			]
		})
	);
	return dir;
}

describe('writePapersFromPdfFolder', () => {
	it('writes a papers folder the ingest reads without an issue, PDFs hard-linked beside their YAML', async () => {
		const out = mkdtempSync(join(tmpdir(), 'glassbox-pdf-folder-out-'));
		const source = pdfFolder();
		const result = writePapersFromPdfFolder({
			manifest: join(source, 'manifest.json'),
			out,
			defaultType: 'poster'
		});
		expect(result.problems).toEqual(['pdf/gone.pdf: pdf/gone.pdf not found']);
		const corpus = await readCorpus(out);
		expect(corpus.issues).toEqual([]);
		expect(corpus.editions.map((edition) => edition.id)).toEqual(['corpus-2025', 'corpus-2024']);
		const byId = new Map(corpus.papers.map((paper) => [paper.id, paper]));
		expect(byId.get('first-paper')).toMatchObject({ doi: '10.1000/first', type: 'poster' });
		expect(byId.get('second-paper')).toMatchObject({ arxiv: '2401.00001', type: 'oral' });
		// A hard link, not a symbolic one: the ingest refuses links that lead out of papers/.
		const placed = lstatSync(byId.get('first-paper')!.pdfPath!);
		expect(placed.isSymbolicLink()).toBe(false);
		expect(placed.ino).toBe(lstatSync(join(source, 'pdf/first-paper.pdf')).ino);
	});

	it('gives each copy of a PDF its own content when asked for several copies', async () => {
		const out = mkdtempSync(join(tmpdir(), 'glassbox-pdf-folder-copies-'));
		writePapersFromPdfFolder({
			manifest: join(pdfFolder(), 'manifest.json'),
			out,
			defaultType: 'poster',
			copies: 3
		});
		const corpus = await readCorpus(out);
		const pdfs = corpus.papers.map((paper) => paper.pdfPath!);
		expect(pdfs).toHaveLength(6);
		const hashes = pdfs.map((path) =>
			createHash('sha256').update(readFileSync(path)).digest('hex')
		);
		expect(new Set(hashes).size).toBe(6);
	});

	it('is what `npm run papers:from-pdfs` runs, with --copy and a report of what it left out', () => {
		const out = join(mkdtempSync(join(tmpdir(), 'glassbox-pdf-folder-cli-')), 'papers');
		const run = spawnSync(
			process.execPath,
			[
				join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
				join(ROOT, 'scripts/import/pdf-folder-cli.ts'),
				pdfFolder(),
				'--out',
				out,
				'--copy'
			],
			{ encoding: 'utf8' }
		);
		expect(run.status).toBe(2);
		expect(run.stdout).toContain('wrote 2 paper(s)');
		expect(run.stdout).toContain('not written: pdf/gone.pdf');
		expect(run.stdout).toContain(`next: npm run ingest -- --papers ${out}`);
		expect(lstatSync(join(out, 'corpus-2024', 'first-paper.pdf')).isSymbolicLink()).toBe(false);
	});
});
