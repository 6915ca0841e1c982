/**
 * Benchmarks the ingest against poppler's `pdftotext` on the same files, in the same run:
 * `npm run bench:ingest [-- pdf-dir] [--concurrency N]` (default: ../shared/corpus/pdf).
 * Prints pages per second for the extraction pool alone, for the whole `npm run ingest` (cold,
 * then with nothing changed) on the shared corpus in papers format, and for pdftotext.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { extractAll } from '../ingest/extract-pool.ts';
import { runIngestCli } from '../ingest/run-cli.ts';
import { hasSharedCorpus, makeSharedCorpusPapersDir } from '../../tests/fixtures/shared-corpus.ts';

const run = promisify(execFile);

const args = process.argv.slice(2);
const concurrencyFlag = args.indexOf('--concurrency');
const concurrency =
	concurrencyFlag >= 0 ? Number(args.splice(concurrencyFlag, 2)[1]) : availableParallelism();
const pdfDir = resolve(args[0] ?? join(import.meta.dirname, '../../../shared/corpus/pdf'));
if (!existsSync(pdfDir)) {
	console.error(`bench:ingest: ${pdfDir}: no such directory`);
	process.exit(1);
}
const files = readdirSync(pdfDir)
	.filter((name) => name.toLowerCase().endsWith('.pdf'))
	.sort()
	.map((name) => join(pdfDir, name));

/** Runs `tasks` with at most `limit` in flight, like the worker pool does. */
async function inParallel(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
	const queue = [...tasks];
	await Promise.all(
		Array.from({ length: Math.min(limit, queue.length) }, async () => {
			for (let task = queue.shift(); task; task = queue.shift()) await task();
		})
	);
}

function rate(pages: number, ms: number): string {
	return `${(pages / (ms / 1000)).toFixed(1)} pages/s (${pages} pages in ${(ms / 1000).toFixed(2)} s)`;
}

const started = performance.now();
let firstDone = 0;
const results = await extractAll(
	files.map((path) => ({ key: path, path })),
	{
		maxBytes: 100 * 1024 * 1024,
		maxPages: 2000,
		concurrency,
		onProgress: (done) => {
			if (done === 1) firstDone = performance.now();
		}
	}
);
const glassboxMs = performance.now() - started;
let pages = 0;
for (const [path, result] of results) {
	if (result.ok) pages += result.pageCount;
	else console.error(`${path}: ${result.reason}`);
}

let popplerMs: number | null = null;
try {
	await run('pdftotext', ['-v']);
	const popplerStart = performance.now();
	await inParallel(
		files.map((path) => async () => {
			await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { maxBuffer: 1 << 28 });
		}),
		concurrency
	);
	popplerMs = performance.now() - popplerStart;
} catch {
	console.error('bench:ingest: pdftotext not found (Debian: apt-get install poppler-utils)');
}

console.log(`files: ${files.length}, pages: ${pages}, concurrency: ${concurrency}`);
console.log(`glassbox extractAll: ${rate(pages, glassboxMs)}`);
console.log(
	`  of which worker start-up and first file: ${((firstDone - started) / 1000).toFixed(2)} s`
);
if (popplerMs !== null) {
	console.log(`pdftotext -layout:   ${rate(pages, popplerMs)}`);
	console.log(
		`ratio: glassbox takes ${(glassboxMs / popplerMs).toFixed(1)}× the time of pdftotext`
	);
}

/** Runs the real CLI as a user would, and returns its wall time in ms. */
function timeIngestCli(papersDir: string, dataDir: string): number {
	const run = runIngestCli(papersDir, dataDir);
	if (run.status !== 0) console.error(run.output);
	return run.ms;
}

if (hasSharedCorpus && args[0] === undefined) {
	const papersDir = makeSharedCorpusPapersDir();
	const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-bench-ingest-'));
	const coldMs = timeIngestCli(papersDir, dataDir);
	const warmMs = timeIngestCli(papersDir, dataDir);
	console.log(`npm run ingest (cold, ${files.length} papers): ${rate(pages, coldMs)}`);
	console.log(`npm run ingest (nothing changed):   ${(warmMs / 1000).toFixed(2)} s`);
	if (popplerMs !== null) {
		console.log(
			`ratio: npm run ingest takes ${(coldMs / popplerMs).toFixed(1)}× the time of pdftotext`
		);
	}
}
