import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdf, type ExtractResult } from '../../scripts/ingest/extract.ts';
import { extractAll } from '../../scripts/ingest/extract-pool.ts';
import { extractWorkerUrl, TYPESCRIPT_WORKER_URL } from '../../scripts/ingest/worker-bundle.ts';
import { makePdf, notPdf, pageWord, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';

const LIMITS = { maxBytes: 50 * 1024 * 1024, maxPages: 500 };
const CORPUS = join(import.meta.dirname, '../../../shared/corpus');
const ROOT = join(import.meta.dirname, '../..');
const MISBEHAVING_WORKER = new URL('../fixtures/pdf/misbehaving-worker.mjs', import.meta.url);

function reasonOf(result: ExtractResult | undefined): string {
	return result && !result.ok ? result.reason : `no failure: ${JSON.stringify(result)}`;
}

describe('extractAll', () => {
	let dir: string;
	const paperPath = (n: number) => join(dir, `paper-${n}.pdf`);

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'glassbox-pool-'));
		for (let n = 1; n <= 5; n++) {
			await writeFile(paperPath(n), makePdf([singleColumnPage([`Paper about ${pageWord(n)}.`])]));
		}
		await writeFile(join(dir, 'broken.pdf'), notPdf());
		await writeFile(join(dir, 'crash.pdf'), makePdf([singleColumnPage(['Never read.'])]));
		await writeFile(join(dir, 'hang.pdf'), makePdf([singleColumnPage(['Never read.'])]));
		await writeFile(join(dir, 'stall.pdf'), makePdf([singleColumnPage(['Never read.'])]));
	});
	afterAll(async () => {
		await rm(dir, { recursive: true, force: true });
	});

	it('extracts every file in worker threads, reporting progress once per file', async () => {
		const jobs = [1, 2, 3, 4, 5].map((n) => ({ key: `paper-${n}`, path: paperPath(n) }));
		jobs.push({ key: 'broken', path: join(dir, 'broken.pdf') });
		const progress: string[] = [];
		const results = await extractAll(jobs, {
			...LIMITS,
			concurrency: 2,
			onProgress: (done, total, key) => progress.push(`${done}/${total} ${key}`)
		});
		expect([...results.keys()].sort()).toEqual(jobs.map((job) => job.key).sort());
		for (let n = 1; n <= 5; n++) {
			expect(results.get(`paper-${n}`)).toMatchObject({
				ok: true,
				pages: [`Paper about ${pageWord(n)}.`]
			});
		}
		expect(reasonOf(results.get('broken'))).toMatch(/^not a PDF/);
		expect(progress.map((line) => line.split(' ')[0])).toEqual([
			'1/6',
			'2/6',
			'3/6',
			'4/6',
			'5/6',
			'6/6'
		]);
	});

	it('reads the largest files first, so that no thread is left alone with a long file at the end', async () => {
		const sized = [1, 4, 2].map((pages) => ({
			key: `pages-${pages}`,
			path: join(dir, `pages-${pages}.pdf`),
			pages
		}));
		for (const { path, pages } of sized) {
			const body = Array.from({ length: pages }, (_, page) =>
				singleColumnPage([pageWord(page + 1)])
			);
			await writeFile(path, makePdf(body));
		}
		const missing = { key: 'missing', path: join(dir, 'missing.pdf') };
		const order: string[] = [];
		const results = await extractAll([missing, ...sized], {
			...LIMITS,
			concurrency: 1,
			onProgress: (_done, _total, key) => order.push(key)
		});
		expect(order).toEqual(['pages-4', 'pages-2', 'pages-1', 'missing']);
		expect(results.get('pages-4')).toMatchObject({ ok: true, pageCount: 4 });
		expect(reasonOf(results.get('missing'))).toMatch(/^unreadable/);
	});

	it('fails only the file whose worker crashes or hangs, and goes on with a fresh worker', async () => {
		const jobs = [
			{ key: 'crash', path: join(dir, 'crash.pdf') },
			{ key: 'paper-1', path: paperPath(1) },
			{ key: 'hang', path: join(dir, 'hang.pdf') },
			{ key: 'paper-2', path: paperPath(2) }
		];
		// timeoutMs 0: the pool kills a silent worker after its grace period alone.
		const results = await extractAll(jobs, {
			...LIMITS,
			timeoutMs: 0,
			concurrency: 1,
			workerUrl: MISBEHAVING_WORKER
		});
		expect(reasonOf(results.get('crash'))).toBe('extractor crashed: deliberate crash on crash.pdf');
		expect(reasonOf(results.get('hang'))).toMatch(/^timed out after \d+ s$/);
		expect(results.get('paper-1')).toMatchObject({
			ok: true,
			pages: [`Paper about ${pageWord(1)}.`]
		});
		expect(results.get('paper-2')).toMatchObject({
			ok: true,
			pages: [`Paper about ${pageWord(2)}.`]
		});
	});

	it('names the page a worker was on when it is killed for keeping its thread busy', async () => {
		// timeoutMs 0: the pool kills the busy worker after its grace period alone.
		const results = await extractAll(
			[
				{ key: 'stall', path: join(dir, 'stall.pdf') },
				{ key: 'paper-3', path: paperPath(3) }
			],
			{ ...LIMITS, timeoutMs: 0, concurrency: 1, workerUrl: MISBEHAVING_WORKER }
		);
		expect(reasonOf(results.get('stall'))).toBe('timed out after 0 s on page 2');
		expect(results.get('paper-3')).toMatchObject({
			ok: true,
			pages: [`Paper about ${pageWord(3)}.`]
		});
	});

	it('runs the threads from the prebuilt bundle, which reads what the TypeScript entry reads', async () => {
		expect(String(await extractWorkerUrl())).toMatch(/node_modules\/\.cache\/glassbox\/.*\.mjs$/);
		const jobs = [1, 2, 3].map((n) => ({ key: `paper-${n}`, path: paperPath(n) }));
		const bundled = await extractAll(jobs, { ...LIMITS, concurrency: 1 });
		const compiled = await extractAll(jobs, {
			...LIMITS,
			concurrency: 1,
			workerUrl: TYPESCRIPT_WORKER_URL
		});
		expect(bundled.get('paper-2')).toMatchObject({
			ok: true,
			pages: [`Paper about ${pageWord(2)}.`]
		});
		expect([...bundled]).toEqual([...compiled]);
	});

	it('lets the process end when threads were started for files that never came', async () => {
		// The ingest starts threads while it hashes; a failure before the files are read must not hang it.
		const script = join(dir, 'reserve-only.mts');
		const pool = join(ROOT, 'scripts/ingest/extract-pool.ts');
		await writeFile(
			script,
			`import { ExtractPool } from ${JSON.stringify(pool)};\n` +
				`new ExtractPool({ concurrency: 2 }).reserve(2);\n` +
				`await new Promise((resolve) => setTimeout(resolve, 3000));\n` +
				`console.log('ended');\n`
		);
		const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script], {
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(run.error).toBeUndefined();
		expect(run.status).toBe(0);
		expect(run.stdout.trim()).toBe('ended');
	});

	it('resolves with an empty map for no jobs', async () => {
		expect((await extractAll([], { ...LIMITS, concurrency: 2 })).size).toBe(0);
	});

	describe.skipIf(!existsSync(join(CORPUS, 'pdf')))('on the shared corpus', () => {
		it('extracts all ten real papers with the page counts of the manifest', async () => {
			const manifest = JSON.parse(await readFile(join(CORPUS, 'manifest.json'), 'utf8')) as {
				papers: { file: string; pages: number }[];
			};
			const jobs = manifest.papers.map((paper) => ({
				key: paper.file,
				path: join(CORPUS, paper.file)
			}));
			const results = await extractAll(jobs, { ...LIMITS, concurrency: 2 });
			expect(results.size).toBe(manifest.papers.length);
			for (const paper of manifest.papers) {
				const result = results.get(paper.file);
				expect(result, paper.file).toMatchObject({ ok: true, pageCount: paper.pages });
				if (result?.ok)
					expect(result.pages.join(' ').length, paper.file).toBeGreaterThan(paper.pages * 200);
			}
		});

		it('gives, from its threads, the very text pdf.js gives in this thread', async () => {
			// The threads run the prebuilt bundle, with the pool's settings; this thread, the sources.
			const files = readdirSync(join(CORPUS, 'pdf')).map((file) => join(CORPUS, 'pdf', file));
			const pooled = await extractAll(
				files.map((path) => ({ key: path, path })),
				{ ...LIMITS, concurrency: 2 }
			);
			for (const path of files) {
				expect(pooled.get(path), path).toEqual(await extractPdf(path, LIMITS));
			}
		});
	});
});
