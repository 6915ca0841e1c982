/**
 * Per-query latency of the search engine in one process, for profiling a change quickly:
 * builds a synthetic corpus in memory (no files) and runs every query class. Also reports how
 * many MiniSearch searches (the metadata index) each query makes and their share of its time.
 *
 *   npx tsx scripts/bench/search-profile.ts [--papers 1000] [--queries 200] [--class phrase]
 *     [--root <checkout>] [--dir <index dir>] [--cpu] [--gc] [--alloc]
 *   node --cpu-prof --import tsx scripts/bench/search-profile.ts   (to see where time goes)
 *
 * `--cpu` times each query by the process's CPU time instead of the wall clock: on a shared
 * machine, time spent waiting for a core then does not count (GC threads' time does).
 * `--gc` adds, per class, the garbage collections the queries caused and their pauses; `--alloc`
 * samples what the queries allocate (collected objects included) and names the functions that
 * allocate most. `--root` profiles another checkout's engine (e.g. the one before a change) on
 * the same corpus and queries. `--dir` keeps the index and queries in a folder, written by the
 * first run and loaded from disk by the next ones, as bench:search loads them (10,000 papers take
 * minutes to build; the run that writes them stops there).
 */
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	CLASSES,
	catalogForIndex,
	makeQueries,
	syntheticCorpus,
	type Queries
} from '../../tests/fixtures/search-corpus.ts';

const { values: options } = parseArgs({
	options: {
		papers: { type: 'string', default: '1000' },
		queries: { type: 'string', default: '200' },
		class: { type: 'string', default: '' },
		root: { type: 'string', default: resolve(import.meta.dirname, '../..') },
		dir: { type: 'string', default: '' },
		cpu: { type: 'boolean', default: false },
		slowest: { type: 'boolean', default: false },
		gc: { type: 'boolean', default: false },
		alloc: { type: 'boolean', default: false }
	}
});

const root = resolve(options.root);
const module = (path: string) => import(pathToFileURL(join(root, path)).href);
const { SearchEngine } = (await module(
	'src/lib/search/engine.ts'
)) as typeof import('../../src/lib/search/engine.ts');
const { buildIndexData } = (await module(
	'src/lib/search/index-data.ts'
)) as typeof import('../../src/lib/search/index-data.ts');
const { searchParams } = (await module(
	'src/lib/search/params.ts'
)) as typeof import('../../src/lib/search/params.ts');

const { readIndexData, writeIndexData } = (await module(
	'src/lib/server/search-storage.ts'
)) as typeof import('../../src/lib/server/search-storage.ts');

/** The engine and queries: built in memory, or (with `--dir`) read from the folder, written first. */
async function prepare() {
	const dir = options.dir && resolve(options.dir);
	const queriesFile = dir && join(dir, 'queries.json');
	if (!queriesFile || !existsSync(queriesFile)) {
		const corpus = syntheticCorpus({ papers: Number(options.papers) });
		const queries = makeQueries(corpus, Number(options.queries));
		const start = performance.now();
		const data = buildIndexData(corpus.docs);
		console.log(`${root}: built in ${(performance.now() - start).toFixed(0)} ms`);
		if (!dir) return { data, queries, engine: new SearchEngine(data, corpus.catalog) };
		mkdirSync(dir, { recursive: true });
		await writeIndexData(dir, data);
		writeFileSync(queriesFile, JSON.stringify(queries));
		// Profiled in a fresh process, whose heap holds the loaded index only, as a server's does.
		console.log(`written to ${dir}: run again to profile`);
		process.exit(0);
	}
	const queries = JSON.parse(readFileSync(queriesFile, 'utf8')) as Queries;
	const data = await readIndexData(dir);
	return { data, queries, engine: new SearchEngine(data, catalogForIndex(data.paperIds)) };
}
const { data, queries, engine } = await prepare();

// Count and time the metadata index's searches without changing what they return.
const metadataSearch = data.metadata.search.bind(data.metadata);
let miniSearchCalls = 0;
let miniSearchMs = 0;
data.metadata.search = (...args: Parameters<typeof metadataSearch>) => {
	const before = performance.now();
	const results = metadataSearch(...args);
	miniSearchMs += performance.now() - before;
	miniSearchCalls++;
	return results;
};

