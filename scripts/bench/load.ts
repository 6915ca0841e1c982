/**
 * `npm run bench:load`: many readers at once. Runs the production server (`node build`) on
 * loopback over the shared corpus and, in the same run, a bare `node:http` + MiniSearch server
 * over the same pages (bare-search-server.ts), and loads both with 10, 50 and 200 keep-alive
 * connections cycling through a mix of queries, on `/api/search`, `/search` and a paper page.
 * Prints req/s, p50/p99 latency, errors and timeouts, and the ratio to the bare server; the
 * API is also run with the caches off (SEARCH_CACHE_ENTRIES=0, PAGE_CACHE_BYTES=0), to show the
 * engine's cost.
 * `--baseline <dir>` adds, in the same run, a server from another `vite build` output (say, the
 * previous commit's, copied aside), for a before/after table.
 *
 *   npm run bench:load [-- --seconds 5] [--levels 10,50,200] [--routes /search,/api/search]
 *                      [--data <built DATA_DIR>] [--baseline <build dir>]
 *
 * The load generator shares the machine with both servers: compare within one run, not across
 * machines. On a machine shared with other work, req/s follows whatever else runs; the CPU time
 * each server process spends per answered request (from /proc) does much less, so it is printed
 * too, and "CPU vs bare" (bare's CPU per request over ours) is the share of the bare server's
 * throughput per core. Needs `npm run build` output (built first when missing).
 */
import { parseArgs } from 'node:util';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runIngestCli } from '../ingest/run-cli.ts';
import {
	freePort,
	residentBytes,
	startServer,
	type ServerProcess
} from '../../tests/fixtures/server-process.ts';
import {
	hasSharedCorpus,
	makeSharedCorpusPapersDir,
	sharedPapers
} from '../../tests/fixtures/shared-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** A request still unanswered after this long counts as a timeout. */
const TIMEOUT_MS = 10_000;

const { values: options } = parseArgs({
	options: {
		seconds: { type: 'string', default: '5' },
		levels: { type: 'string', default: '10,50,200' },
		routes: { type: 'string', default: '' },
		data: { type: 'string', default: '' },
		baseline: { type: 'string', default: '' }
	}
});

const seconds = Number(options.seconds);
const levels = options.levels.split(',').map(Number);
const onlyRoutes = options.routes.split(',').filter(Boolean);
const baselineBuild = options.baseline;

/**
 * Ordinary queries of readers of the workshop: single words, several words, phrases, prefixes,
 * a typo, an exclusion, filters; and two words of every paper's title.
 */
const READER_QUERIES = [
	'saliency',
	'saliency maps',
	'grad-cam',
	'gradcam',
	'explainability',
	'interpretability',
	'uncertainty',
	'concept',
	'concept vectors',
	'"concept activation vectors"',
	'counterfactual',
	'counterfactual explanations',
	'attention',
	'attention maps',
	'clinicians',
	'"end users"',
	'user study',
	'chest x-ray',
	'covid',
	'segmentation',
	'classification',
	'regression',
	'mri',
	'histopathology',
	'deep learning',
	'evaluation',
	'evaluating explanations',
	'explan',
	'interpret',
	'saliencey',
	'medical imaging',
	'feature attribution',
	'shapley',
	'lime',
	'prototypes',
	'trust',
	'"saliency maps" -gradient',
	'network',
	'heatmap',
	'multimodal'
];

function queryMix(): string[] {
	const fromTitles = sharedPapers().map((paper) =>
		paper.title
			.toLowerCase()
			.split(/[^a-z0-9]+/)
			.filter((word) => word.length > 3)
			.slice(0, 2)
			.join(' ')
	);
	return [...READER_QUERIES, ...fromTitles.filter(Boolean)];
}

interface LoadResult {
	requests: number;
	/** CPU time the server process spent per answered request (user + system), in ms. */
	cpuMs: number;
	rps: number;
	p50: number;
	p99: number;
	errors: number;
	timeouts: number;
	/** What the errors were: an HTTP status or a socket error's code, with counts. */
	errorKinds: Map<string, number>;
}

