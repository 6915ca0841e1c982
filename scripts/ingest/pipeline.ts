/**
 * The ingest pipeline: read `papers/` → extract PDF text (cached by content hash, in worker
 * threads) → tag → index → write a new build and publish it atomically.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { readCorpus } from '../../src/lib/corpus/index.ts';
import { buildAuthorIndex, loadAuthorAliases } from '../../src/lib/corpus/authors.ts';
import { similarityOfTerms } from '../../src/lib/corpus/similar.ts';
import { fetchRemotePdfs, remotePdfUrl, summariseFetch, type FetchOptions } from './fetch-pdf.ts';
import {
	buildDir,
	ensureDataDirs,
	keptHashesPath,
	newBuildId,
	pdfStorePath,
	publishBuild,
	remotePdfCacheDir,
	removeIncompleteBuilds,
	textCacheDir,
	writeFileAtomic
} from '../../src/lib/server/data-dir.ts';
import { metadataDocument } from '../../src/lib/search/page-documents.ts';
import type { PaperIndexInput } from '../../src/lib/search/index-data.ts';
import { writeSearchIndexOfSegments } from '../../src/lib/server/search-storage.ts';
import { writeBuildManifest } from '../../src/lib/server/build-manifest.ts';
import { IngestLockedError, takeIngestLock } from './lock.ts';
import { removeUnusedFiles } from './prune.ts';
import { loadParsedYaml } from './yaml-cache.ts';
import { loadTagger } from './tag-cache.ts';
import { loadKeptValues } from './kept-values.ts';
import { hashFile, type FileHash } from './file-hash.ts';
import type {
	Catalog,
	Edition,
	IngestReport,
	PageDocument,
	Paper,
	PaperSource,
	PreviewInfo
} from '../../src/lib/types.ts';
import { findAbstract } from './abstract.ts';
import { EXTRACTION_VERSION } from './extract.ts';
import { ExtractPool, type ExtractAllOptions } from './extract-pool.ts';
import type { Progress } from './progress.ts';
import { paperTermLists, type PdfPages } from './term-cache.ts';
import { indexSegments } from './index-segments.ts';

export interface IngestOptions {
	papersDir: string;
	dataDir: string;
	maxPdfBytes: number;
	maxPages: number;
	concurrency?: number;
	progress?: Progress;
	/** Download missing open-access PDFs (`pdf_url` or arXiv) once into the cache. */
	fetch?: boolean;
	fetchOptions?: FetchOptions;
	log?: (line: string) => void;
	/** The index writer; tests substitute one that fails to prove a failed build changes nothing. */
	writeIndex?: typeof writeSearchIndexOfSegments;
	/** Per-file extraction timeout and worker entry; tests shorten the one and swap the other. */
	extract?: Pick<ExtractAllOptions, 'timeoutMs' | 'workerUrl'>;
}

/** Page texts of one PDF as cached under DATA_DIR/cache/text/<sha256>.json. */
interface CachedText {
	/** The `EXTRACTION_VERSION` that wrote it; absent in caches from before it was recorded. */
	extraction?: number;
	pages: string[];
	/** What extraction warned about (pages without text…), reported again when the text is reused. */
	warnings?: string[];
	/**
	 * Page one's size, the shape of its JPEG (drawn by the server on first need), null when pdf.js
	 * gave none; absent in caches written before it was kept, which are redone once.
	 */
	preview?: PreviewInfo | null;
}

/**
 * Wall time per stage, in seconds, for the report (`stages`) and the ingest benchmark. Reading
 * new PDFs (`extract`, `store`) overlaps building the other papers (`papers`); `extract-wait` is
 * the part of it the ingest waited for.
 */
class StageClock {
	readonly seconds: Record<string, number> = {};
	#last = performance.now();

