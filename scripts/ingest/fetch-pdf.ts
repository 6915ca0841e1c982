/**
 * Fetching open-access PDFs the organiser does not hold (`npm run ingest -- --fetch`): each
 * paper's `pdf_url`, or the arXiv PDF of its `arxiv` id, downloaded once into a cache with a
 * timeout, a size cap, a check that the bytes are a PDF, a polite delay between requests and an
 * honest User-Agent. A failed download writes nothing, so offline the cache is left as it was.
 * For an arXiv copy the licence is read once from arXiv's OAI-PMH metadata (its Atom API does not
 * state it) and cached with the copy, so that what may be served is known offline too.
 *
 * Relative imports only: the ingest (tsx) calls it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../src/lib/server/data-dir.ts';
import { join } from 'node:path';

/** What a paper needs for a remote fetch (a `PaperSource` fits). */
export interface RemotePdfSource {
	id: string;
	pdf_url?: string | null;
	arxiv?: string | null;
	/** A local PDF beside the YAML: nothing to fetch. */
	pdfPath?: string;
}

export interface FetchOptions {
	/** Whole-request limit (headers and body), ms. */
	timeoutMs?: number;
	/** Largest PDF accepted, bytes. */
	maxBytes?: number;
	/** Pause between two network requests, ms, so a source is never hammered. */
	delayMs?: number;
	/** Who to contact about the crawler (a URL or mailto:), appended to the User-Agent. */
	contact?: string;
	/** Where `arxiv` ids are fetched from (default `$GLASSBOX_ARXIV_PDF_BASE` or arxiv.org). */
	arxivPdfBase?: string;
	/** arXiv's OAI-PMH endpoint, asked for each copy's licence (default `$GLASSBOX_ARXIV_OAI_BASE`). */
	arxivOaiBase?: string;
	/** Only report what is cached; never touch the network (ingest without `--fetch`). */
	cacheOnly?: boolean;
	/** One line per paper, for the ingest report. */
	log?: (line: string) => void;
	/** Injected in tests so that the delay is observed without waiting. */
	sleep?: (ms: number) => Promise<void>;
}

type FetchStatus =
	| 'fetched'
	| 'cached'
	| 'local'
	| 'no-url'
	| 'not-cached'
	| 'unreachable'
	| 'timeout'
	| 'too-large'
	| 'not-pdf'
	| 'http-error';

interface FetchResult {
	id: string;
	url: string | null;
	status: FetchStatus;
	/** Absolute path of the cached PDF (for `fetched` and `cached`). */
	file?: string;
	sha256?: string;
	bytes?: number;
	/** The copy's licence as its source states it (arXiv copies only), e.g. `CC BY 4.0`. */
	license?: string;
	/** What went wrong, for the report. */
	message?: string;
}

interface CacheEntry {
	sha256: string;
	bytes: number;
	fetchedAt: string;
	/** Null when the source was asked and states none; absent when not asked (yet). */
	license?: string | null;
}

const INDEX_FILE = 'index.json';
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_DELAY_MS = 2_000;
/** After this many network failures in a row with no success, the machine is taken to be offline. */
const OFFLINE_AFTER_FAILURES = 2;

/** arXiv's PDF base: `GLASSBOX_ARXIV_PDF_BASE` (tests point it at a local imitation) or arxiv.org. */
export function arxivPdfBase(): string {
	return process.env.GLASSBOX_ARXIV_PDF_BASE || 'https://arxiv.org/pdf/';
}

/** arXiv's OAI-PMH endpoint: `GLASSBOX_ARXIV_OAI_BASE` or the public one. */
export function arxivOaiBase(): string {
	return process.env.GLASSBOX_ARXIV_OAI_BASE || 'https://oaipmh.arxiv.org/oai';
}

/** The User-Agent: says what the program is and why it fetches, as polite crawlers do. */
function userAgent(contact?: string): string {
	const contactPart = contact ? `; ${contact}` : '';
	return `Glassbox/0.1 (iMIMIC proceedings portal; fetches each open-access PDF once for full-text search${contactPart})`;
}

/** The URL a paper's PDF would be fetched from: its `pdf_url`, else its arXiv PDF, else null. */
export function remotePdfUrl(paper: RemotePdfSource, pdfBase = arxivPdfBase()): string | null {
	if (paper.pdf_url) return paper.pdf_url;
	if (paper.arxiv) return `${pdfBase}${paper.arxiv}`;
	return null;
}

/**
 * A licence URL as people name it: `http://creativecommons.org/licenses/by-nc-sa/4.0/` →
 * `CC BY-NC-SA 4.0`, CC0 → `CC0 1.0`, arXiv's own → `arXiv non-exclusive distribution`; any
 * other URL is kept as it is.
 */
