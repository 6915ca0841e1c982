/**
 * `npm run bench:search`: speed and size of the Glassbox index on seeded synthetic corpora
 * (Zipf vocabulary, ~6,000 words a paper, 500-word pages), next to plain MiniSearch with one
 * document per paper, in the same run. Every measurement runs in its own child process so load
 * time and heap are those of a fresh server.
 *
 *   npx tsx scripts/bench/search.ts [--sizes 100,1000,10000] [--queries 200] [--no-baseline]
 *     [--baseline-max 10000]
 *
 * With `--compare <checkout>[,<checkout>…]` (other versions of Glassbox, e.g. `git worktree add
 * /tmp/base main` with its node_modules; the first is the baseline), each size's index is built
 * once and queried by this version's engine and by each checkout's for `--rounds` rounds
 * (default 3): in each round every version is loaded in its own process, and they take turns
 * running each class's queries a quarter at a time, the order rotated, so that a busy machine
 * weighs on all alike. The medians are printed side by side with the change against the
 * baseline, and so is the median of each version's per-round changes with their range. `--indexes <dir>`
 * keeps each checkout's built index in `<dir>/<checkout folder>-<papers>-<queries>` and reuses it
 * in later runs (a 10,000-paper index takes minutes to build; delete the folder when a checkout's
 * index format changes).
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { runBenchChild, startBenchServer, type BenchServer } from './child.ts';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import MiniSearch from 'minisearch';
import { buildIndexData } from '../../src/lib/search/index-data.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { writeIndexData } from '../../src/lib/server/search-storage.ts';
import {
	CLASSES,
	catalogForIndex,
	makeQueries,
	syntheticCorpus,
	type Queries,
	type QueryClass
} from '../../tests/fixtures/search-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');

function directorySize(dir: string): { raw: number; gzip: number } {
	let raw = 0;
	let gzip = 0;
	for (const name of readdirSync(dir)) {
		if (name === 'queries.json') continue;
		const file = join(dir, name);
		raw += statSync(file).size;
		gzip += gzipSync(readFileSync(file), { level: 6 }).length;
	}
	return { raw, gzip };
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function latencies(
	run: (q: string) => void,
	queries: string[]
): { p50: number; p95: number; p99: number } {
	const times: number[] = [];
	for (const q of queries) {
		const start = performance.now();
		run(q);
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

function memory() {
	(globalThis as { gc?: () => void }).gc?.();
	const usage = process.memoryUsage();
	return {
		heapUsed: usage.heapUsed,
		// `external` already includes the array buffers (the index files read into memory).
		external: usage.external,
		rss: usage.rss
	};
}

// ------------------------------------------------------------------ child processes

async function buildChild(
	engine: string,
	papers: number,
	dir: string,
	perClass: number,
	root = ROOT
) {
	const corpus = syntheticCorpus({ papers });
	writeFileSync(join(dir, 'queries.json'), JSON.stringify(makeQueries(corpus, perClass)));
	// Another checkout builds its own index: index formats differ between versions.
	const { build, write } =
		root === ROOT ? { build: buildIndexData, write: writeIndexData } : await indexWriterOf(root);
	const start = performance.now();
	if (engine === 'glassbox') {
		const data = build(corpus.docs);
		const buildMs = performance.now() - start;
		await write(dir, data);
		return { buildMs, words: corpus.docs.reduce((n, doc) => n + doc.body.split(' ').length, 0) };
	}
	const index = new MiniSearch({
		fields: ['title', 'authors', 'abstract', 'keywords', 'body'],
		storeFields: ['id']
	});
	index.addAll(
		corpus.catalog.papers.map((paper) => ({
			id: paper.id,
			title: paper.title,
			authors: paper.authors.map((author) => author.name).join('; '),
			abstract: paper.abstract,
			keywords: paper.keywords.join('; '),
			body: corpus.docs
				.filter((doc) => doc.paperId === paper.id)
				.map((doc) => doc.body)
				.join(' ')
		}))
	);
	const buildMs = performance.now() - start;
	writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
	return { buildMs };
}

/** The index builder and writer of the Glassbox checkout at `root`. */
async function indexWriterOf(root: string) {
	const module = (path: string) => import(pathToFileURL(join(root, path)).href);
	const { buildIndexData: build } = (await module(
		'src/lib/search/index-data.ts'
	)) as typeof import('../../src/lib/search/index-data.ts');
	const { writeIndexData: write } = (await module(
		'src/lib/server/search-storage.ts'
	)) as typeof import('../../src/lib/server/search-storage.ts');
	return { build, write };
}

