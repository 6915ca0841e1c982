/**
 * Reading one PDF for the ingest: pdf.js opens it (within size, page and time limits), gives the
 * positioned text runs of each page, and layout.ts turns them into one normalised string per
 * page in reading order. Page one's size is kept for the reader, which shows page one's JPEG (drawn
 * by the server, see src/lib/server/page-one-warmup.ts) in a box of that shape.
 *
 * Bad input never throws: every failure is an `{ ok: false, reason }` a curator can act on.
 */
import { readFile, stat } from 'node:fs/promises';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { normaliseText } from '../../src/lib/text/normalise.ts';
import { layoutsToText, type PageLayout } from '../../src/lib/pdf/layout.ts';
import { readPageLayoutAt, UNREADABLE_PAGE } from '../../src/lib/pdf/page-layout.ts';
import { loadPdfjs, type Pdfjs } from '../../src/lib/server/page-render.ts';
import { textReadingOptions } from '../../src/lib/server/pdfjs-node.js';
import type { PreviewInfo } from '../../src/lib/types.ts';

export interface ExtractOptions {
	/** Files larger than this are refused before they are read. */
	maxBytes: number;
	/** Documents with more pages than this are refused before any page is read. */
	maxPages: number;
	/** Give up on a file after this long (default 120 s), even in the middle of a page. */
	timeoutMs?: number;
	/**
	 * Called as each page (1-based) is started, and awaited as part of reading it. The worker
	 * tells the pool which page it is on, so that a page that blocks its thread is named when the
	 * pool has to kill it.
	 */
	onPage?(page: number): void | Promise<void>;
	/** Extraction needs no password: encrypted files are reported, never opened. */
	password?: never;
}

export interface ExtractInfo {
	title?: string;
	author?: string;
}

export type ExtractResult =
	| {
			ok: true;
			pages: string[];
			pageCount: number;
			info: ExtractInfo;
			warnings: string[];
			/** Page one's size in PDF points as drawn (its rotation applied), when pdf.js gives it. */
			firstPage?: PreviewInfo;
	  }
	| { ok: false; reason: string };

export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Bumped whenever a change to extraction changes the text it gives (reading order, joining,
 * cleaning), so that page texts cached by an older version are extracted again.
 */
export const EXTRACTION_VERSION = 4;

const MB = 1024 * 1024;

/** "2.4 MB", "12 KB", "900 bytes": precise enough to compare a file with its cap. */
function formatBytes(bytes: number): string {
	if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
	if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${bytes} bytes`;
}

/**
 * Extracts the normalised text of every page of a PDF (bytes or a path). Never throws: corrupt,
 * truncated, empty, encrypted, scanned, oversized or slow files come back as `{ ok: false, reason }`.
 */
export async function extractPdf(
	source: Uint8Array | string,
	options: ExtractOptions
): Promise<ExtractResult> {
	let data: Uint8Array;
	try {
		if (typeof source === 'string') {
			const info = await stat(source);
			if (!info.isFile()) return { ok: false, reason: 'not a file' };
			if (info.size > options.maxBytes) return tooLarge(info.size, options.maxBytes);
			data = new Uint8Array(await readFile(source));
		} else {
			data = source;
		}
	} catch (error) {
		return { ok: false, reason: `unreadable: ${errorMessage(error)}` };
	}
	if (data.byteLength === 0) return { ok: false, reason: 'empty file (0 bytes)' };
	if (data.byteLength > options.maxBytes) return tooLarge(data.byteLength, options.maxBytes);
	const header = Buffer.from(data.subarray(0, 1024)).toString('latin1');
	if (!header.includes('%PDF-')) {
		// Never quote the bytes: the file may be anything (a link to a private file, say).
		return { ok: false, reason: 'not a PDF (no %PDF- header in its first 1 KB)' };
	}
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	let pdfjs: Pdfjs;
	try {
		pdfjs = await loadPdfjs();
	} catch (error) {
		return { ok: false, reason: `pdf.js failed to load: ${errorMessage(error)}` };
	}
	const job = extractChecked(pdfjs, data, options, Date.now() + timeoutMs);
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<ExtractResult>((resolve) => {
		timer = setTimeout(() => {
			job.cancel();
			resolve(timedOut(options, job.currentPage()));
		}, timeoutMs);
	});
	try {
		return await Promise.race([job.result, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** The timeout failure, naming the page being read when the time ran out (none: while opening). */
export function timedOut(options: Pick<ExtractOptions, 'timeoutMs'>, page?: number): ExtractResult {
	const seconds = Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000);
	return { ok: false, reason: `timed out after ${seconds} s${page ? ` on page ${page}` : ''}` };
}

/** A page still being read when the file's time ran out. */
class PageTimeout extends Error {}

/**
 * Settles with `reading`, or rejects with a `PageTimeout` once the deadline passes, so that a
 * page whose text never comes (pdf.js waiting on something) cannot hold the file past its time.
 */
async function withinDeadline<T>(reading: Promise<T>, deadline: number): Promise<T> {
	// The abandoned read may still fail after the document is destroyed; that is expected.
	reading.catch(() => undefined);
	let timer: NodeJS.Timeout | undefined;
	const expiry = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new PageTimeout()), Math.max(0, deadline - Date.now()));
	});
	try {
		return await Promise.race([reading, expiry]);
	} finally {
		clearTimeout(timer);
	}
}

function tooLarge(bytes: number, cap: number): ExtractResult {
	return { ok: false, reason: `too large: ${formatBytes(bytes)} > cap ${formatBytes(cap)}` };
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** pdf.js reports its failures with exception names rather than classes we can import cheaply. */
function reasonForPdfError(error: unknown, truncated: boolean): string {
	const name = (error as { name?: string } | null)?.name ?? '';
	const message = errorMessage(error);
	if (name === 'PasswordException') return 'encrypted: needs a password';
	if (truncated) return `truncated: the file ends before its end-of-file marker (${message})`;
	if (name === 'InvalidPDFException') return `corrupt: ${message}`;
	return `corrupt: ${message}`;
}

/**
 * Opens and reads the document. Each page is raced against the time left, which stops a page
 * that waits; but pdf.js parses in this thread without yielding to timers, so a page that keeps
 * the thread busy is caught only when it returns (the deadline is checked after every page), or
 * by the pool killing the worker when it never does.
 */
function extractChecked(
	{ getDocument, VerbosityLevel }: Pdfjs,
	data: Uint8Array,
	options: ExtractOptions,
	deadline: number
): { result: Promise<ExtractResult>; cancel(): void; currentPage(): number | undefined } {
	// pdf.js transfers (detaches) the buffer it is given; a copy keeps the caller's bytes usable.
	const bytes = new Uint8Array(data);
	const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.byteLength - 2048))).toString('latin1');
	const truncated = !tail.includes('%%EOF');
	const task = getDocument({
		...textReadingOptions,
		data: bytes,
		verbosity: VerbosityLevel.ERRORS
	});
	let cancelled = false;
	let currentPage: number | undefined;
	const readPage = async (doc: PDFDocumentProxy, number: number) => {
		await options.onPage?.(number);
		return readPageLayoutAt(doc, number);
	};
	const run = async (): Promise<ExtractResult> => {
		let doc: PDFDocumentProxy;
		try {
			doc = await task.promise;
		} catch (error) {
			return { ok: false, reason: reasonForPdfError(error, truncated) };
		}
		try {
			if (doc.numPages > options.maxPages) {
				return { ok: false, reason: `too many pages: ${doc.numPages} > cap ${options.maxPages}` };
			}
			const warnings: string[] = [];
			if (truncated) warnings.push('no end-of-file marker: the file may be truncated');
			const layouts: PageLayout[] = [];
			for (let number = 1; number <= doc.numPages; number++) {
				// Spent before page 1 (opening the file); later pages are checked as they finish.
				if (cancelled || Date.now() >= deadline) return timedOut(options, currentPage);
				currentPage = number;
				try {
					layouts.push(await withinDeadline(readPage(doc, number), deadline));
				} catch (error) {
					if (error instanceof PageTimeout) return timedOut(options, number);
					warnings.push(`page ${number}: unreadable (${errorMessage(error)})`);
					layouts.push(UNREADABLE_PAGE);
				}
				// A page that kept the thread busy past the deadline returns late; it still fails.
				if (Date.now() >= deadline) return timedOut(options, number);
			}
			const pages = layoutsToText(layouts);
			const words = pages.reduce((sum, page) => sum + countWords(page), 0);
			if (words === 0) return { ok: false, reason: 'no text: scanned?' };
			const empty = pages.flatMap((page, index) => (page ? [] : [index + 1]));
			if (empty.length > 0) warnings.push(`no text on page ${empty.join(', ')}: scanned?`);
			const info = await readInfo(doc);
			const firstPage = await firstPageSize(doc);
			return {
				ok: true,
				pages,
				pageCount: doc.numPages,
				info,
				warnings,
				...(firstPage && { firstPage })
			};
		} catch (error) {
			return { ok: false, reason: reasonForPdfError(error, truncated) };
		} finally {
			await doc.destroy().catch(() => undefined);
		}
	};
	return {
		result: run(),
		cancel() {
			cancelled = true;
			void task.destroy().catch(() => undefined);
		},
		currentPage: () => currentPage
	};
}

/** Page one's size as its JPEG is drawn: pdf.js keeps the page read for its text, so no parsing. */
async function firstPageSize(doc: PDFDocumentProxy): Promise<PreviewInfo | undefined> {
	try {
		const { width, height } = (await doc.getPage(1)).getViewport({ scale: 1 });
		return width > 0 && height > 0 ? { width, height } : undefined;
	} catch {
		return undefined;
	}
}

function countWords(text: string): number {
	return text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

async function readInfo(doc: PDFDocumentProxy): Promise<ExtractInfo> {
	try {
		const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, unknown> };
		const result: ExtractInfo = {};
		const title = typeof info?.Title === 'string' ? normaliseText(info.Title) : '';
		const author = typeof info?.Author === 'string' ? normaliseText(info.Author) : '';
		if (title) result.title = title;
		if (author) result.author = author;
		return result;
	} catch {
		return {};
	}
}
