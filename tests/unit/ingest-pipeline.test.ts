import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest, type IngestOptions } from '../../scripts/ingest/pipeline.ts';
import {
	buildDir,
	buildsDir,
	pdfStorePath,
	previewStorePath,
	readCurrentBuildId,
	textCacheDir
} from '../../src/lib/server/data-dir.ts';
import { EXTRACTION_VERSION } from '../../scripts/ingest/extract.ts';
import { indexSegmentPath } from '../../scripts/ingest/index-segments.ts';
import { decodeIndexSegment, encodeIndexSegment } from '../../src/lib/search/index-segment.ts';
import { termListsFile } from '../../scripts/ingest/term-cache.ts';
import type { Catalog } from '../../src/lib/types.ts';
import { makePdf, scannedPage, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';
import { hasSharedCorpus, makeSharedCorpusPapersDir } from '../fixtures/shared-corpus.ts';

const MISBEHAVING_WORKER = new URL('../fixtures/pdf/misbehaving-worker.mjs', import.meta.url);

const SMALL = ['graziani-2018-regression-concept-vectors', 'sinha-mrdataset-joss'];

function options(papersDir: string, dataDir: string): IngestOptions {
	return { papersDir, dataDir, maxPdfBytes: 50 * 1024 * 1024, maxPages: 500, concurrency: 2 };
}

function liveCatalog(dataDir: string, buildId: string): Catalog {
	return JSON.parse(readFileSync(join(buildDir(dataDir, buildId), 'catalog.json'), 'utf8'));
}

/** The live build's catalog (without its build time) and search index files, by name. */
async function builtFiles(dataDir: string): Promise<Map<string, string>> {
	const dir = buildDir(dataDir, (await readCurrentBuildId(dataDir))!);
	const { builtAt, ...catalog } = liveCatalog(dataDir, (await readCurrentBuildId(dataDir))!);
	expect(builtAt).toBeTruthy();
	const files = new Map([['catalog.json', JSON.stringify(catalog)]]);
	for (const name of readdirSync(join(dir, 'search')).sort()) {
		files.set(`search/${name}`, readFileSync(join(dir, 'search', name)).toString('base64'));
	}
	return files;
}

describe.skipIf(!hasSharedCorpus)('runIngest on real papers', () => {
	let papersDir: string;
	let dataDir: string;

	beforeAll(() => {
		papersDir = makeSharedCorpusPapersDir({ only: SMALL });
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
	});

	it('builds a catalog with every paper, its pages and its PDF in the store', async () => {
		const report = await runIngest(options(papersDir, dataDir));
		expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
		expect(report.exitCode).toBe(0);
		expect(report.papers).toBe(2);
		expect(report.extracted).toBe(2);
		expect(report.pages).toBe(8 + 3);
		const buildId = (await readCurrentBuildId(dataDir))!;
		const catalog = liveCatalog(dataDir, buildId);
		const graziani = catalog.papers.find((paper) => paper.id === SMALL[0])!;
		expect(graziani.pdf?.pageCount).toBe(8);
		expect(graziani.words).toBeGreaterThan(2000);
		expect(existsSync(pdfStorePath(dataDir, graziani.pdf!.sha256))).toBe(true);
		expect(existsSync(termListsFile(dataDir))).toBe(true);
		expect(existsSync(join(buildDir(dataDir, buildId), 'report.json'))).toBe(true);
	});

	it('does not extract unchanged PDFs again, and extracts only the one added', async () => {
		const again = await runIngest(options(papersDir, dataDir));
		expect(again.extracted).toBe(0);
		expect(again.reused).toBe(2);

		const withOneMore = makeSharedCorpusPapersDir({
			only: [...SMALL, 'jin-bridging-xai-taxonomy-abstract']
		});
		const added = await runIngest(options(withOneMore, dataDir));
		expect(added.extracted).toBe(1);
		expect(added.reused).toBe(2);
		expect(added.papers).toBe(3);
	});

	it('builds, after papers are added and edited, the very catalog and index a cold ingest builds', async () => {
		await runIngest(options(papersDir, dataDir));
		const changed = makeSharedCorpusPapersDir({
			only: [...SMALL, 'jin-bridging-xai-taxonomy-abstract']
		});
		const edited = join(changed, 'corpus-2023', `${SMALL[1]}.yaml`);
		writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^title: .*$/m, 'title: Edited'));
		const incremental = await runIngest(options(changed, dataDir));
		const coldDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-cold-'));
		const cold = await runIngest(options(changed, coldDir));
		expect(incremental.reused).toBeGreaterThanOrEqual(2);
		expect(cold.extracted).toBe(3);
		const incrementalBuild = await builtFiles(dataDir);
		expect(incrementalBuild.get('catalog.json')).toContain('"title":"Edited"');
		expect(incrementalBuild).toEqual(await builtFiles(coldDir));
	});

	it('names a broken PDF, lists its paper without full text and builds the rest (exit 2)', async () => {
		const dir = makeSharedCorpusPapersDir({ only: SMALL });
		await writeFile(
			join(dir, 'corpus-2023', 'broken.yaml'),
			'title: A broken upload\nauthors: [A. Person]\n'
		);
		await writeFile(join(dir, 'corpus-2023', 'broken.pdf'), '');
		const report = await runIngest(options(dir, mkdtempSync(join(tmpdir(), 'glassbox-ingest-'))));
		expect(report.exitCode).toBe(2);
		expect(report.papers).toBe(3);
		expect(report.degraded).toBe(1);
		const issue = report.issues.find((item) => item.file === 'corpus-2023/broken.pdf');
		expect(issue?.message).toMatch(/empty|zero|0 bytes/i);
	});
});