export function licenseName(url: string): string {
	const cc = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d+(?:\.\d+)?)/i.exec(url);
	if (cc) return `CC ${cc[1].toUpperCase()} ${cc[2]}`;
	const zero = /creativecommons\.org\/publicdomain\/zero\/(\d+(?:\.\d+)?)/i.exec(url);
	if (zero) return `CC0 ${zero[1]}`;
	if (/arxiv\.org\/licenses\/nonexclusive-distrib/i.test(url))
		return 'arXiv non-exclusive distribution';
	return url.trim();
}

/** The `<license>` of an OAI-PMH arXiv record, named; null when the record states none. */
export function licenseFromOaiRecord(xml: string): string | null {
	const match = /<(?:[\w-]+:)?license>\s*([^<]+?)\s*<\/(?:[\w-]+:)?license>/.exec(xml);
	return match ? licenseName(match[1]) : null;
}

/** True when the bytes start like a PDF (the header may follow up to 1 KiB of junk, as readers allow). */
export function looksLikePdf(bytes: Uint8Array): boolean {
	const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
	return head.includes('%PDF-');
}

async function readIndex(cacheDir: string): Promise<Record<string, CacheEntry>> {
	try {
		return JSON.parse(await readFile(join(cacheDir, INDEX_FILE), 'utf8'));
	} catch {
		return {};
	}
}

class FetchFailure extends Error {
	constructor(
		readonly status: FetchStatus,
		message: string
	) {
		super(message);
	}
}