/** One GET on a keep-alive agent; resolves with the status once the whole body has arrived. */
function get(url: string, agent: Agent): Promise<number> {
	return new Promise((done, fail) => {
		const req = request(url, { agent }, (response) => {
			response.on('data', () => {});
			response.on('end', () => done(response.statusCode ?? 0));
			response.on('error', fail);
		});
		req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('timeout')));
		req.on('error', fail);
		req.end();
	});
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
function cpuTimeMs(pid: number): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime and stime, in clock ticks (100 per second on Linux).
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return NaN;
	}
}

/**
 * Seconds each run's clients send requests before the measurement starts: the connections are
 * opened then. Without it, the first request of each of 200 connections opened at once queued
 * behind all the others (2.7 s on a loaded 2-core machine, for every server alike), which is the
 * harness's burst, not how readers arrive. Errors and timeouts while settling still count.
 */
const SETTLE_SECONDS = 1;

/** `connections` clients, each sending its next request when the last is answered. */
async function load(
	server: { url: string; pid: number },
	paths: string[],
	connections: number,
	durationSeconds: number
): Promise<LoadResult> {
	const base = server.url;
	const agent = new Agent({ keepAlive: true, maxSockets: connections });
	const latencies: number[] = [];
	let errors = 0;
	let timeouts = 0;
	const errorKinds = new Map<string, number>();
	const failed = (kind: string) => {
		errors++;
		errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
	};
	let next = 0;
	const started = performance.now() + SETTLE_SECONDS * 1000;
	const end = started + durationSeconds * 1000;
	let cpuBefore = NaN;
	const settled = new Promise<void>((wake) =>
		setTimeout(() => {
			cpuBefore = cpuTimeMs(server.pid);
			wake();
		}, SETTLE_SECONDS * 1000)
	);
	const client = async () => {
		while (performance.now() < end) {
			const path = paths[next++ % paths.length];
			const sent = performance.now();
			// The latency of a request sent while settling is left out; a failure never is.
			const measured = sent >= started;
			try {
				const status = await get(`${base}${path}`, agent);
				if (status !== 200) failed(`HTTP ${status}`);
				else if (measured) latencies.push(performance.now() - sent);
			} catch (error) {
				if ((error as Error).message === 'timeout') timeouts++;
				else failed((error as NodeJS.ErrnoException).code ?? (error as Error).message);
			}
		}
	};
	await Promise.all([settled, ...Array.from({ length: connections }, client)]);
	const elapsed = (performance.now() - started) / 1000;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	const at = (p: number) =>
		latencies.length
			? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]
			: NaN;
	return {
		requests: latencies.length,
		cpuMs: (cpuTimeMs(server.pid) - cpuBefore) / Math.max(1, latencies.length),
		rps: latencies.length / elapsed,
		p50: at(0.5),
		p99: at(0.99),
		errors,
		timeouts,
		errorKinds
	};
}

async function startBare(buildDir: string): Promise<{ url: string; pid: number; stop(): void }> {
	const port = await freePort();
	const child: ChildProcess = spawn(
		process.execPath,
		// Not through the tsx CLI, which would run the server in a child: its pid is measured.
		['--import', 'tsx', join(ROOT, 'scripts/bench/bare-search-server.ts'), buildDir, String(port)],
		{ cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }
	);
	const url = `http://127.0.0.1:${port}`;
	for (const deadline = Date.now() + 120_000; ;) {
		if (child.exitCode !== null) throw new Error('bare server exited early');
		try {
			if ((await fetch(`${url}/healthz`)).ok) break;
		} catch {
			// Still indexing.
		}
		if (Date.now() > deadline) throw new Error('bare server did not start');
		await new Promise((wake) => setTimeout(wake, 200));
	}
	return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

function ensureBuilt(): void {
	if (existsSync(join(ROOT, 'build/index.js'))) return;
	console.log('building the app (npm run build)…');
	const result = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'],
		{
			cwd: ROOT,
			stdio: 'inherit'
		}
	);
	if (result.status !== 0) process.exit(result.status ?? 1);
}

