/**
 * Benchmarks `npm run ingest` against poppler's `pdftotext -layout` and against pdf.js reading
 * the text and nothing else (the floor of any extraction through pdf.js) on the same PDFs, in
 * the same run: `npm run bench:ingest [-- --copies N] [--jobs N]`.
 *
 * The corpus is the shared corpus N times over (default: enough copies for 1,500 pages), each
 * copy a distinct file, in papers format. Prints the cold ingest against pdftotext on as many
 * processes as the ingest has workers (measured before and after it, as the machine's load
 * drifts), the time of each ingest stage, an ingest with nothing changed, adding one paper to
 * the built corpus, and adding one paper to 1,000 papers: generated metadata-only ones, and
 * papers with full text (the shared corpus's PDFs, each shared by many papers, read once);
 * `--only full-text` runs that last part alone; `--distinct-pdfs` makes those 1,000 papers'
 * PDFs distinct files (their texts cached all the same), as in a real corpus.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { runIngestCli } from '../ingest/run-cli.ts';
import { makeGeneratedPapersDir } from '../../tests/fixtures/generated-papers.ts';
import {
	hasSharedCorpus,
	makeSharedCorpusPapersDir,
	SHARED_CORPUS,
	sharedPapers
} from '../../tests/fixtures/shared-corpus.ts';
import type { IngestReport } from '../../src/lib/types.ts';

const run = promisify(execFile);
const MIN_PAGES = 1500;
const GENERATED_PAPERS = 1000;
const FULL_TEXT_PAPERS = 1000;

const { values } = parseArgs({
	options: {
		copies: { type: 'string' },
		jobs: { type: 'string', default: '2' },
		// `full-text`: only adding one paper to 1,000 with full text, a few minutes shorter.
		only: { type: 'string' },
		// Every one of the 1,000 papers with full text a distinct PDF (texts still cached), as in a
		// real corpus: the index and similarity then read 1,000 kept files, not 10.
		'distinct-pdfs': { type: 'boolean', default: false }
	}
});
if (values.only !== undefined && values.only !== 'full-text') {
	console.error(`bench:ingest: --only: is "${values.only}", can be "full-text"`);
	process.exit(1);
}
const jobs = Number(values.jobs);
if (!hasSharedCorpus) {
	console.error(`bench:ingest: ${SHARED_CORPUS}: no shared corpus`);
	process.exit(1);
}
const corpusPages = sharedPapers().reduce((sum, paper) => sum + paper.pages, 0);
const copies = values.copies ? Number(values.copies) : Math.ceil(MIN_PAGES / corpusPages);

/**
 * CPU seconds (user + system) of this process's finished children, from /proc (Linux): on a
 * machine shared with other jobs, wall times swing with their load, CPU times much less.
 */
function childCpuSeconds(): number {
	try {
		const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
		// cutime and cstime, fields 16 and 17 of stat(5), in clock ticks (100 a second on Linux).
		return (Number(fields[13]) + Number(fields[14])) / 100;
	} catch {
		return Number.NaN;
	}
}

/** Runs `tasks` with at most `limit` in flight, as the ingest's worker pool does. */
async function inParallel(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
	const queue = [...tasks];
	await Promise.all(
		Array.from({ length: Math.min(limit, queue.length) }, async () => {
			for (let task = queue.shift(); task; task = queue.shift()) await task();
		})
	);
}

/** Wall time of `pdftotext -layout` over `files` on `jobs` processes, in ms, and its CPU seconds. */
async function timePdftotext(files: string[]): Promise<{ ms: number; cpu: number }> {
	const started = performance.now();
	const cpuBefore = childCpuSeconds();
	await inParallel(
		files.map((path) => async () => {
			await run('pdftotext', ['-layout', '-enc', 'UTF-8', '-q', path, '-'], {
				maxBuffer: 1 << 28
			});
		}),
		jobs
	);
	return { ms: performance.now() - started, cpu: childCpuSeconds() - cpuBefore };
}

/**
 * Wall time and CPU seconds of pdf.js reading only the text of `files` (pdfjs-text.mjs) on `jobs`
 * processes, the files dealt out in turn: the least any extraction through pdf.js costs.
 */
async function timePdfjsTextOnly(files: string[]): Promise<{ ms: number; cpu: number }> {
	const started = performance.now();
	const cpuBefore = childCpuSeconds();
	const script = join(import.meta.dirname, 'pdfjs-text.mjs');
	await Promise.all(
		Array.from({ length: jobs }, (_, job) =>
			run(process.execPath, [script, ...files.filter((_, i) => i % jobs === job)], {
				maxBuffer: 1 << 24
			})
		)
	);
	return { ms: performance.now() - started, cpu: childCpuSeconds() - cpuBefore };
}