// Garbage collections, as V8 reports them (after the fact: read once the event loop turns).
const collections: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
if (options.gc) observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((done) => setImmediate(done));

/** A sampled allocation profile's node: a function, the bytes it allocated itself, its callees. */
interface AllocationNode {
	callFrame: { functionName: string; url: string; lineNumber: number };
	selfSize: number;
	children: AllocationNode[];
}
const session = new Session();
if (options.alloc) session.connect();

/** The functions that allocated most in a sampled profile, with their bytes. */
function topAllocators(head: AllocationNode, count: number): [string, number][] {
	const bytes = new Map<string, number>();
	const visit = (node: AllocationNode) => {
		const { functionName, url, lineNumber } = node.callFrame;
		const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
		bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
		node.children.forEach(visit);
	};
	visit(head);
	return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, count);
}

const only = options.class;
const cpuClock = options.cpu;
const now = (): number => {
	if (!cpuClock) return performance.now();
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};
for (const queryClass of CLASSES.filter((c) => !only || c === only)) {
	const times: number[] = [];
	// Warm up as bench:search does, so that compiling the code is not timed.
	for (const q of queries[queryClass].slice(0, 10)) engine.search(searchParams({ q }));
	miniSearchCalls = 0;
	miniSearchMs = 0;
	await settle();
	collections.length = 0;
	if (options.alloc) {
		await session.post('HeapProfiler.startSampling', {
			samplingInterval: 4096,
			includeObjectsCollectedByMajorGC: true,
			includeObjectsCollectedByMinorGC: true
		});
	}
	for (const q of queries[queryClass]) {
		const before = now();
		engine.search(searchParams({ q }));
		times.push(now() - before);
	}
	const total = times.reduce((sum, time) => sum + time, 0);
	const slowest = times.indexOf(Math.max(...times));
	if (options.slowest) {
		const order = times.map((time, i) => i).sort((a, b) => times[b] - times[a]);
		for (const i of order.slice(0, 8))
			console.log(`  ${times[i].toFixed(2)} ms  ${queries[queryClass][i]}`);
	}
	times.sort((a, b) => a - b);
	const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
	console.log(
		`${queryClass.padEnd(7)} p50 ${at(0.5).toFixed(2)} ms  p95 ${at(0.95).toFixed(2)} ms  p99 ${at(0.99).toFixed(2)} ms` +
			`  mean ${(total / times.length).toFixed(2)} ms` +
			`  MiniSearch: ${(miniSearchCalls / times.length).toFixed(1)} searches/query, ${((100 * miniSearchMs) / total).toFixed(0)}% of time` +
			`  slowest: ${queries[queryClass][slowest]}`
	);
	if (options.gc) {
		await settle();
		const kinds = new Map<string, { count: number; ms: number }>();
		for (const entry of collections) {
			const kind = String(
				(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind
			);
			const sum = kinds.get(kind) ?? { count: 0, ms: 0 };
			sum.count++;
			sum.ms += entry.duration;
			kinds.set(kind, sum);
		}
		// V8's kinds: 1 minor (scavenge), 2 major (mark-compact), 4 incremental marking, 8 weak callbacks.
		const summary = [...kinds]
			.map(([kind, { count, ms }]) => `kind ${kind}: ${count} × = ${ms.toFixed(0)} ms`)
			.join(', ');
		console.log(`  gc: ${summary || 'none'}`);
	}
	if (options.alloc) {
		const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
			profile: { head: AllocationNode };
		};
		const top = topAllocators(profile.head, 12);
		const sum = topAllocators(profile.head, Infinity).reduce((s, [, bytes]) => s + bytes, 0);
		console.log(`  allocated ~${(sum / times.length / 1024).toFixed(0)} KiB/query; most by:`);
		for (const [name, bytes] of top)
			console.log(`    ${(bytes / times.length / 1024).toFixed(1).padStart(8)} KiB/q  ${name}`);
	}
}
observer.disconnect();
if (options.alloc) session.disconnect();