/** A papers folder with the real taxonomy, one edition (imimic-2030) and the given files in it. */
async function tinyCorpus(files: Record<string, string | Buffer>): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-tiny-'));
	writeFileSync(
		join(dir, 'taxonomy.yaml'),
		readFileSync(join(import.meta.dirname, '../../papers/taxonomy.yaml'))
	);
	await mkdir(join(dir, 'imimic-2030'));
	await writeFile(
		join(dir, 'imimic-2030', 'edition.yaml'),
		'title: iMIMIC 2030\nyear: 2030\ncomplete: true\n'
	);
	for (const [name, content] of Object.entries(files)) {
		await writeFile(join(dir, 'imimic-2030', name), content);
	}
	return dir;
}

const FIRST_PAPER = { 'first-paper.yaml': 'title: A first paper\nauthors: [Ada Lovelace]\n' };

describe('runIngest when it cannot build', () => {
	it('leaves the served build untouched when the taxonomy is malformed (exit 1)', async () => {
		const papersDir = await tinyCorpus(FIRST_PAPER);
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
		expect((await runIngest(options(papersDir, dataDir))).exitCode).toBe(0);
		const served = await readCurrentBuildId(dataDir);

		await writeFile(join(papersDir, 'taxonomy.yaml'), 'topics: [unclosed\n');
		const report = await runIngest(options(papersDir, dataDir));
		expect(report.exitCode).toBe(1);
		expect(report.issues.some((issue) => issue.file === 'taxonomy.yaml')).toBe(true);
		expect(await readCurrentBuildId(dataDir)).toBe(served);
	});

	it('leaves no half-written build when writing fails midway', async () => {
		const papersDir = await tinyCorpus(FIRST_PAPER);
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
		expect((await runIngest(options(papersDir, dataDir))).exitCode).toBe(0);
		const served = await readCurrentBuildId(dataDir);
		const buildsBefore = readdirSync(buildsDir(dataDir));

		const report = await runIngest({
			...options(papersDir, dataDir),
			writeIndex: async (dir) => {
				await mkdir(dir, { recursive: true });
				await writeFile(join(dir, 'partial.json'), '{"half":');
				throw new Error('disk full');
			}
		});
		expect(report.exitCode).toBe(1);
		expect(report.issues.at(-1)?.message).toContain('disk full');
		expect(await readCurrentBuildId(dataDir)).toBe(served);
		expect(readdirSync(buildsDir(dataDir))).toEqual(buildsBefore);
		expect(liveCatalog(dataDir, served!).papers.map((paper) => paper.id)).toEqual(['first-paper']);
	});
});

describe('runIngest with a PDF page that never returns', () => {
	it('reports a timeout naming the file and the page, and builds the rest (exit 2)', async () => {
		const papersDir = await tinyCorpus({
			'stall-paper.yaml': 'title: A paper whose second page hangs\nauthors: [Ada Lovelace]\n',
			'stall-paper.pdf': makePdf([singleColumnPage(['Never read.'])])
		});
		const report = await runIngest({
			...options(papersDir, mkdtempSync(join(tmpdir(), 'glassbox-ingest-'))),
			// The test worker keeps its thread busy on page 2; timeoutMs 0 leaves only the kill grace.
			extract: { timeoutMs: 0, workerUrl: MISBEHAVING_WORKER }
		});
		expect(report.exitCode).toBe(2);
		expect(report.degraded).toBe(1);
		expect(report.issues).toContainEqual({
			file: 'imimic-2030/stall-paper.pdf',
			message: 'timed out after 0 s on page 2; listed without full text',
			severity: 'warning'
		});
	});
});