/** The engine and index reader of the Glassbox checkout at `root` (this one, or `--compare`'s). */
async function glassboxOf(root: string) {
	const module = (path: string) => import(pathToFileURL(join(root, path)).href);
	const { SearchEngine } = (await module(
		'src/lib/search/engine.ts'
	)) as typeof import('../../src/lib/search/engine.ts');
	const { readIndexData } = (await module(
		'src/lib/server/search-storage.ts'
	)) as typeof import('../../src/lib/server/search-storage.ts');
	return { SearchEngine, readIndexData };
}

/** A loaded engine (this checkout's or `root`'s, or plain MiniSearch) and its queries, warmed up. */
async function loadForQueries(engine: string, dir: string, root = ROOT) {
	const queries = JSON.parse(readFileSync(join(dir, 'queries.json'), 'utf8')) as Queries;
	// Imported before the clock starts: load time is the index's, not the compiling of modules.
	const { SearchEngine, readIndexData } = await glassboxOf(root);
	const before = memory();
	const start = performance.now();
	let run: (q: string, queryClass: QueryClass) => void;
	if (engine === 'glassbox') {
		const data = await readIndexData(dir);
		const searchEngine = new SearchEngine(data, catalogForIndex(data.paperIds));
		run = (q) => void searchEngine.search(searchParams({ q }));
	} else {
		const index = MiniSearch.loadJSON(readFileSync(join(dir, 'index.json'), 'utf8'), {
			fields: ['title', 'authors', 'abstract', 'keywords', 'body'],
			storeFields: ['id']
		});
		// Plain MiniSearch needs its own options to offer prefix and typo matching.
		run = (q, queryClass) =>
			void index.search(q.replace(/"/g, ''), {
				prefix: queryClass === 'prefix',
				fuzzy: queryClass === 'fuzzy' ? 0.2 : false,
				combineWith: queryClass === 'phrase' ? 'AND' : 'OR'
			});
	}
	const loadMs = performance.now() - start;
	const after = memory();
	// Every class warms up before any is timed: the process's CPU time includes the compiler's
	// threads, and otherwise the class timed first pays for compiling the code all classes share.
	for (const c of CLASSES) for (const q of queries[c].slice(0, 10)) run(q, c);
	const loaded = {
		loadMs,
		heapBytes: after.heapUsed - before.heapUsed,
		externalBytes: after.external - before.external,
		rssBytes: after.rss
	};
	return { queries, run, loaded };
}

/** The process's CPU time so far, all threads (the garbage collector's and compiler's included). */
function cpuMsSoFar(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}

async function queryChild(engine: string, dir: string, root = ROOT) {
	const { queries, run, loaded } = await loadForQueries(engine, dir, root);
	// CPU time per query besides wall latency: on a loaded machine waiting for a core is not work.
	const cpuMs: Record<string, number> = {};
	const perClass = Object.fromEntries(
		CLASSES.map((c) => {
			const cpuBefore = cpuMsSoFar();
			const figures = latencies((q) => run(q, c), queries[c]);
			cpuMs[c] = (cpuMsSoFar() - cpuBefore) / Math.max(1, queries[c].length);
			return [c, figures];
		})
	);
	return { ...loaded, latency: perClass, cpuMs };
}