	/** Charges the time since the previous lap to `stage` (laps of one stage add up). */
	lap(stage: string): void {
		const now = performance.now();
		this.charge(stage, now - this.#last);
		this.#last = now;
	}

	/** Adds `ms` to `stage` without ending the current lap (a part timed inside another). */
	charge(stage: string, ms: number): void {
		this.seconds[stage] = Math.round(((this.seconds[stage] ?? 0) + ms / 1000) * 1000) / 1000;
	}
}

const TYPE_ORDER: Record<string, number> = { keynote: 0, invited: 1, oral: 2, poster: 3, paper: 4 };
/**
 * Heap of each extraction thread: a file that needs more fails alone. 2 GB where a quarter of the
 * memory allows it: under a 2 GB limit V8 grows the heap in small steps, and with 1 GB the threads
 * ran twice the full collections, for 15-20% more extraction CPU; more than 2 GB gained little and
 * would let a hostile file take half the machine's memory across two threads.
 */
const EXTRACT_HEAP_MB = Math.min(2048, Math.floor(totalmem() / 2 ** 20 / 4));

/**
 * Runs the whole ingest, holding the lock on `options.dataDir`; never throws for bad input, which
 * is reported in `issues`. A second ingest on the same data folder ends at once (exit code 1).
 */
export async function runIngest(options: IngestOptions): Promise<IngestReport> {
	await mkdir(options.dataDir, { recursive: true });
	let release: () => Promise<void>;
	try {
		release = await takeIngestLock(options.dataDir);
	} catch (error) {
		if (!(error instanceof IngestLockedError)) throw error;
		const report = newReport(Date.now());
		report.issues.push({ file: options.dataDir, message: error.message, severity: 'error' });
		return report;
	}
	try {
		// Builds left unfinished by an ingest that was killed are never served: remove them.
		await removeIncompleteBuilds(options.dataDir);
		return await ingestLocked(options);
	} finally {
		await release();
	}
}

function newReport(started: number): IngestReport {
	return {
		startedAt: new Date(started).toISOString(),
		seconds: 0,
		papers: 0,
		papersWithPdf: 0,
		pages: 0,
		words: 0,
		extracted: 0,
		reused: 0,
		degraded: 0,
		issues: [],
		exitCode: 1
	};
}

async function ingestLocked(options: IngestOptions): Promise<IngestReport> {
	const started = Date.now();
	const report = newReport(started);
	const clock = new StageClock();
	report.stages = clock.seconds;
	const finish = (exitCode: IngestReport['exitCode']) => {
		report.exitCode = exitCode;
		report.seconds = (Date.now() - started) / 1000;
		return report;
	};

	const parsedYaml = await loadParsedYaml(options.dataDir);
	const corpus = await readCorpus(options.papersDir, { parsedYaml });
	await parsedYaml.save();
	clock.lap('read');
	report.issues.push(...corpus.issues);
	if (!corpus.taxonomy || corpus.papers.length === 0) {
		if (corpus.papers.length === 0 && corpus.taxonomy) {
			report.issues.push({ file: '.', message: 'no valid paper found', severity: 'error' });
		}
		return finish(1);
	}
	const taxonomy = corpus.taxonomy;

	await ensureDataDirs(options.dataDir);
	const fetched = await useRemotePdfs(corpus.papers, options, report);
	clock.lap('fetch');
	const texts = await extractTexts(corpus.papers, options, report, clock);

	const editionsById = new Map(corpus.editions.map((edition) => [edition.id, edition]));
	const tagger = await loadTagger(options.dataDir, taxonomy);
	const built = new Map<string, { paper: Paper; text: PaperText | undefined }>();
	const buildPaper = (source: PaperSource, text: PaperText | undefined) => {
		const edition = editionsById.get(source.edition);
		if (!edition) return;
		const pages = text?.pages ?? [];
		const paper = toPaper(source, edition, pages, text, fetched.get(source.id));
		const tagging = performance.now();
		paper.topics = tagger.tag({ ...source, abstract: paper.abstract ?? undefined }, pages);
		clock.charge('tag', performance.now() - tagging);
		built.set(source.id, { paper, text });
	};
	// Papers whose text is at hand are built while the new PDFs are read in the worker threads;
	// the loop lets the event loop run every few milliseconds, so that the workers are kept fed.
	let slice = performance.now();
	for (const source of corpus.papers) {
		if (texts.waiting.has(source.id)) continue;
		buildPaper(source, texts.ready.get(source.id));
		if (performance.now() - slice > 10) {
			await new Promise((resolve) => setImmediate(resolve));
			slice = performance.now();
		}
	}
	clock.lap('papers');
	const extracted = await texts.extracted;
	clock.lap('extract-wait');
	for (const source of corpus.papers) {
		if (texts.waiting.has(source.id)) buildPaper(source, extracted.get(source.id));
	}
	await tagger.save();

	const papers: Paper[] = [];
	const metadataDocs: PageDocument[] = [];
	const pdfPages = new Map<string, PdfPages>();
	for (const source of corpus.papers) {
		const entry = built.get(source.id);
		if (!entry) continue;
		const { paper, text } = entry;
		const pages = text?.pages ?? [];
		papers.push(paper);
		if (text) pdfPages.set(paper.id, { sha256: text.sha256, pages });
		metadataDocs.push(metadataDocument(paper));
		report.pages += pages.length;
		report.words += paper.words;
		if (paper.pdf) report.papersWithPdf += 1;
	}
	papers.sort(comparePapers);
	report.papers = papers.length;
	clock.lap('papers');

	const aliases = await loadAuthorAliases(options.papersDir);
	report.issues.push(...aliases.issues);
	const terms = await paperTermLists(options.dataDir, papers, pdfPages);
	const { similar, map } = similarityOfTerms(papers, terms.terms, terms.strings);
	clock.lap('similarity');
	// Only PDFs without a kept segment are tokenised; the build merges the segments.
	const { segments } = await indexSegments(options.dataDir, pdfPages);
	const index: PaperIndexInput[] = metadataDocs.map((doc) => ({
		paperId: doc.paperId,
		metadataDocs: [doc],
		segment: segments.get(doc.paperId) ?? null
	}));
	clock.lap('index');
	const catalog: Catalog = {
		builtAt: new Date().toISOString(),
		editions: [...corpus.editions].sort((a, b) => b.year - a.year || a.id.localeCompare(b.id)),
		papers,
		taxonomy,
		authors: buildAuthorIndex(papers, aliases.aliases),
		similar,
		map
	};

	try {
		await writeBuild(
			options.dataDir,
			catalog,
			index,
			report,
			options.writeIndex ?? writeSearchIndexOfSegments,
			clock,
			options.log
		);
	} catch (error) {
		report.issues.push({
			file: options.dataDir,
			message: `build not written: ${(error as Error).message}`,
			severity: 'error'
		});
		return finish(1);
	}
	return report;
}

/** A fetched open-access copy a paper uses: its licence when the source states one. */
interface FetchedCopy {
	license: string | null;
}

/**
 * Gives papers without a local PDF their cached open-access copy (downloading it first with
 * `--fetch`); returns the papers that got one. Without `--fetch` the network is never touched.
 */
async function useRemotePdfs(
	papers: PaperSource[],
	options: IngestOptions,
	report: IngestReport
): Promise<Map<string, FetchedCopy>> {
	const results = await fetchRemotePdfs(papers, remotePdfCacheDir(options.dataDir), {
		contact: process.env.GLASSBOX_CONTACT,
		log: options.log,
		...options.fetchOptions,
		cacheOnly: !options.fetch
	});
	const byId = new Map(papers.map((paper) => [paper.id, paper]));
	const fetched = new Map<string, FetchedCopy>();
	for (const result of results) {
		const paper = byId.get(result.id)!;
		if (result.file && !paper.pdfPath) {
			paper.pdfPath = result.file;
			fetched.set(paper.id, { license: result.license ?? null });
		} else if (options.fetch && result.message) {
			report.issues.push({
				file: paper.file,
				field: paper.pdf_url ? 'pdf_url' : 'arxiv',
				message: `${result.status}: ${result.message}; nothing changed`,
				severity: 'warning'
			});
		}
	}
	if (options.fetch) options.log?.(`fetch: ${summariseFetch(results) || 'nothing to fetch'}`);
	const online = results.filter((result) => result.status === 'not-cached').length;
	if (online > 0) options.log?.(notFetchedSentence(online));
	return fetched;
}

/** The one sentence that replaces a list of `not-cached` lines: what they mean and what to do. */
export function notFetchedSentence(count: number): string {
	const papers = count === 1 ? '1 paper has' : `${count} papers have`;
	return `fetch: ${papers} an open-access PDF online (arXiv or pdf_url) that is not downloaded yet; run \`npm run ingest -- --fetch\` to index their full text`;
}

interface PaperText {
	pages: string[];
	sha256: string;
	bytes: number;
	preview: PreviewInfo | null;
}

/** The page texts of the papers with a PDF: those in the cache now, the others once read. */
interface Texts {
	ready: Map<string, PaperText>;
	/** Ids of the papers whose PDF is being read. */
	waiting: Set<string>;
	/** The texts of the `waiting` papers that could be read; the PDFs are in the store by then. */
	extracted: Promise<Map<string, PaperText>>;
}

/**
 * Reuses from the cache the page texts of every paper that has a PDF, and starts reading the
 * others in worker threads. The extraction runs alongside what the caller does next, so its
 * stages are charged (`extract`, `store`) rather than lapped.
 */
async function extractTexts(
	papers: PaperSource[],
	options: IngestOptions,
	report: IngestReport,
	clock: StageClock
): Promise<Texts> {
	const ready = new Map<string, PaperText>();
	const pending: { key: string; path: string; sha256: string; bytes: number }[] = [];
	const hashes = await loadKeptValues<FileHash>(keptHashesPath(options.dataDir));
	// Threads start loading pdf.js as soon as a file needs them, while the rest are hashed.
	const pool = new ExtractPool({
		resourceLimits: { maxOldGenerationSizeMb: EXTRACT_HEAP_MB },
		workerUrl: options.extract?.workerUrl,
		concurrency: options.concurrency ?? Math.max(1, Math.min(availableParallelism(), 4))
	});
	for (const paper of papers) {
		if (!paper.pdfPath) continue;
		const { sha256, bytes } = await hashFile(paper.pdfPath, hashes);
		const cached = await readCachedText(options.dataDir, sha256);
		if (cached && cached.extraction === EXTRACTION_VERSION && cached.preview !== undefined) {
			ready.set(paper.id, { pages: cached.pages, sha256, bytes, preview: cached.preview });
			for (const warning of cached.warnings ?? []) {
				report.issues.push({ file: pdfFileName(paper), message: warning, severity: 'warning' });
			}
			report.reused += 1;
			continue;
		}
		pending.push({ key: paper.id, path: paper.pdfPath, sha256, bytes });
		pool.reserve(pending.length);
	}
	await hashes.save();
	clock.lap('hash');
	const extracted = extractPending(pool, papers, pending, ready, options, report, clock);
	// Awaited later, after other work: marked handled now so that an early failure (a full disk)
	// is not an unhandled rejection that ends the process; the caller's await still throws it.
	extracted.catch(() => undefined);
	return { ready, waiting: new Set(pending.map((job) => job.key)), extracted };
}

async function extractPending(
	pool: ExtractPool,
	papers: PaperSource[],
	pending: { key: string; path: string; sha256: string; bytes: number }[],
	ready: Map<string, PaperText>,
	options: IngestOptions,
	report: IngestReport,
	clock: StageClock
): Promise<Map<string, PaperText>> {
	const started = performance.now();
	const result = new Map<string, PaperText>();
	const byId = new Map(papers.map((paper) => [paper.id, paper]));
	const extracted = await pool.run(
		pending.map(({ key, path }) => ({ key, path })),
		{
			timeoutMs: options.extract?.timeoutMs,
			maxBytes: options.maxPdfBytes,
			maxPages: options.maxPages,
			onProgress: (done, total, key) => options.progress?.update(done, total, key)
		}
	);
	options.progress?.done();
	clock.charge('extract', performance.now() - started);

	const storing = performance.now();
	for (const job of pending) {
		const outcome = extracted.get(job.key);
		const file = pdfFileName(byId.get(job.key)!);
		if (!outcome || !outcome.ok) {
			report.degraded += 1;
			report.issues.push({
				file,
				message: `${outcome ? outcome.reason : 'not extracted'}; listed without full text`,
				severity: 'warning'
			});
			continue;
		}
		for (const warning of outcome.warnings) {
			report.issues.push({ file, message: warning, severity: 'warning' });
		}
		const preview = outcome.firstPage ?? null;
		await writeCachedText(options.dataDir, job.sha256, {
			extraction: EXTRACTION_VERSION,
			pages: outcome.pages,
			warnings: outcome.warnings,
			preview
		});
		result.set(job.key, {
			pages: outcome.pages,
			sha256: job.sha256,
			bytes: job.bytes,
			preview
		});
		report.extracted += 1;
	}

	// The content-addressed store is what the server streams; a changed PDF gets a new name.
	for (const [id, text] of [...ready, ...result]) {
		const target = pdfStorePath(options.dataDir, text.sha256);
		if (!existsSync(target)) {
			const temp = `${target}.${process.pid}.tmp`;
			await copyFile(byId.get(id)!.pdfPath!, temp);
			await rename(temp, target);
		}
	}
	clock.charge('store', performance.now() - storing);
	return result;
}

function pdfFileName(paper: PaperSource): string {
	return paper.file.replace(/\.ya?ml$/, '.pdf');
}

async function readCachedText(dataDir: string, sha256: string): Promise<CachedText | null> {
	try {
		const cached = JSON.parse(
			await readFile(join(textCacheDir(dataDir), `${sha256}.json`), 'utf8')
		);
		return Array.isArray(cached?.pages) ? (cached as CachedText) : null;
	} catch {
		return null;
	}
}

async function writeCachedText(dataDir: string, sha256: string, text: CachedText): Promise<void> {
	await writeFileAtomic(join(textCacheDir(dataDir), `${sha256}.json`), JSON.stringify(text));
}

function toPaper(
	source: PaperSource,
	edition: Edition,
	pages: string[],
	text: PaperText | undefined,
	fetched: FetchedCopy | undefined
): Paper {
	const pdfAbstract = !source.abstract && pages.length ? findAbstract(pages[0], pages[1]) : null;
	return {
		id: source.id,
		edition: source.edition,
		year: edition.year,
		title: source.title,
		authors: source.authors,
		type: source.type ?? null,
		award: source.award ?? null,
		abstract: source.abstract ?? pdfAbstract,
		abstractSource: source.abstract ? 'curated' : pdfAbstract ? 'pdf' : null,
		keywords: source.keywords ?? [],
		topics: [],
		doi: source.doi ?? null,
		arxiv: source.arxiv ?? null,
		url: source.url ?? null,
		code: source.code ?? null,
		pages: source.pages ?? null,
		// A curator's licence wins; otherwise the one the fetched copy's source states.
		license: source.license ?? fetched?.license ?? null,
		pdfUrl: remotePdfUrl(source),
		pdf: text
			? {
					sha256: text.sha256,
					bytes: text.bytes,
					pageCount: pages.length,
					origin: fetched ? 'fetched' : 'local',
					...(text.preview && { preview: text.preview })
				}
			: null,
		file: source.file,
		words: pages.reduce((sum, page) => sum + countWords(page), 0)
	};
}

function countWords(text: string): number {
	return text.split(/\s+/).filter(Boolean).length;
}

function comparePapers(a: Paper, b: Paper): number {
	return (
		b.year - a.year ||
		(TYPE_ORDER[a.type ?? 'poster'] ?? 9) - (TYPE_ORDER[b.type ?? 'poster'] ?? 9) ||
		a.title.localeCompare(b.title)
	);
}

/**
 * Writes every file of a build in its own directory and its manifest (sizes and checksums, read
 * back from the disk), then publishes it and removes files no kept build uses; on error before
 * the publish, removes the build.
 */
async function writeBuild(
	dataDir: string,
	catalog: Catalog,
	index: PaperIndexInput[],
	report: IngestReport,
	writeIndex: typeof writeSearchIndexOfSegments,
	clock: StageClock,
	log?: (line: string) => void
): Promise<void> {
	const buildId = newBuildId();
	const dir = buildDir(dataDir, buildId);
	await mkdir(dir, { recursive: true });
	try {
		clock.lap('authors');
		await writeIndex(join(dir, 'search'), index);
		clock.lap('index');
		await writeFile(join(dir, 'catalog.json'), JSON.stringify(catalog));
		clock.lap('catalog');
		const degraded = report.degraded > 0 || report.issues.some((i) => i.severity === 'error');
		report.exitCode = degraded ? 2 : 0;
		report.seconds = (Date.now() - Date.parse(report.startedAt)) / 1000;
		await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, '\t'));
		await writeBuildManifest(dir);
	} catch (error) {
		await rm(dir, { recursive: true, force: true });
		throw error;
	}
	const kept = await publishBuild(dataDir, buildId);
	// Housekeeping only: the build is live whatever happens here.
	try {
		const pruned = await removeUnusedFiles(dataDir, kept);
		if (pruned.files > 0) {
			log?.(`removed ${pruned.files} file(s) no kept build uses (${formatBytes(pruned.bytes)})`);
		}
	} catch (error) {
		log?.(`unused files not removed: ${(error as Error).message}`);
	}
}

function formatBytes(bytes: number): string {
	return bytes < 1024 * 1024
		? `${Math.ceil(bytes / 1024)} KB`
		: `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