describe("runIngest records page one's size and leaves its JPEG to the server", () => {
	it('keeps the size of a landscape page one, draws no JPEG, and keeps the size when nothing changed', async () => {
		const lines = Array.from(
			{ length: 30 },
			(_, i) => `Line ${i + 1} of saliency maps and more words.`
		);
		const papersDir = await tinyCorpus({
			'landscape.yaml': 'title: A landscape paper\nauthors: [Ada Lovelace]\n',
			'landscape.pdf': makePdf([{ ...singleColumnPage(lines), width: 842, height: 595 }])
		});
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
		expect((await runIngest(options(papersDir, dataDir))).exitCode).toBe(0);
		const catalog = liveCatalog(dataDir, (await readCurrentBuildId(dataDir))!);
		const pdf = catalog.papers[0].pdf!;
		expect(pdf.preview).toEqual({ width: 842, height: 595 });
		expect(existsSync(previewStorePath(dataDir, pdf.sha256))).toBe(false);

		const again = await runIngest(options(papersDir, dataDir));
		expect(again.reused).toBe(1);
		const rebuilt = liveCatalog(dataDir, (await readCurrentBuildId(dataDir))!);
		expect(rebuilt.papers[0].pdf!.preview).toEqual({ width: 842, height: 595 });
	});

	it('reports the extraction warnings of a PDF again when its cached text is reused', async () => {
		const papersDir = await tinyCorpus({
			'half-scanned.yaml': 'title: A half-scanned paper\nauthors: [Ada Lovelace]\n',
			'half-scanned.pdf': makePdf([singleColumnPage(['A readable first page.']), scannedPage()])
		});
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
		const warned = (report: { issues: { file: string; message: string }[] }) =>
			report.issues.filter((issue) => issue.file === 'imimic-2030/half-scanned.pdf');
		const first = await runIngest(options(papersDir, dataDir));
		expect(warned(first).map((issue) => issue.message)).toEqual(['no text on page 2: scanned?']);
		const again = await runIngest(options(papersDir, dataDir));
		expect(again.reused).toBe(1);
		expect(warned(again)).toEqual(warned(first));
	});

	it('extracts again a PDF whose cached text an older extraction wrote', async () => {
		const papersDir = await tinyCorpus({
			'cached.yaml': 'title: A cached paper\nauthors: [Ada Lovelace]\n',
			'cached.pdf': makePdf([singleColumnPage(['Saliency maps of the lung.'])])
		});
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
		expect((await runIngest(options(papersDir, dataDir))).extracted).toBe(1);
		// The page texts, not the term counts or index segment kept beside them.
		const [cacheFile] = readdirSync(textCacheDir(dataDir))
			.filter((name) => /^[0-9a-f]{64}\.json$/.test(name))
			.map((name) => join(textCacheDir(dataDir), name));
		const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
		expect(cached.extraction).toBe(EXTRACTION_VERSION);
		// What an older extractor left: no version, and text this one would not give.
		writeFileSync(
			cacheFile,
			JSON.stringify({ ...cached, extraction: undefined, pages: ['stale'] })
		);

		const report = await runIngest(options(papersDir, dataDir));
		expect(report.reused).toBe(0);
		expect(report.extracted).toBe(1);
		expect(JSON.parse(readFileSync(cacheFile, 'utf8')).pages[0]).toContain('Saliency maps');
	});
});

describe("runIngest keeps each PDF's index segment", () => {
	it('indexes an unchanged PDF from its kept segment, without tokenising its pages again', async () => {
		const papersDir = await tinyCorpus({
			'kept.yaml': 'title: A kept paper\nauthors: [Ada Lovelace]\n',
			'kept.pdf': makePdf([singleColumnPage(['Saliency maps of the lung.'])])
		});
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ingest-'));
		await runIngest(options(papersDir, dataDir));
		const vocabulary = async () =>
			readFileSync(
				join(buildDir(dataDir, (await readCurrentBuildId(dataDir))!), 'search', 'vocabulary.txt'),
				'utf8'
			).split('\n');
		expect(await vocabulary()).toContain('lung');
		const sha256 = liveCatalog(dataDir, (await readCurrentBuildId(dataDir))!).papers[0].pdf!.sha256;
		// Mark the kept segment: a build that holds the mark has merged it, not tokenised the page.
		const file = indexSegmentPath(dataDir, sha256);
		const kept = decodeIndexSegment(readFileSync(file))!;
		kept.segment.terms = kept.segment.terms.map((term) => (term === 'lung' ? 'keptmark' : term));
		writeFileSync(file, encodeIndexSegment(kept.segment, kept.label));

		expect((await runIngest(options(papersDir, dataDir))).exitCode).toBe(0);
		expect(await vocabulary()).toContain('keptmark');
		expect(await vocabulary()).not.toContain('lung');
	});
});