/** A batch of one class's queries for a serving child, or (no class) a request for its CPU time. */
interface BatchRequest {
	queryClass?: QueryClass;
	from?: number;
	to?: number;
}

/** A serving child's answer: the batch's query times, and its CPU time when the batch started. */
interface BatchAnswer {
	times: number[];
	cpuMs: number;
}

/**
 * A query child that stays up (`--compare`): loads the index, says so, then runs the batches of
 * queries it is sent, one line of JSON each, until its input ends.
 */
async function serveChild(dir: string, root: string) {
	const { queries, run, loaded } = await loadForQueries('glassbox', dir, root);
	console.log(JSON.stringify(loaded));
	for await (const line of createInterface({ input: process.stdin })) {
		const { queryClass, from = 0, to = 0 } = JSON.parse(line) as BatchRequest;
		const cpuMs = cpuMsSoFar();
		const times: number[] = [];
		for (const q of queryClass ? queries[queryClass].slice(from, to) : []) {
			const start = performance.now();
			run(q, queryClass!);
			times.push(performance.now() - start);
		}
		console.log(JSON.stringify({ times, cpuMs } satisfies BatchAnswer));
	}
}

function spawnChild(args: string[], heapMb = 6144): unknown {
	return runBenchChild(import.meta.filename, args, [
		`--max-old-space-size=${heapMb}`,
		'--expose-gc'
	]);
}

// ------------------------------------------------------------------ report

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;

