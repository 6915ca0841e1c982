/**
 * `npm run bench:hostile`: the CPU time of the worst queries we know (tests/fixtures/
 * hostile-queries.ts) on a synthetic corpus with stop words and single letters in its text,
 * for this checkout's engine and, in the same run, other checkouts' (`--compare`, the first the
 * baseline). Each round queries every engine in its own child process, in an order rotated per
 * round; CPU time (`process.cpuUsage`) rather than wall time, since the machine may be busy.
 *
 *   npx tsx scripts/bench/hostile.ts [--papers 10000] [--rounds 3] [--compare <checkout>,…]
 */
import { runBenchChild } from './child.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIndexData } from '../../src/lib/search/index-data.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { writeIndexData } from '../../src/lib/server/search-storage.ts';
import { hostileQueries, type HostileQuery } from '../../tests/fixtures/hostile-queries.ts';
import {
	catalogForIndex,
	makeQueries,
	syntheticCorpus
} from '../../tests/fixtures/search-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Share of stop words and single letters in the page text (English has about a third). */
const FILLER = 0.3;

interface QueryFigures {
	/** Milliseconds of CPU (user + system) per hostile query, by name. */
	cpuMs: Record<string, number>;
	/** Whether the engine said the answer was partial (undefined: it cannot say). */
	partial: Record<string, boolean | undefined>;
	/** Median CPU milliseconds of ordinary queries, for scale. */
	ordinaryMs: number;
	/** How many ordinary queries the engine cut short (said partial). */
	ordinaryCut: number;
}

async function buildChild(papers: number, dir: string): Promise<void> {
	const corpus = syntheticCorpus({ papers, filler: FILLER });
	writeFileSync(
		join(dir, 'queries.json'),
		JSON.stringify({
			hostile: hostileQueries(corpus.vocabulary),
			// The same attacks from other words: they warm the code up without filling the caches
			// the measured ones would use (an attacker varies the words).
			warmUp: hostileQueries({ ...corpus.vocabulary, words: corpus.vocabulary.words.slice(300) }),
			ordinary: Object.values(makeQueries(corpus, 10)).flat()
		})
	);
	await writeIndexData(dir, buildIndexData(corpus.docs));
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1000;
};

async function queryChild(dir: string, root: string): Promise<QueryFigures> {
	const module = (path: string) => import(pathToFileURL(join(root, path)).href);
	const { SearchEngine } = (await module(
		'src/lib/search/engine.ts'
	)) as typeof import('../../src/lib/search/engine.ts');
	const { readIndexData } = (await module(
		'src/lib/server/search-storage.ts'
	)) as typeof import('../../src/lib/server/search-storage.ts');
	const { hostile, warmUp, ordinary } = JSON.parse(
		readFileSync(join(dir, 'queries.json'), 'utf8')
	) as { hostile: HostileQuery[]; warmUp: HostileQuery[]; ordinary: string[] };
	const data = await readIndexData(dir);
	const engine = new SearchEngine(data, catalogForIndex(data.paperIds));
	for (const { q } of warmUp) engine.search(searchParams({ q }));
	// Ordinary queries give the scale of a normal search.
	const ordinaryMs = ordinary.map((q) => {
		const start = process.cpuUsage();
		engine.search(searchParams({ q }));
		return cpuMsSince(start);
	});
	const ordinaryCut = ordinary.filter(
		(q) => (engine.search(searchParams({ q })) as { partial?: boolean }).partial
	).length;
	const figures: QueryFigures = {
		cpuMs: {},
		partial: {},
		ordinaryMs: median(ordinaryMs),
		ordinaryCut
	};
	for (const { name, q } of hostile) {
		const start = process.cpuUsage();
		const response = engine.search(searchParams({ q }));
		figures.cpuMs[name] = cpuMsSince(start);
		figures.partial[name] = (response as { partial?: boolean }).partial;
	}
	return figures;
}

function spawnChild(args: string[]): unknown {
	return runBenchChild(import.meta.filename, args, ['--max-old-space-size=8192']);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			papers: { type: 'string', default: '10000' },
			rounds: { type: 'string', default: '3' },
			compare: { type: 'string', default: '' }
		}
	});
	const papers = Number(values.papers);
	const rounds = Number(values.rounds);
	const sides = [
		ROOT,
		...values.compare
			.split(',')
			.filter(Boolean)
			.map((root) => resolve(root))
	];
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-hostile-'));
	try {
		console.log(
			`bench:hostile — ${papers} synthetic papers, ${FILLER * 100}% stop words and letters`
		);
		spawnChild(['--child-build', String(papers), dir]);
		const runs = sides.map((): QueryFigures[] => []);
		for (let round = 0; round < rounds; round++) {
			for (let i = 0; i < sides.length; i++) {
				const side = (i + round) % sides.length;
				runs[side].push(spawnChild(['--child-query', dir, sides[side]]) as QueryFigures);
			}
		}
		const names = ['this', ...sides.slice(1).map((_, i) => (i === 0 ? 'base' : `other${i}`))];
		console.log(
			`CPU time per query, median of ${rounds} runs each, interleaved (machine shared: ` +
				`compare columns, not absolute figures); ${sides.map((s, i) => `${names[i]}: ${s}`).join(', ')}`
		);
		console.log(`${''.padEnd(30)}${names.map((name) => name.padStart(18)).join('')}`);
		const row = (label: string, pick: (figures: QueryFigures) => number, flag = '') =>
			console.log(
				`${label.padEnd(30)}${runs
					.map((figures, i) => (ms(median(figures.map(pick))) + (i === 0 ? flag : '')).padStart(18))
					.join('')}`
			);
		row('ordinary queries (median)', (figures) => figures.ordinaryMs);
		console.log(
			`ordinary queries cut short: ${runs.map((figures) => figures[0].ordinaryCut).join(', ')} of 50`
		);
		const hostile = Object.keys(runs[0][0].cpuMs);
		for (const name of hostile) {
			row(name, (figures) => figures.cpuMs[name], runs[0][0].partial[name] ? ' (partial)' : '');
		}
		const worst = runs.map((figures) =>
			Math.max(...hostile.map((name) => median(figures.map((f) => f.cpuMs[name]))))
		);
		console.log(`${'worst'.padEnd(30)}${worst.map((value) => ms(value).padStart(18)).join('')}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (process.argv[2] === '--child-build') {
	const [papers, dir] = process.argv.slice(3);
	await buildChild(Number(papers), dir);
	console.log('null');
} else if (process.argv[2] === '--child-query') {
	const [dir, root] = process.argv.slice(3);
	console.log(JSON.stringify(await queryChild(dir, root)));
} else {
	await main();
}
