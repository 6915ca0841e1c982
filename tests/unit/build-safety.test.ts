import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE, takeIngestLock } from '../../scripts/ingest/lock.ts';
import { runIngest, type IngestOptions } from '../../scripts/ingest/pipeline.ts';
import { verifyBuild } from '../../src/lib/server/build-manifest.ts';
import {
	buildDir,
	pageFiguresStorePath,
	buildsDir,
	currentFile,
	newBuildId,
	pdfStoreDir,
	readCurrentBuildId,
	textCacheDir
} from '../../src/lib/server/data-dir.ts';
import { FIGURES_VERSION } from '../../src/lib/server/page-figures.ts';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';

const TAXONOMY = readFileSync(join(import.meta.dirname, '../../papers/taxonomy.yaml'));

/** A papers folder with the real taxonomy and one edition holding `files`. */
async function corpus(files: Record<string, string | Buffer>): Promise<string> {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-safety-papers-'));
	writeFileSync(join(dir, 'taxonomy.yaml'), TAXONOMY);
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

const paperYaml = (title: string) => `title: ${title}\nauthors: [Ada Lovelace]\n`;
/** A paper with a PDF, so that the build's page texts (search/pages.txt) are not empty. */
const withPdf = {
	'a.yaml': paperYaml('A paper'),
	'a.pdf': makePdf([singleColumnPage(['Saliency maps of the lung, drawn for a test.'])])
};

function options(papersDir: string, dataDir: string): IngestOptions {
	return { papersDir, dataDir, maxPdfBytes: 50 * 1024 * 1024, maxPages: 500, concurrency: 1 };
}

/** Ingests `papersDir` into `dataDir` and returns the id of the build it published. */
async function ingest(papersDir: string, dataDir: string): Promise<string> {
	const report = await runIngest(options(papersDir, dataDir));
	expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
	return (await readCurrentBuildId(dataDir))!;
}

const newDataDir = () => mkdtempSync(join(tmpdir(), 'glassbox-safety-data-'));

describe('a published build', () => {
	it('carries a manifest with the size and SHA-256 of every file it holds', async () => {
		const dataDir = newDataDir();
		const buildId = await ingest(await corpus({ 'a.yaml': paperYaml('A paper') }), dataDir);
		const manifest = await verifyBuild(buildDir(dataDir, buildId));
		const files = Object.keys(manifest.files);
		expect(files).toEqual(
			expect.arrayContaining([
				'catalog.json',
				'report.json',
				'search/pages.txt',
				'search/meta.json'
			])
		);
		const catalog = readFileSync(join(buildDir(dataDir, buildId), 'catalog.json'));
		expect(manifest.files['catalog.json'].bytes).toBe(catalog.length);
	});

	it.each([
		[
			'a truncated search/pages.txt',
			'search/pages.txt',
			(bytes: Buffer) => bytes.subarray(0, bytes.length - 3)
		],
		[
			'a garbled catalog.json of the same size',
			'catalog.json',
			(bytes: Buffer) =>
				Buffer.from(bytes.toString('latin1').replace('A paper', 'X paper'), 'latin1')
		],
		['a missing search/meta.json', 'search/meta.json', null]
	])('fails verification for %s, naming the file', async (_case, file, damage) => {
		const dataDir = newDataDir();
		const buildId = await ingest(await corpus(withPdf), dataDir);
		const path = join(buildDir(dataDir, buildId), file);
		if (damage) writeFileSync(path, damage(readFileSync(path)));
		else spawnSync('rm', [path]);
		await expect(verifyBuild(buildDir(dataDir, buildId))).rejects.toThrow(`${path}: `);
	});
});

describe('pruning builds', () => {
	it('removes builds an ingest killed mid-way left, and never counts them among the kept', async () => {
		const dataDir = newDataDir();
		const papersDir = await corpus({ 'a.yaml': paperYaml('A paper') });
		const first = await ingest(papersDir, dataDir);
		// What `kill -9` of three ingests leaves: build folders without a manifest, newer ids.
		const killed = [1, 2, 3].map((i) => newBuildId(new Date(Date.now() + i * 1000)));
		for (const id of killed)
			await mkdir(join(buildDir(dataDir, id), 'search'), { recursive: true });
		const second = await ingest(papersDir, dataDir);
		const third = await ingest(papersDir, dataDir);
		expect(readdirSync(buildsDir(dataDir)).sort()).toEqual([first, second, third].sort());
	});
});

describe('the ingest lock', () => {
	it('makes a second ingest on the same data folder fail at once, saying why, and leaves the build', async () => {
		const dataDir = newDataDir();
		const papersDir = await corpus({ 'a.yaml': paperYaml('A paper') });
		const served = await ingest(papersDir, dataDir);
		const release = await takeIngestLock(dataDir);
		try {
			const report = await runIngest(options(papersDir, dataDir));
			expect(report.exitCode).toBe(1);
			expect(report.issues).toEqual([
				expect.objectContaining({
					severity: 'error',
					message: expect.stringMatching(
						new RegExp(`${LOCK_FILE}: another ingest \\(pid ${process.pid} .*wait for it to finish`)
					)
				})
			]);
			expect(await readCurrentBuildId(dataDir)).toBe(served);
		} finally {
			await release();
		}
		expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
	});

	it('takes over a lock left by an ingest that no longer runs', async () => {
		const dataDir = newDataDir();
		const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
		writeFileSync(
			join(dataDir, LOCK_FILE),
			JSON.stringify({ pid: gone, host: (await import('node:os')).hostname(), startedAt: 'then' })
		);
		const report = await runIngest(
			options(await corpus({ 'a.yaml': paperYaml('A paper') }), dataDir)
		);
		expect(report.exitCode).toBe(0);
		expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
	});
});

describe('files no kept build uses', () => {
	it("are removed after a publish: the old PDF, its page images, its pages' figures, its text cache and index segment", async () => {
		const dataDir = newDataDir();
		const papersDir = await corpus({ 'a.yaml': paperYaml('A paper') });
		const version = (n: number) => makePdf([singleColumnPage([`Saliency maps, version ${n}.`])]);
		const hashes: string[] = [];
		for (let n = 1; n <= 4; n++) {
			writeFileSync(join(papersDir, 'imimic-2030', 'a.pdf'), version(n));
			const buildId = await ingest(papersDir, dataDir);
			const catalog = JSON.parse(
				readFileSync(join(buildDir(dataDir, buildId), 'catalog.json'), 'utf8')
			);
			hashes.push(catalog.papers[0].pdf.sha256);
			// A page the server drew on request, and the figures it found, are named after the PDF.
			writeFileSync(join(pdfStoreDir(dataDir), `${hashes[n - 1]}.page2.jpg`), 'jpeg');
			writeFileSync(pageFiguresStorePath(dataDir, hashes[n - 1], 2, FIGURES_VERSION), '[]');
		}
		const stored = new Set([
			...readdirSync(pdfStoreDir(dataDir)),
			...readdirSync(textCacheDir(dataDir))
		]);
		// The live build and the two before it keep their files; the first version is gone.
		for (const hash of hashes.slice(1)) {
			expect(stored).toContain(`${hash}.pdf`);
			expect(stored).toContain(`${hash}.json`);
			expect(stored).toContain(`${hash}.index.bin`);
			expect(stored).toContain(`${hash}.page2.figures-v${FIGURES_VERSION}.json`);
		}
		expect([...stored].filter((name) => name.startsWith(hashes[0]))).toEqual([]);
	});

	it('removes term counts kept per PDF by older ingests, even for a PDF still in use', async () => {
		const dataDir = newDataDir();
		const papersDir = await corpus({ 'a.yaml': paperYaml('A paper') });
		writeFileSync(
			join(papersDir, 'imimic-2030', 'a.pdf'),
			makePdf([singleColumnPage(['Saliency maps.'])])
		);
		const first = await ingest(papersDir, dataDir);
		const hash = JSON.parse(readFileSync(join(buildDir(dataDir, first), 'catalog.json'), 'utf8'))
			.papers[0].pdf.sha256;
		const retired = join(textCacheDir(dataDir), `${hash}.terms.json`);
		writeFileSync(retired, '{}');
		writeFileSync(join(papersDir, 'imimic-2030', 'b.yaml'), paperYaml('Another paper'));
		await ingest(papersDir, dataDir);
		expect(existsSync(retired)).toBe(false);
		expect(existsSync(join(textCacheDir(dataDir), `${hash}.json`))).toBe(true);
	});
});

describe('the server store', () => {
	afterEach(() => {
		vi.restoreAllMocks();
		vi.unstubAllEnvs();
	});

	/** A fresh copy of store.ts (its state is per process) reading `dataDir`. */
	async function freshStore(dataDir: string) {
		vi.resetModules();
		vi.stubEnv('DATA_DIR', dataDir);
		return import('../../src/lib/server/store.ts');
	}

	it('serves the newest good build when the live one is damaged, naming the bad file in its log', async () => {
		const dataDir = newDataDir();
		const papersDir = await corpus(withPdf);
		const good = await ingest(papersDir, dataDir);
		await writeFile(join(papersDir, 'imimic-2030', 'b.yaml'), paperYaml('Another paper'));
		const damaged = await ingest(papersDir, dataDir);
		const pages = join(buildDir(dataDir, damaged), 'search', 'pages.txt');
		writeFileSync(pages, readFileSync(pages).subarray(0, 1));
		const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);

		const { getStore } = await freshStore(dataDir);
		const store = await getStore();
		expect(store.buildId).toBe(good);
		expect(store.catalog.papers.map((paper) => paper.id)).toEqual(['a']);
		expect(log.mock.calls.flat().join('\n')).toContain(`${pages}: `);
	});

	it('says 503 (NoBuildError) naming the file when no build is good, without reading the files again per request', async () => {
		const dataDir = newDataDir();
		const buildId = await ingest(await corpus({ 'a.yaml': paperYaml('A paper') }), dataDir);
		const catalogFile = join(buildDir(dataDir, buildId), 'catalog.json');
		const intact = readFileSync(catalogFile);
		writeFileSync(catalogFile, intact.subarray(0, 10));
		vi.spyOn(console, 'error').mockImplementation(() => undefined);

		const { getStore, NoBuildError } = await freshStore(dataDir);
		const failure = await getStore().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NoBuildError);
		expect((failure as Error).message).toContain(catalogFile);
		// Repaired behind the server's back: a request does not re-read it, the error stands.
		writeFileSync(catalogFile, intact);
		await expect(getStore()).rejects.toBe(failure);
	});

	it('answers NoBuildError before the first ingest, and serves the first build once published', async () => {
		const dataDir = newDataDir();
		const { getStore, NoBuildError } = await freshStore(dataDir);
		await expect(getStore()).rejects.toBeInstanceOf(NoBuildError);
		const buildId = await ingest(await corpus({ 'a.yaml': paperYaml('A paper') }), dataDir);
		expect(readFileSync(currentFile(dataDir), 'utf8').trim()).toBe(buildId);
		await vi.waitFor(async () => expect((await getStore()).buildId).toBe(buildId), {
			timeout: 10_000,
			interval: 100
		});
	});

	it.each([
		['the PDF', '../../src/routes/papers/[id]/pdf/+server.ts'],
		['a page image', '../../src/routes/papers/[id]/page/[n].jpg/+server.ts'],
		['the page-one image', '../../src/routes/papers/[id]/page1.jpg/+server.ts']
	])('answers 503 for %s while no build exists, as pages do', async (_what, route) => {
		await freshStore(newDataDir());
		const { GET } = (await import(/* @vite-ignore */ route)) as {
			GET: (event: unknown) => Promise<Response>;
		};
		const request = new Request('http://localhost/papers/a/pdf');
		const failure = await GET({ params: { id: 'a', n: '2' }, request }).catch(
			(error: unknown) => error
		);
		expect(failure).toMatchObject({ status: 503 });
	});
});