function preparedDataDir(): string {
	const given = options.data;
	if (given) return resolve(given);
	const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-bench-load-'));
	console.log(`ingesting the shared corpus into ${dataDir}…`);
	const ingest = runIngestCli(makeSharedCorpusPapersDir(), dataDir);
	if (ingest.status === 1) throw new Error(`ingest failed:\n${ingest.output}`);
	return dataDir;
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

async function main(): Promise<void> {
	if (!hasSharedCorpus) {
		console.log('bench:load skipped: no shared corpus at ../shared/corpus');
		return;
	}
	ensureBuilt();
	const dataDir = preparedDataDir();
	const buildId = readFileSync(join(dataDir, 'current'), 'utf8').trim();
	const buildDir = join(dataDir, 'builds', buildId);
	const papers = sharedPapers().map((paper) => paper.id);
	const queries = queryMix();
	const env = { NODE_ENV: 'production', ORIGIN: 'http://127.0.0.1' };
	const servers: Record<string, ServerProcess> = {
		glassbox: await startServer({ dataDir, env, discardStdout: true }),
		'glassbox, no cache': await startServer({
			dataDir,
			env: { ...env, SEARCH_CACHE_ENTRIES: '0', PAGE_CACHE_BYTES: '0' },
			discardStdout: true
		}),
		...(baselineBuild
			? {
					baseline: await startServer({
						dataDir,
						env,
						discardStdout: true,
						buildDir: resolve(baselineBuild)
					})
				}
			: {})
	};
	const bare = await startBare(buildDir);
	// Interrupted, the servers are stopped too rather than left running.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			for (const server of Object.values(servers)) void server.stop();
			bare.stop();
			process.exit(130);
		});
	}
	const routes = [
		{ name: '/api/search', paths: queries.map((q) => `/api/search?q=${encodeURIComponent(q)}`) },
		{ name: '/search', paths: queries.map((q) => `/search?q=${encodeURIComponent(q)}`) },
		{ name: '/papers/<id>', paths: papers.map((id) => `/papers/${encodeURIComponent(id)}`) }
	];
	console.log(
		`${queries.length} queries, ${papers.length} papers, ${seconds} s per run, ` +
			`levels ${levels.join('/')}; load ${process.platform === 'linux' ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?'}`
	);
	console.log(
		'route          conns  server               req/s    p50 ms   p99 ms  errors  timeouts  CPU ms/req  req/s vs bare  CPU vs bare'
	);
	try {
		for (const route of routes.filter((r) => !onlyRoutes.length || onlyRoutes.includes(r.name))) {
			type Target = { url: string; pid: number };
			const contenders: [string, Target][] = [
				['glassbox', servers.glassbox],
				...(servers.baseline ? [['baseline', servers.baseline] as [string, Target]] : []),
				...(route.name === '/api/search'
					? [['glassbox, no cache', servers['glassbox, no cache']] as [string, Target]]
					: []),
				['bare', bare]
			];
			// Warm up every server on this route (JIT, the cache), outside the measured runs.
			for (const [, target] of contenders) await load(target, route.paths, 10, 1);
			for (const connections of levels) {
				const results = new Map<string, LoadResult>();
				// Interleaved: each level runs on every server back to back, under the same load.
				for (const [name, target] of contenders) {
					results.set(name, await load(target, route.paths, connections, seconds));
				}
				const baseline = results.get('bare')!;
				for (const [name, result] of results) {
					console.log(
						`${route.name.padEnd(14)} ${String(connections).padStart(5)}  ${name.padEnd(19)}` +
							`${fixed(result.rps).padStart(7)}  ${fixed(result.p50, 1).padStart(8)} ${fixed(result.p99, 1).padStart(8)}` +
							`  ${String(result.errors).padStart(6)}  ${String(result.timeouts).padStart(8)}` +
							`  ${fixed(result.cpuMs, 2).padStart(7)}` +
							`  ${name === 'bare' ? '' : `${fixed(result.rps / baseline.rps, 2)}×  ${fixed(baseline.cpuMs / result.cpuMs, 2)}×`}`
					);
					if (result.errorKinds.size) {
						const kinds = [...result.errorKinds].map(([kind, count]) => `${kind} ×${count}`);
						console.log(`${' '.repeat(22)}errors: ${kinds.join(', ')}`);
					}
				}
			}
		}
		for (const [name, server] of Object.entries(servers)) {
			const rss = await residentBytes(server.pid);
			console.log(`memory after the runs: ${name} ${rss ? fixed(rss / 2 ** 20) : '?'} MB resident`);
		}
		const bareRss = await residentBytes(bare.pid);
		console.log(
			`memory after the runs: bare ${bareRss ? fixed(bareRss / 2 ** 20) : '?'} MB resident (tsx included)`
		);
	} finally {
		await Promise.all(Object.values(servers).map((server) => server.stop()));
		bare.stop();
	}
}

await main();
