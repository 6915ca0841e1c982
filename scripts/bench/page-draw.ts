/**
 * `npm run bench:draw`: does search stay fast while hostile pages are drawn? Starts the production
 * server on loopback over a small corpus holding hostile PDFs (a 14,400-pt page, pages of
 * thousands of shapes), asks for those pages' images all at once, and meanwhile searches without
 * pause. Prints `/api/search` latency before and during the drawing, the image answers, and the
 * server's peak resident memory (VmHWM). `--baseline <dir>` runs another build (say, `main`'s)
 * in the same run, on a copy of the same data, for comparison.
 *
 *   npx tsx scripts/bench/page-draw.ts [--baseline <build dir>] [--scale full|half] [--seconds 60]
 */
import { parseArgs } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
	giantPage,
	makePdf,
	manyPages,
	shapesPage,
	singleColumnPage
} from '../../tests/fixtures/pdf/make-pdf.ts';
import { runIngestCli } from '../ingest/run-cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const QUERIES = ['saliency maps', 'findings', 'running header', '"page number"', 'summarised'];
/** A search slower than this counts as timed out. */
const SEARCH_TIMEOUT_MS = 10_000;

const { values: options } = parseArgs({
	options: {
		scale: { type: 'string', default: 'full' },
		seconds: { type: 'string', default: '120' },
		baseline: { type: 'string' }
	}
});

/** Hostile papers: page 2 of each is the attack; `half` uses 7,200-pt pages (a quarter of the pixels). */
function hostilePdfs(scale: 'full' | 'half'): Record<string, Buffer> {
	const side = scale === 'full' ? 14_400 : 7_200;
	const first = (n: number) => singleColumnPage([`Hostile paper ${n}: an ordinary first page.`]);
	return {
		'giant-1': makePdf([first(1), { ...giantPage(['Giant one']), width: side, height: side }]),
		'giant-2': makePdf([first(2), { ...giantPage(['Giant two']), width: side, height: side }]),
		'shapes-1': makePdf([first(3), shapesPage(5_000)]),
		'shapes-2': makePdf([first(4), shapesPage(4_000, { width: side, height: side })])
	};
}

function makePapers(scale: 'full' | 'half'): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-draw-papers-'));
	writeFileSync(join(dir, 'taxonomy.yaml'), readFileSync(join(ROOT, 'papers/taxonomy.yaml')));
	const edition = join(dir, 'bench-2030');
	mkdirSync(edition);
	writeFileSync(join(edition, 'edition.yaml'), 'title: Bench\nyear: 2030\ncomplete: true\n');
	const papers: Record<string, Buffer> = { ...hostilePdfs(scale) };
	for (let i = 1; i <= 20; i++) papers[`ordinary-${i}`] = makePdf(manyPages(10 + i));
	for (const [id, pdf] of Object.entries(papers)) {
		writeFileSync(join(edition, `${id}.pdf`), pdf);
		writeFileSync(join(edition, `${id}.yaml`), `title: Paper ${id}\nauthors: [Ada Lovelace]\n`);
	}
	return dir;
}

function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.on('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => done(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function startServer(
	buildDir: string,
	dataDir: string
): Promise<{ url: string; server: ChildProcess }> {
	const port = await freePort();
	const server = spawn(process.execPath, [buildDir], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`${buildDir}: server exited early`);
		const ok = await fetch(`${url}/api/search?q=findings`).then(
			(r) => r.ok,
			() => false
		);
		if (ok) return { url, server };
		if (Date.now() > deadline) throw new Error(`${buildDir}: server did not start`);
		await new Promise((wake) => setTimeout(wake, 200));
	}
}

/** Searches one query after another until `until()` says stop; returns each latency (ms). */
async function searchLoop(
	url: string,
	until: () => boolean
): Promise<{ times: number[]; timeouts: number; errors: number }> {
	const times: number[] = [];
	let timeouts = 0;
	let errors = 0;
	for (let i = 0; !until(); i++) {
		const started = performance.now();
		try {
			const response = await fetch(
				`${url}/api/search?q=${encodeURIComponent(QUERIES[i % QUERIES.length])}`,
				{
					signal: AbortSignal.timeout(SEARCH_TIMEOUT_MS)
				}
			);
			await response.arrayBuffer();
			if (!response.ok) errors++;
			times.push(performance.now() - started);
		} catch {
			timeouts++;
		}
	}
	return { times, timeouts, errors };
}

const percentile = (sorted: number[], p: number) =>
	sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
const summary = (times: number[]) => {
	const sorted = [...times].sort((a, b) => a - b);
	return `n=${sorted.length} p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(0)} ms`;
};

async function measure(
	label: string,
	buildDir: string,
	sourceData: string,
	ids: string[],
	seconds: number
) {
	const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-bench-draw-data-'));
	cpSync(sourceData, dataDir, { recursive: true });
	const { url, server } = await startServer(buildDir, dataDir);
	try {
		const startMemory = memoryOf(server.pid!);
		const quietEnd = Date.now() + 3_000;
		const quiet = await searchLoop(url, () => Date.now() > quietEnd);
		let settled = 0;
		const started = performance.now();
		const images = ids.map((id) =>
			fetch(`${url}/papers/${id}/page/2.jpg`, { signal: AbortSignal.timeout(seconds * 1000) })
				.then(
					async (response) => {
						await response.arrayBuffer();
						return `${id}: ${response.status}${response.headers.get('Retry-After') ? ` (Retry-After ${response.headers.get('Retry-After')})` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
					},
					(error: Error) =>
						`${id}: no answer (${error.name}) in ${((performance.now() - started) / 1000).toFixed(1)} s`
				)
				.finally(() => settled++)
		);
		const drawing = await searchLoop(url, () => settled === ids.length);
		const answers = await Promise.all(images);
		const memory = memoryOf(server.pid!);
		console.log(`\n${label} (${buildDir})`);
		console.log(
			`  server RSS at start ${startMemory.rssMb.toFixed(0)} MB, peak ${memory.peakMb.toFixed(0)} MB`
		);
		console.log(`  /api/search quiet:          ${summary(quiet.times)}`);
		console.log(
			`  /api/search while drawing:  ${summary(drawing.times)}, ${drawing.timeouts} timed out (>${SEARCH_TIMEOUT_MS / 1000} s), ${drawing.errors} errors`
		);
		for (const answer of answers) console.log(`  image ${answer}`);
	} finally {
		server.kill('SIGTERM');
		await new Promise((done) =>
			server.exitCode !== null ? done(null) : server.once('exit', done)
		);
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const scale = options.scale === 'half' ? 'half' : 'full';
const seconds = Number(options.seconds);
const baseline = options.baseline ? resolve(options.baseline) : null;
const papersDir = makePapers(scale);
const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-bench-draw-source-'));
const ingest = runIngestCli(papersDir, dataDir);
if (ingest.status === 1) throw new Error(`ingest failed:\n${ingest.output}`);
const ids = Object.keys(hostilePdfs(scale));
console.log(
	`page-draw bench: ${ids.length} hostile pages (${scale} size) requested at once; machine load ${(await import('node:os')).loadavg()[0].toFixed(1)}`
);
if (baseline) await measure('baseline', baseline, dataDir, ids, seconds);
await measure('this branch', join(ROOT, 'build'), dataDir, ids, seconds);
rmSync(papersDir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });
