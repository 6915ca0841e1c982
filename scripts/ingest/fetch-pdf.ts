/**
 * Fetching open-access PDFs the organiser does not hold (`npm run ingest -- --fetch`): each
 * paper's `pdf_url`, or the arXiv PDF of its `arxiv` id, downloaded once into a cache with a
 * timeout, a size cap, a check that the bytes are a PDF, a polite delay between requests and an
 * honest User-Agent. A failed download writes nothing, so offline the cache is left as it was.
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
	/** Where `arxiv` ids are fetched from; tests point it at a local server. */
	arxivPdfBase?: string;
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
	/** What went wrong, for the report. */
	message?: string;
}

interface CacheEntry {
	sha256: string;
	bytes: number;
	fetchedAt: string;
}

const INDEX_FILE = 'index.json';
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_DELAY_MS = 2_000;

/** The User-Agent: says what the program is and why it fetches, as polite crawlers do. */
function userAgent(contact?: string): string {
	const contactPart = contact ? `; ${contact}` : '';
	return `Glassbox/0.1 (iMIMIC proceedings portal; fetches each open-access PDF once for full-text search${contactPart})`;
}

/** The URL a paper's PDF would be fetched from: its `pdf_url`, else its arXiv PDF, else null. */
export function remotePdfUrl(
	paper: RemotePdfSource,
	arxivPdfBase = 'https://arxiv.org/pdf/'
): string | null {
	if (paper.pdf_url) return paper.pdf_url;
	if (paper.arxiv) return `${arxivPdfBase}${paper.arxiv}`;
	return null;
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
	options: Required<Pick<FetchOptions, 'timeoutMs' | 'maxBytes'>> & { agent: string }
): Promise<Uint8Array> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), options.timeoutMs);
	try {
		let response: Response;
		try {
			response = await fetch(url, {
				signal: controller.signal,
				redirect: 'follow',
				headers: { 'user-agent': options.agent, accept: 'application/pdf' }
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
		if (!looksLikePdf(bytes)) {
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
 * `<sha256>.pdf`, with `index.json` mapping URLs to hashes). Already cached URLs are not
 * fetched again. Returns one result per paper, in order; never throws for a network problem.
 */
export async function fetchRemotePdfs(
	papers: RemotePdfSource[],
	cacheDir: string,
	options: FetchOptions = {}
): Promise<FetchResult[]> {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
	const sleep =
		options.sleep ?? ((ms: number) => new Promise<void>((wake) => setTimeout(wake, ms)));
	const agent = userAgent(options.contact);
	const log = options.log ?? (() => {});
	const index = await readIndex(cacheDir);
	const results: FetchResult[] = [];
	let requests = 0;

	for (const paper of papers) {
		const url = remotePdfUrl(paper, options.arxivPdfBase);
		const report = (result: FetchResult) => {
			results.push(result);
			const detail = result.message ? `: ${result.message}` : '';
			if (result.status !== 'local' && result.status !== 'no-url')
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
			report({ id: paper.id, url, status: 'cached', file: cachedFile, ...cached });
			continue;
		}
		if (options.cacheOnly) {
			report({ id: paper.id, url, status: 'not-cached' });
			continue;
		}
		if (requests > 0 && delayMs > 0) await sleep(delayMs);
		requests++;
		try {
			const bytes = await download(url, { timeoutMs, maxBytes, agent });
			const sha256 = createHash('sha256').update(bytes).digest('hex');
			await mkdir(cacheDir, { recursive: true });
			const file = join(cacheDir, `${sha256}.pdf`);
			if (!existsSync(file)) await writeFileAtomic(file, bytes);
			index[url] = { sha256, bytes: bytes.byteLength, fetchedAt: new Date().toISOString() };
			// The index is rewritten after each success, so an interrupted run keeps what it got.
			await writeFileAtomic(join(cacheDir, INDEX_FILE), JSON.stringify(index, null, 2));
			report({ id: paper.id, url, status: 'fetched', file, sha256, bytes: bytes.byteLength });
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
