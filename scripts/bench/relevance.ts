/**
 * `npm run bench:relevance`: nDCG@10, MRR and success@1 of Glassbox and of a plain MiniSearch
 * (default options, same page texts) on the judged queries of tests/fixtures/relevance/queries.json over
 * ../shared/corpus — or, when that folder is absent, on a generated corpus with known answers.
 *
 *   npx tsx scripts/bench/relevance.ts [--data <DATA_DIR of an ingest of the shared corpus>]
 */
import { parseArgs } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../../src/lib/types.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { buildIndexData } from '../../src/lib/search/index-data.ts';
import { readIndexData } from '../../src/lib/server/search-storage.ts';
import { hasSharedCorpus, makeSharedCorpusPapersDir } from '../../tests/fixtures/shared-corpus.ts';
import { runIngestCli } from '../ingest/run-cli.ts';
import {
	evaluate,
	glassboxRanker,
	pageDocumentsOf,
	plainMiniSearchRanker,
	readJudgedQueries,
	type JudgedQuery,
	type Metrics
} from '../../tests/fixtures/relevance/relevance.ts';
import { generatedJudgedCorpus } from '../../tests/fixtures/relevance-generated.ts';
import { compareHighlights, pageTextsOf } from '../../tests/fixtures/highlight-agreement.ts';

const { values: options } = parseArgs({ options: { data: { type: 'string' } } });

async function sharedCorpusSetup(): Promise<{
	engine: SearchEngine;
	engineText: (paperId: string, page: number) => string;
	ranker: ReturnType<typeof plainMiniSearchRanker>;
	queries: JudgedQuery[];
}> {
	let dataDir = options.data;
	if (!dataDir) {
		const papersDir = makeSharedCorpusPapersDir();
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-relevance-'));
		console.log(`ingesting ../shared/corpus into ${dataDir} …`);
		const result = runIngestCli(papersDir, dataDir);
		if (result.status === 1) throw new Error(`ingest failed:\n${result.output}`);
	}
	const buildId = readFileSync(join(dataDir, 'current'), 'utf8').trim();
	const build = join(dataDir, 'builds', buildId);
	const catalog = JSON.parse(readFileSync(join(build, 'catalog.json'), 'utf8')) as Catalog;
	const data = await readIndexData(join(build, 'search'));
	return {
		engine: new SearchEngine(data, catalog),
		engineText: pageTextsOf(data),
		ranker: plainMiniSearchRanker(pageDocumentsOf(data, catalog)),
		queries: readJudgedQueries()
	};
}

const format = (m: Metrics) =>
	`${m.ndcg10.toFixed(3).padStart(8)} ${m.mrr.toFixed(3).padStart(8)} ${m.success1.toFixed(3).padStart(10)}`;

async function main() {
	let setup;
	let source: string;
	if (hasSharedCorpus) {
		setup = await sharedCorpusSetup();
		source = '../shared/corpus (judged by reading the papers)';
	} else {
		const generated = generatedJudgedCorpus();
		const data = buildIndexData(generated.docs);
		const engine = new SearchEngine(data, generated.catalog);
		setup = {
			engine,
			engineText: pageTextsOf(data),
			ranker: plainMiniSearchRanker(generated.docs),
			queries: generated.queries
		};
		source = 'generated corpus (../shared/corpus absent)';
	}
	const results = evaluate(setup.queries, {
		glassbox: glassboxRanker(setup.engine),
		'plain MiniSearch': setup.ranker
	});
	console.log(`\nrelevance on ${source}: ${setup.queries.length} queries\n`);
	console.log(
		`${'ranker'.padEnd(18)} ${'kind'.padEnd(11)} ${'nDCG@10'.padStart(8)} ${'MRR'.padStart(8)} ${'success@1'.padStart(10)}`
	);
	for (const [name, result] of Object.entries(results)) {
		console.log(`${name.padEnd(18)} ${'all'.padEnd(11)} ${format(result.all)}`);
		for (const [kind, metrics] of Object.entries(result.byKind)) {
			console.log(`${''.padEnd(18)} ${kind.padEnd(11)} ${format(metrics)}`);
		}
	}
	// The reader marks what the engine matched (matchSpec); every snippet should agree with it.
	const agreements = setup.queries.flatMap((judged) =>
		compareHighlights(setup.engine, judged.q, setup.engineText)
	);
	const agreeing = agreements.filter((agreement) => agreement.agrees).length;
	console.log(
		`\nreader highlights equal to the snippet marks: ${agreeing} of ${agreements.length} snippets (${((100 * agreeing) / Math.max(1, agreements.length)).toFixed(1)}%, target 100%)`
	);
	const ours = results.glassbox.all;
	const theirs = results['plain MiniSearch'].all;
	const beats = (Object.keys(ours) as (keyof Metrics)[]).every((key) => ours[key] > theirs[key]);
	console.log(`\nGlassbox ${beats ? 'beats' : 'does NOT beat'} plain MiniSearch on every measure.`);
	process.exitCode = beats ? 0 : 1;
}

await main();