type QueryFigures = Awaited<ReturnType<typeof queryChild>>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** A ratio as a signed change: 1.13 → `+13%`. */
const percent = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)}%`;

/** A figure this much above the base's in every round of a comparison is flagged as slower. */
const SLOWER_BOUND = 1.1;

/** Batches each class's queries are cut into, so that the versions take turns within a class. */
const BATCHES_PER_CLASS = 4;

/**
 * One round of a comparison: each version's engine loaded in its own child (one after the other,
 * the order rotated by round), then every class's queries run batch by batch, the versions taking
 * turns (the order rotated by batch), so that a busy minute weighs on all of them alike. A batch's
 * CPU time runs to the start of that child's next batch: what its collector or compiler does while
 * the others take their turn is still its own.
 */
async function interleavedRound(
	sides: string[],
	dirs: string[],
	perClass: number,
	round: number
): Promise<QueryFigures[]> {
	const order = sides.map((_, i) => (i + round) % sides.length);
	const servers: BenchServer[] = [];
	const loaded: Omit<QueryFigures, 'latency' | 'cpuMs'>[] = [];
	try {
		for (const side of order) {
			servers[side] = startBenchServer(
				import.meta.filename,
				['--child-serve', dirs[side], sides[side]],
				[`--max-old-space-size=6144`, '--expose-gc']
			);
			loaded[side] = (await servers[side].ready) as (typeof loaded)[number];
		}
		const times = sides.map(() => new Map<QueryClass, number[]>());
		// Per side, the CPU time at the start of each batch, and the class of that batch.
		const starts = sides.map((): { queryClass: QueryClass | null; cpuMs: number }[] => []);
		let turn = 0;
		for (const queryClass of CLASSES) {
			for (let batch = 0; batch < BATCHES_PER_CLASS; batch++, turn++) {
				for (let k = 0; k < order.length; k++) {
					const side = order[(k + turn) % order.length];
					const answer = (await servers[side].ask({
						queryClass,
						from: Math.round((batch * perClass) / BATCHES_PER_CLASS),
						to: Math.round(((batch + 1) * perClass) / BATCHES_PER_CLASS)
					} satisfies BatchRequest)) as BatchAnswer;
					starts[side].push({ queryClass, cpuMs: answer.cpuMs });
					times[side].set(queryClass, [...(times[side].get(queryClass) ?? []), ...answer.times]);
				}
			}
		}
		for (const side of order) {
			const { cpuMs } = (await servers[side].ask({} satisfies BatchRequest)) as BatchAnswer;
			starts[side].push({ queryClass: null, cpuMs });
		}
		return sides.map((_, side) => {
			const cpuMs: Record<string, number> = {};
			starts[side].forEach(({ queryClass, cpuMs: at }, i) => {
				if (queryClass)
					cpuMs[queryClass] = (cpuMs[queryClass] ?? 0) + starts[side][i + 1].cpuMs - at;
			});
			const latency = Object.fromEntries(
				CLASSES.map((queryClass) => {
					const sorted = (times[side].get(queryClass) ?? []).sort((a, b) => a - b);
					cpuMs[queryClass] /= Math.max(1, sorted.length);
					const at = (p: number) => percentile(sorted, p);
					return [queryClass, { p50: at(50), p95: at(95), p99: at(99) }];
				})
			) as QueryFigures['latency'];
			return { ...loaded[side], latency, cpuMs };
		});
	} finally {
		await Promise.all(servers.map((server) => server?.close()));
	}
}

/**
 * This version's engine against those of other checkouts (`roots`, the first the baseline), on
 * the same index, run in turn and in a rotating order.
 */
async function compare(
	papers: number,
	perClass: number,
	roots: string[],
	rounds: number,
	kept: string | undefined
): Promise<void> {
	const sides = [ROOT, ...roots];
	// Each checkout queries the index it builds itself (same seeded corpus and queries).
	const dirs = sides.map((root) =>
		kept
			? join(kept, `${basename(root)}-${papers}-${perClass}`)
			: mkdtempSync(join(tmpdir(), 'glassbox-bench-compare-'))
	);
	try {
		sides.forEach((root, i) => {
			if (existsSync(join(dirs[i], 'queries.json'))) return;
			mkdirSync(dirs[i], { recursive: true });
			spawnChild(['--child-build', 'glassbox', String(papers), dirs[i], String(perClass), root]);
		});
		const runs = sides.map((): QueryFigures[] => []);
		for (let round = 0; round < rounds; round++) {
			const figures = await interleavedRound(sides, dirs, perClass, round);
			figures.forEach((side, i) => runs[i].push(side));
		}
		const names = ['this', 'base', ...roots.slice(1).map((_, i) => `other${i + 1}`)];
		const legend = roots.map((root, i) => `${names[i + 1]}: ${root}`).join(', ');
		console.log(`${papers} papers — median of ${rounds} runs each, interleaved; ${legend}`);
		console.log(
			'  then, per version, the median of its per-round changes against the base run in the same' +
				' round [smallest, largest]'
		);
		const others = sides.map((_, i) => i).filter((i) => i !== 1);
		console.log(
			`  ${''.padEnd(12)}${names.map((name, i) => name.padStart(i === 1 ? 10 : 16)).join('')}` +
				others.map((i) => `${names[i]} per round`.padStart(24)).join('')
		);
		const steady: string[] = [];
		const row = (label: string, pick: (figures: QueryFigures) => number) => {
			const medians = runs.map((figures) => median(figures.map(pick)));
			const base = medians[1];
			const cells = medians.map((value, i) => {
				const change = i === 1 ? '' : ` ${percent(value / base)}`;
				return `${ms(value)}${change}`.padStart(i === 1 ? 10 : 16);
			});
			const paired = others.map((i) => {
				const ratios = runs[i].map((figures, round) => pick(figures) / pick(runs[1][round]));
				const sorted = [...ratios].sort((a, b) => a - b);
				// A cost that shows in every round is real, whatever the noise between rounds.
				if (sorted[0] > SLOWER_BOUND) steady.push(`${label} (${names[i]})`);
				const spread = `[${percent(sorted[0])}, ${percent(sorted[sorted.length - 1])}]`;
				return `${percent(median(ratios))} ${spread}`.padStart(24);
			});
			console.log(`  ${label.padEnd(12)}${cells.join('')}${paired.join('')}`);
		};
		row('load', (figures) => figures.loadMs);
		for (const queryClass of CLASSES) {
			row(`${queryClass} p50`, (figures) => figures.latency[queryClass].p50);
			row(`${queryClass} p95`, (figures) => figures.latency[queryClass].p95);
			row(`${queryClass} cpu`, (figures) => figures.cpuMs?.[queryClass] ?? NaN);
		}
		const bound = percent(SLOWER_BOUND);
		console.log(
			steady.length
				? `  slower than the base by more than ${bound} in every round: ${steady.join(', ')}`
				: `  no figure slower than the base by more than ${bound} in every round`
		);
		console.log('');
	} finally {
		if (!kept) for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	}
}

async function main() {
	const { values: options } = parseArgs({
		options: {
			sizes: { type: 'string', default: '100,1000,10000' },
			queries: { type: 'string', default: '200' },
			'no-baseline': { type: 'boolean', default: false },
			'baseline-max': { type: 'string', default: '10000' },
			compare: { type: 'string' },
			rounds: { type: 'string', default: '3' },
			indexes: { type: 'string' }
		}
	});
	const sizes = options.sizes.split(',').map(Number);
	const perClass = Number(options.queries);
	const baselineMax = options['no-baseline'] ? 0 : Number(options['baseline-max']);
	console.log(
		`bench:search — synthetic corpora, ~6,000 words per paper in 500-word pages; ${perClass} queries per class\n`
	);
	if (options.compare !== undefined) {
		const roots = options.compare.split(',').map((root) => resolve(root));
		const rounds = Number(options.rounds);
		const kept = options.indexes === undefined ? undefined : resolve(options.indexes);
		for (const papers of sizes) await compare(papers, perClass, roots, rounds, kept);
		return;
	}
	for (const papers of sizes) {
		for (const engine of ['glassbox', 'plain-minisearch']) {
			if (engine !== 'glassbox' && papers > baselineMax) continue;
			const dir = mkdtempSync(join(tmpdir(), `glassbox-bench-${engine}-`));
			try {
				const built = spawnChild([
					'--child-build',
					engine,
					String(papers),
					dir,
					String(perClass)
				]) as { buildMs: number };
				const size = directorySize(dir);
				const loaded = spawnChild(['--child-query', engine, dir]) as Awaited<
					ReturnType<typeof queryChild>
				>;
				console.log(
					`${papers} papers — ${engine === 'glassbox' ? 'Glassbox (page-level, compact files)' : 'plain MiniSearch (one doc per paper, JSON)'}`
				);
				console.log(
					`  build ${ms(built.buildMs)}  size ${mib(size.raw)} raw / ${mib(size.gzip)} gzip  load ${ms(loaded.loadMs)}`
				);
				console.log(
					`  after load: JS heap +${mib(loaded.heapBytes)}, external (array buffers) +${mib(loaded.externalBytes)}, process RSS ${mib(loaded.rssBytes)}`
				);
				for (const queryClass of CLASSES) {
					const l = loaded.latency[queryClass];
					console.log(
						`  ${queryClass.padEnd(7)} p50 ${ms(l.p50).padStart(9)}  p95 ${ms(l.p95).padStart(9)}  p99 ${ms(l.p99).padStart(9)}`
					);
				}
				console.log('');
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	}
}

if (process.argv[2] === '--child-build') {
	const [engine, papers, dir, perClass, root] = process.argv.slice(3);
	console.log(
		JSON.stringify(await buildChild(engine, Number(papers), dir, Number(perClass), root))
	);
} else if (process.argv[2] === '--child-serve') {
	const [dir, root] = process.argv.slice(3);
	await serveChild(dir, root);
} else if (process.argv[2] === '--child-query') {
	const [engine, dir, root] = process.argv.slice(3);
	console.log(JSON.stringify(await queryChild(engine, dir, root)));
} else {
	await main();
}
