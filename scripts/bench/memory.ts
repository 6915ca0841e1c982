/**
 * `npm run bench:memory`: resident memory of one production server process, for the shipped
 * catalog (`papers/`, metadata only) and for 1,000 synthetic papers of 12 pages (6,000 words
 * each, as bench:search uses), after a warm-up of every kind of request. With several
 * processes behind nginx (deploy/), multiply by their number.
 *
 *   npm run bench:memory [-- --papers 1000]
 */
import { parseArgs } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runIngestCli } from '../ingest/run-cli.ts';
import { newBuildId } from '../../src/lib/server/data-dir.ts';
import { writeSearchIndex } from '../../src/lib/server/search-storage.ts';
import { residentBytes, startServer } from '../../tests/fixtures/server-process.ts';
import type { Catalog } from '../../src/lib/types.ts';
import { syntheticCorpus } from '../../tests/fixtures/search-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const { values: options } = parseArgs({ options: { papers: { type: 'string', default: '1000' } } });

const megabytes = (bytes: number | null) =>
	bytes === null ? '?' : `${Math.round(bytes / 2 ** 20)} MB`;

/** Starts a server on `dataDir`, asks it for every kind of page, and reports its memory. */
async function measure(label: string, dataDir: string, paperIds: string[]): Promise<void> {
	const server = await startServer({
		dataDir,
		env: { NODE_ENV: 'production', ORIGIN: 'http://127.0.0.1' },
		discardStdout: true
	});
	try {
		const started = await residentBytes(server.pid);
		const words = ['saliency', 'model', 'image', 'network', 'the', 'data', 'learning', 'map'];
		const paths = [
			'/',
			'/topics',
			'/authors',
			'/sitemap.xml',
			...words.map((q) => `/api/search?q=${q}`),
			...words.map((q) => `/search?q=${q}+${q.slice(0, 3)}`),
			...paperIds.slice(0, 50).map((id) => `/papers/${id}`)
		];
		for (let round = 0; round < 3; round++) {
			for (const path of paths) await (await fetch(`${server.url}${path}`)).arrayBuffer();
		}
		const warm = await residentBytes(server.pid);
		console.log(
			`${label.padEnd(34)} after start ${megabytes(started).padStart(7)}   after ${3 * paths.length} requests ${megabytes(warm).padStart(7)}`
		);
	} finally {
		await server.stop();
	}
}

async function main(): Promise<void> {
	const shipped = mkdtempSync(join(tmpdir(), 'glassbox-memory-shipped-'));
	const ingest = runIngestCli(join(ROOT, 'papers'), shipped);
	if (ingest.status === 1) throw new Error(`ingest of papers/ failed:\n${ingest.output}`);
	const current = readFileSync(join(shipped, 'current'), 'utf8').trim();
	const shippedCatalog = JSON.parse(
		readFileSync(join(shipped, 'builds', current, 'catalog.json'), 'utf8')
	) as Catalog;
	const shippedIds = shippedCatalog.papers.map((paper) => paper.id);
	await measure('shipped catalog (papers/)', shipped, shippedIds);
	rmSync(shipped, { recursive: true, force: true });

	const count = Number(options.papers);
	const synthetic = mkdtempSync(join(tmpdir(), 'glassbox-memory-synthetic-'));
	const corpus = syntheticCorpus({ papers: count });
	const buildId = newBuildId();
	const build = join(synthetic, 'builds', buildId);
	mkdirSync(build, { recursive: true });
	corpus.catalog.builtAt = new Date().toISOString();
	writeFileSync(join(build, 'catalog.json'), JSON.stringify(corpus.catalog));
	await writeSearchIndex(join(build, 'search'), corpus.docs, corpus.catalog);
	writeFileSync(join(synthetic, 'current'), `${buildId}\n`);
	await measure(
		`${count} synthetic papers × 12 pages`,
		synthetic,
		corpus.catalog.papers.map((paper) => paper.id)
	);
	rmSync(synthetic, { recursive: true, force: true });
}

await main();