/** Downloads one URL into memory, enforcing the timeout and the size cap while streaming. */
async function download(
	url: string,
	options: Required<Pick<FetchOptions, 'timeoutMs' | 'maxBytes'>> & {
		agent: string;
		/** Accept any answer, not only a PDF (the OAI-PMH metadata). */
		anyType?: boolean;
	}
): Promise<Uint8Array> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), options.timeoutMs);
	try {
		let response: Response;
		try {
			response = await fetch(url, {
				signal: controller.signal,
				redirect: 'follow',
				headers: {
					'user-agent': options.agent,
					accept: options.anyType ? 'application/xml, text/xml' : 'application/pdf'
				}
			});
		} catch (error) {
			if (controller.signal.aborted) {
				throw new FetchFailure('timeout', `no answer within ${options.timeoutMs / 1000} s`);
			}
			const cause = (error as { cause?: { code?: string; message?: string } }).cause;
			throw new FetchFailure(
				'unreachable',
				cause?.code ?? cause?.message ?? (error as Error).message
			);
		}
		if (!response.ok) {
			await response.body?.cancel();
			throw new FetchFailure('http-error', `HTTP ${response.status} ${response.statusText}`.trim());
		}
		const declared = Number(response.headers.get('content-length'));
		if (declared > options.maxBytes) {
			await response.body?.cancel();
			throw new FetchFailure(
				'too-large',
				`${declared} bytes declared, over the ${options.maxBytes}-byte cap`
			);
		}
		const chunks: Uint8Array[] = [];
		let total = 0;
		const reader = response.body?.getReader();
		try {
			for (;;) {
				if (!reader) break;
				const { done, value } = await reader.read();
				if (done || !value) break;
				total += value.byteLength;
				if (total > options.maxBytes) {
					await reader.cancel();
					throw new FetchFailure('too-large', `over the ${options.maxBytes}-byte cap`);
				}
				chunks.push(value);
			}
		} catch (error) {
			if (error instanceof FetchFailure) throw error;
			if (controller.signal.aborted) {
				throw new FetchFailure(
					'timeout',
					`download not finished within ${options.timeoutMs / 1000} s`
				);
			}
			throw new FetchFailure('unreachable', (error as Error).message);
		}
		const bytes = Buffer.concat(chunks);
		if (!options.anyType && !looksLikePdf(bytes)) {
			const type = response.headers.get('content-type') ?? 'no content type';
			throw new FetchFailure(
				'not-pdf',
				`the answer is not a PDF (${type}, ${bytes.byteLength} bytes)`
			);
		}
		return bytes;
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Makes sure each paper without a local PDF has its remote PDF in `cacheDir` (as
 * `<sha256>.pdf`, with `index.json` mapping URLs to hashes and, for arXiv copies, their
 * licence). Already cached URLs are not fetched again. After two network failures in a row and
 * no success the machine is taken to be offline and the rest is not tried. Returns one result per
 * paper, in order; never throws for a network problem.
 */
export async function fetchRemotePdfs(
	papers: RemotePdfSource[],
	cacheDir: string,
	options: FetchOptions = {}
): Promise<FetchResult[]> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
	const pdfBase = options.arxivPdfBase ?? arxivPdfBase();
	const oaiBase = options.arxivOaiBase ?? arxivOaiBase();
	const sleep =
		options.sleep ?? ((ms: number) => new Promise<void>((wake) => setTimeout(wake, ms)));
	const agent = userAgent(options.contact);
	const log = options.log ?? (() => {});
	const index = await readIndex(cacheDir);
	const results: FetchResult[] = [];
	let requests = 0;
	let failuresInARow = 0;
	let networkAnswered = false;
	const offline = () => !networkAnswered && failuresInARow >= OFFLINE_AFTER_FAILURES;

	/** One polite request: pauses between requests; counts failures without an answer to notice being offline. */
	const request = async (url: string, anyType = false): Promise<Uint8Array> => {
		if (requests > 0 && delayMs > 0) await sleep(delayMs);
		requests++;
		try {
			const bytes = await download(url, { timeoutMs, maxBytes, agent, anyType });
			networkAnswered = true;
			return bytes;
		} catch (error) {
			const noAnswer =
				error instanceof FetchFailure &&
				(error.status === 'unreachable' || error.status === 'timeout');
			// Any answer (a 404, a web page) shows the network is there.
			if (noAnswer) failuresInARow++;
			else networkAnswered = true;
			throw error;
		}
	};
	const saveIndex = () =>
		writeFileAtomic(join(cacheDir, INDEX_FILE), JSON.stringify(index, null, 2));

	/** Asks arXiv's OAI-PMH for the licence of a cached copy that has none recorded yet. */
	const askLicense = async (paper: RemotePdfSource, entry: CacheEntry): Promise<void> => {
		if (!paper.arxiv || paper.pdf_url || entry.license !== undefined || offline()) return;
		const bareId = paper.arxiv.replace(/v\d+$/, '');
		const url = `${oaiBase}?verb=GetRecord&identifier=oai:arXiv.org:${bareId}&metadataPrefix=arXiv`;
		try {
			const xml = Buffer.from(await request(url, true)).toString('utf8');
			// An OAI-PMH error (unknown id…) says nothing about the licence: ask again next time.
			if (/<error\b/.test(xml)) return;
			entry.license = licenseFromOaiRecord(xml);
			await saveIndex();
		} catch (error) {
			if (!(error instanceof FetchFailure)) throw error;
		}
	};

	for (const paper of papers) {
		const url = remotePdfUrl(paper, pdfBase);
		const report = (result: FetchResult) => {
			results.push(result);
			const detail = result.message ? `: ${result.message}` : '';
			// Not-cached papers are summed up by the caller in one sentence, not listed one by one.
			if (!['local', 'no-url', 'not-cached'].includes(result.status))
				log(`${paper.id}: ${result.status} ${url ?? ''}${detail}`.trim());
		};
		if (paper.pdfPath) {
			report({ id: paper.id, url, status: 'local' });
			continue;
		}
		if (!url) {
			report({ id: paper.id, url: null, status: 'no-url' });
			continue;
		}
		const cached = index[url];
		const cachedFile = cached && join(cacheDir, `${cached.sha256}.pdf`);
		if (cached && existsSync(cachedFile)) {
			if (!options.cacheOnly) await askLicense(paper, cached);
			report({
				id: paper.id,
				url,
				status: 'cached',
				file: cachedFile,
				sha256: cached.sha256,
				bytes: cached.bytes,
				...(cached.license && { license: cached.license })
			});
			continue;
		}
		if (options.cacheOnly) {
			report({ id: paper.id, url, status: 'not-cached' });
			continue;
		}
		if (offline()) {
			report({
				id: paper.id,
				url,
				status: 'unreachable',
				message: `not tried: the first ${OFFLINE_AFTER_FAILURES} requests found no network`
			});
			continue;
		}
		try {
			const bytes = await request(url);
			const sha256 = createHash('sha256').update(bytes).digest('hex');
			await mkdir(cacheDir, { recursive: true });
			const file = join(cacheDir, `${sha256}.pdf`);
			if (!existsSync(file)) await writeFileAtomic(file, bytes);
			const entry: CacheEntry = {
				sha256,
				bytes: bytes.byteLength,
				fetchedAt: new Date().toISOString()
			};
			index[url] = entry;
			// The index is rewritten after each success, so an interrupted run keeps what it got.
			await saveIndex();
			await askLicense(paper, entry);
			report({
				id: paper.id,
				url,
				status: 'fetched',
				file,
				sha256,
				bytes: bytes.byteLength,
				...(entry.license && { license: entry.license })
			});
		} catch (error) {
			if (!(error instanceof FetchFailure)) throw error;
			report({ id: paper.id, url, status: error.status, message: error.message });
		}
	}
	return results;
}

/** Counts results by status, for a one-line summary ("3 fetched, 1 unreachable"). */
export function summariseFetch(results: FetchResult[]): string {
	const counts = new Map<FetchStatus, number>();
	for (const result of results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
	return [...counts.entries()]
		.filter(([status]) => status !== 'local' && status !== 'no-url')
		.map(([status, count]) => `${count} ${status}`)
		.join(', ');
}
