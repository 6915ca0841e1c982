/**
 * Per-query latency of the search engine in one process, for profiling a change quickly:
 * builds a synthetic corpus in memory (no files) and runs every query class. Also reports how
 * many MiniSearch searches (the metadata index) each query makes and their share of its time.
 *
 *   npx tsx scripts/bench/search-profile.ts [--papers 1000] [--queries 200] [--class phrase]
 *   node --cpu-prof --import tsx scripts/bench/search-profile.ts   (to see where time goes)
 *
 * `--cpu` times each query by the process's CPU time instead of the wall clock: on a shared
 * machine, time spent waiting for a core then does not count (GC threads' time does).
 */
import { parseArgs } from 'node:util';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { buildIndexData } from '../../src/lib/search/index-data.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { CLASSES, makeQueries, syntheticCorpus } from '../../tests/fixtures/search-corpus.ts';

const { values: options } = parseArgs({
	options: {
		papers: { type: 'string', default: '1000' },
		queries: { type: 'string', default: '200' },
		class: { type: 'string', default: '' },
		cpu: { type: 'boolean', default: false },
		slowest: { type: 'boolean', default: false }
	}
});

const corpus = syntheticCorpus({ papers: Number(options.papers) });
const queries = makeQueries(corpus, Number(options.queries));
const start = performance.now();
const data = buildIndexData(corpus.docs);
const engine = new SearchEngine(data, corpus.catalog);
console.log(`built in ${(performance.now() - start).toFixed(0)} ms`);

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
			`  MiniSearch: ${(miniSearchCalls / times.length).toFixed(1)} searches/query, ${((100 * miniSearchMs) / total).toFixed(0)}% of time` +
			`  slowest: ${queries[queryClass][slowest]}`
	);
}