/** Runs the real CLI as a user would; returns its wall time and the report of the build. */
function ingest(
	papersDir: string,
	dataDir: string
): { ms: number; cpu: number; report: IngestReport } {
	const cpuBefore = childCpuSeconds();
	const result = runIngestCli(papersDir, dataDir, ['--jobs', String(jobs)]);
	if (result.status !== 0) {
		console.error(result.output);
		process.exit(1);
	}
	const build = readFileSync(join(dataDir, 'current'), 'utf8').trim();
	const report = JSON.parse(readFileSync(join(dataDir, 'builds', build, 'report.json'), 'utf8'));
	return { ms: result.ms, cpu: childCpuSeconds() - cpuBefore, report };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cpu = (run: { cpu: number }) => `${run.cpu.toFixed(2)} s CPU`;
const stages = (report: IngestReport) =>
	Object.entries(report.stages ?? {})
		.filter(([, s]) => s >= 0.01)
		.map(([stage, s]) => `${stage} ${s.toFixed(2)}`)
		.join(', ');

/** Adds one more copy of the shortest shared paper to `papersDir`, distinct from `copies` ones. */
function addOnePaper(papersDir: string, copies: number): void {
	const source = makeSharedCorpusPapersDir({ copies: 2, only: [shortestPaper.id] });
	const edition = `corpus-${shortestPaper.year}`;
	if (!existsSync(join(papersDir, edition))) {
		cpSync(join(source, edition, 'edition.yaml'), join(papersDir, edition, 'edition.yaml'));
	}
	for (const extension of ['yaml', 'pdf']) {
		const name = `${shortestPaper.id}-copy2.${extension}`;
		const target = join(papersDir, edition, `${shortestPaper.id}-added.${extension}`);
		cpSync(join(source, edition, name), target, { dereference: true });
	}
	// Distinct from every copy already in the corpus (copy n ends in n newlines, this one in more).
	writeFileSync(
		join(papersDir, edition, `${shortestPaper.id}-added.pdf`),
		'\n'.repeat(copies + 1),
		{
			flag: 'a'
		}
	);
}
const shortestPaper = sharedPapers().reduce((a, b) => (b.pages < a.pages ? b : a));

try {
	await run('pdftotext', ['-v']);
} catch {
	console.error('bench:ingest: pdftotext not found (Debian: apt-get install poppler-utils)');
	process.exit(1);
}

if (values.only !== 'full-text') {
	const papersDir = makeSharedCorpusPapersDir({ copies });
	const files = readdirSync(papersDir, { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith('.pdf'))
		.map((name) => join(papersDir, name));
	const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-bench-ingest-'));
	console.log(
		`corpus: the shared corpus ${copies}× = ${files.length} papers, ${corpusPages * copies} pages; ` +
			`${jobs} extraction workers, pdftotext on ${jobs} processes`
	);

	const popplerBefore = await timePdftotext(files);
	const pdfjsTextOnly = await timePdfjsTextOnly(files);
	const cold = ingest(papersDir, dataDir);
	const popplerAfter = await timePdftotext(files);
	const poppler = (popplerBefore.ms + popplerAfter.ms) / 2;
	const popplerCpu = (popplerBefore.cpu + popplerAfter.cpu) / 2;
	console.log(
		`pdftotext -layout:         ${seconds(poppler)}, ${popplerCpu.toFixed(2)} s CPU (${seconds(popplerBefore.ms)} before the ingest, ${seconds(popplerAfter.ms)} after)`
	);
	console.log(
		`pdf.js text only:          ${seconds(pdfjsTextOnly.ms)}, ${cpu(pdfjsTextOnly)} ` +
			`(${(pdfjsTextOnly.ms / poppler).toFixed(1)}× pdftotext, ${(pdfjsTextOnly.cpu / popplerCpu).toFixed(1)}× its CPU)`
	);
	console.log(`npm run ingest (cold):     ${seconds(cold.ms)}, ${cpu(cold)}`);
	console.log(
		`ratio: the cold ingest takes ${(cold.ms / poppler).toFixed(1)}× the time of pdftotext ` +
			`(${(cold.cpu / popplerCpu).toFixed(1)}× its CPU time), ` +
			`${(cold.ms / pdfjsTextOnly.ms).toFixed(1)}× pdf.js text only (${(cold.cpu / pdfjsTextOnly.cpu).toFixed(1)}× its CPU)`
	);
	console.log(`  stages (s): ${stages(cold.report)}`);

	const warm = ingest(papersDir, dataDir);
	console.log(`npm run ingest (nothing changed): ${seconds(warm.ms)}, ${cpu(warm)}`);
	console.log(`  stages (s): ${stages(warm.report)}`);

	addOnePaper(papersDir, copies);
	const added = ingest(papersDir, dataDir);
	console.log(
		`npm run ingest (one paper added to ${files.length}): ${seconds(added.ms)}, ${cpu(added)}`
	);
	console.log(`  stages (s): ${stages(added.report)}`);

	const generatedDir = makeGeneratedPapersDir(GENERATED_PAPERS);
	const generatedData = mkdtempSync(join(tmpdir(), 'glassbox-bench-ingest-generated-'));
	const generated = ingest(generatedDir, generatedData);
	console.log(
		`npm run ingest (cold, ${GENERATED_PAPERS} metadata-only papers): ${seconds(generated.ms)}, ${cpu(generated)}`
	);
	console.log(`  stages (s): ${stages(generated.report)}`);
	addOnePaper(generatedDir, copies);
	const addedToGenerated = ingest(generatedDir, generatedData);
	console.log(
		`npm run ingest (one paper with PDF added to ${GENERATED_PAPERS}): ${seconds(addedToGenerated.ms)}, ${cpu(addedToGenerated)}`
	);
	console.log(`  stages (s): ${stages(addedToGenerated.report)}`);
}

// Adding one paper to 1,000 papers that all have full text: the shared corpus's PDFs, each shared
// by many papers, so that reading them once (into the text cache) builds the corpus in minutes.
// With --distinct-pdfs each paper keeps its distinct copy, and gets its original's cached text.
const sharedCopies = Math.ceil(FULL_TEXT_PAPERS / sharedPapers().length);
const fullTextDir = makeSharedCorpusPapersDir({ copies: sharedCopies });
const originalsDir = makeSharedCorpusPapersDir();
const copiesOf = new Map<string, string[]>();
for (const name of readdirSync(fullTextDir, { recursive: true, encoding: 'utf8' })) {
	const original = name.replace(/-copy\d+\.pdf$/, '.pdf');
	if (original === name) continue;
	if (values['distinct-pdfs']) {
		copiesOf.set(original, [...(copiesOf.get(original) ?? []), name]);
		continue;
	}
	// Removed first: a copy must never be written through a link into the shared corpus.
	rmSync(join(fullTextDir, name));
	cpSync(join(originalsDir, original), join(fullTextDir, name), { dereference: true });
}
const fullTextData = mkdtempSync(join(tmpdir(), 'glassbox-bench-ingest-full-text-'));
ingest(originalsDir, fullTextData);
const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const textCache = join(fullTextData, 'cache', 'text');
for (const [original, copyNames] of copiesOf) {
	const text = join(textCache, `${sha256Of(join(originalsDir, original))}.json`);
	for (const name of copyNames) {
		cpSync(text, join(textCache, `${sha256Of(join(fullTextDir, name))}.json`));
	}
}
const fullText = ingest(fullTextDir, fullTextData);
console.log(
	`npm run ingest (${fullText.report.papers} papers with full text, ${fullText.report.pages} pages, their texts cached): ${seconds(fullText.ms)}, ${cpu(fullText)}`
);
console.log(`  stages (s): ${stages(fullText.report)}`);
const fullTextAgain = ingest(fullTextDir, fullTextData);
console.log(`  again, nothing changed: ${seconds(fullTextAgain.ms)}, ${cpu(fullTextAgain)}`);
console.log(`  stages (s): ${stages(fullTextAgain.report)}`);
addOnePaper(fullTextDir, sharedCopies);
const addedToFullText = ingest(fullTextDir, fullTextData);
console.log(
	`npm run ingest (one paper with PDF added to ${fullText.report.papers} with full text): ${seconds(addedToFullText.ms)}, ${cpu(addedToFullText)}`
);
console.log(`  stages (s): ${stages(addedToFullText.report)}`);
if (values['distinct-pdfs']) {
	// A gigabyte and more of copies: not left behind in the temp folder.
	for (const dir of [fullTextDir, fullTextData]) rmSync(dir, { recursive: true, force: true });
}
