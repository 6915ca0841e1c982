/**
 * PDF text extraction for the ingest: one normalised string per page, in reading order.
 *
 * pdf.js gives positioned text items; this module rebuilds lines from their positions, drops
 * what a reader never searches for (review-draft line numbers, running headers and footers,
 * page numbers, rotated watermarks), puts two-column pages in reading order (full-width items
 * such as titles first, then the left column, then the right) and joins lines with the shared
 * `joinLines`/`normaliseText`, so that the viewer can rebuild the same text.
 *
 * Bad input never throws: every failure is an `{ ok: false, reason }` a curator can act on.
 */
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderPreview, type PagePreview } from './preview.ts';
import { hyphenVocabulary, joinLines, normaliseText } from '../../src/lib/text/normalise.ts';

import { loadPdfjs, type Pdfjs } from '../../src/lib/server/page-image.ts';

export { loadPdfjs };

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
	/** Also draw page one as a JPEG (see preview.ts), within the same time budget. */
	preview?: boolean;
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
			/** Page one as a JPEG, when asked for and drawn; a failed drawing is only a warning. */
			preview?: PagePreview;
	  }
	| { ok: false; reason: string };

export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Bumped whenever a change to extraction changes the text it gives (reading order, joining,
 * cleaning), so that page texts cached by an older version are extracted again.
 */
export const EXTRACTION_VERSION = 2;

/** A run of text on one baseline, as pdf.js drew it. */
export interface TextRun {
	text: string;
	x0: number;
	x1: number;
	y: number;
	size: number;
	/** Whitespace-only runs only tell us a space was there. */
	blank: boolean;
	endsLine: boolean;
}

/** Neighbouring runs on one baseline without a wide gap: a line, or one column's part of it. */
export interface Segment {
	text: string;
	x0: number;
	x1: number;
	/** Baseline of the segment's largest text (superscripts do not move it). */
	y: number;
	size: number;
}

interface PageLayout {
	width: number;
	height: number;
	/** Bottom of the page box, so that margins are measured from the box, not from 0. */
	bottom: number;
	left: number;
	segments: Segment[];
}

const MB = 1024 * 1024;

/** "2.4 MB", "12 KB", "900 bytes": precise enough to compare a file with its cap. */
export function formatBytes(bytes: number): string {
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
function timedOut(options: Pick<ExtractOptions, 'timeoutMs'>, page?: number): ExtractResult {
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
		data: bytes,
		useSystemFonts: false,
		isEvalSupported: false,
		disableFontFace: true,
		verbosity: VerbosityLevel.ERRORS,
		stopAtErrors: false
	});
	let cancelled = false;
	let currentPage: number | undefined;
	const readPage = async (doc: PDFDocumentProxy, number: number) => {
		await options.onPage?.(number);
		return readPageLayout(doc, number);
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
					layouts.push({ width: 0, height: 0, bottom: 0, left: 0, segments: [] });
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
			const preview = options.preview ? await previewWithin(doc, deadline, warnings) : undefined;
			return {
				ok: true,
				pages,
				pageCount: doc.numPages,
				info,
				warnings,
				...(preview && { preview })
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

/** Page one's JPEG, or undefined with a warning when it cannot be drawn in the time left. */
async function previewWithin(
	doc: PDFDocumentProxy,
	deadline: number,
	warnings: string[]
): Promise<PagePreview | undefined> {
	try {
		return await withinDeadline(renderPreview(doc), deadline);
	} catch (error) {
		const reason = error instanceof PageTimeout ? 'out of time' : errorMessage(error);
		warnings.push(
			`page 1: no preview image (${reason}); the reader shows the page once pdf.js has drawn it`
		);
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

// ---------------------------------------------------------------- page layout

async function readPageLayout(doc: PDFDocumentProxy, number: number): Promise<PageLayout> {
	const page = await doc.getPage(number);
	try {
		const [left, bottom, right, top] = page.view;
		const content = await page.getTextContent();
		const runs: TextRun[] = [];
		for (const item of content.items) {
			if (!('str' in item)) continue;
			const [a, b, c, d, e, f] = item.transform as number[];
			// Rotated text is a watermark ("DRAFT") or a margin stamp (arXiv id), never body text.
			if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d)) continue;
			const size = Math.abs(d) || Math.abs(a) || item.height || 1;
			const blank = item.str.trim() === '';
			runs.push({
				text: item.str,
				x0: e,
				x1: e + Math.abs(item.width),
				y: f,
				size,
				blank,
				endsLine: item.hasEOL
			});
		}
		return {
			width: right - left,
			height: top - bottom,
			bottom,
			left,
			segments: runsToSegments(runs)
		};
	} finally {
		page.cleanup();
	}
}

/**
 * Groups runs, in the order pdf.js drew them, into segments: a new segment starts at a line end,
 * a baseline change, a step backwards or a gap wider than a word space could be.
 */
export function runsToSegments(runs: TextRun[]): Segment[] {
	const segments: Segment[] = [];
	let current: (Segment & { dominant: number }) | null = null;
	let pendingSpace = false;
	const close = () => {
		if (current && current.text.trim()) {
			segments.push({
				text: current.text.trim(),
				x0: current.x0,
				x1: current.x1,
				y: current.y,
				size: current.size
			});
		}
		current = null;
		pendingSpace = false;
	};
	for (const run of runs) {
		if (run.blank) {
			if (run.text.length > 0) pendingSpace = true;
			if (run.endsLine) close();
			continue;
		}
		if (current) {
			const seg: Segment & { dominant: number } = current;
			const size = Math.max(seg.size, run.size);
			const gap = run.x0 - seg.x1;
			const sameBaseline = Math.abs(run.y - seg.y) <= 0.6 * size;
			if (sameBaseline && gap > -size && gap < 1.2 * size) {
				const space = pendingSpace || gap > 0.12 * Math.min(seg.size, run.size);
				seg.text += (space ? ' ' : '') + run.text;
				seg.x1 = Math.max(seg.x1, run.x1);
				if (run.size > seg.dominant) {
					seg.dominant = run.size;
					seg.y = run.y;
					seg.size = run.size;
				}
			} else {
				close();
			}
		}
		if (!current) {
			current = {
				text: run.text,
				x0: run.x0,
				x1: run.x1,
				y: run.y,
				size: run.size,
				dominant: run.size
			};
		}
		pendingSpace = false;
		if (run.endsLine) close();
	}
	close();
	return segments;
}

const INTEGER = /^\d{1,4}$/;

/**
 * Drops the line numbers of review drafts: a column of small integers at one x position that
 * count upwards down the page, with no other text in that column.
 */
export function dropLineNumbers(segments: Segment[]): Segment[] {
	const numbers = segments.filter((segment) => INTEGER.test(segment.text));
	if (numbers.length < 4) return segments;
	const groups = new Map<number, Segment[]>();
	for (const segment of numbers) {
		// Numbers are right- or left-aligned in their margin: key by the right edge, rounded.
		const key = Math.round(segment.x1 / 4);
		const group = groups.get(key) ?? groups.get(key - 1) ?? groups.get(key + 1) ?? [];
		if (group.length === 0) groups.set(key, group);
		group.push(segment);
	}
	const dropped = new Set<Segment>();
	for (const group of groups.values()) {
		if (group.length < 4) continue;
		const ordered = [...group].sort((a, b) => b.y - a.y);
		let rising = 0;
		for (let i = 1; i < ordered.length; i++) {
			const step = Number(ordered[i].text) - Number(ordered[i - 1].text);
			if (step >= 1 && step <= 3) rising++;
		}
		if (rising < 0.8 * (ordered.length - 1)) continue;
		const x0 = Math.min(...group.map((s) => s.x0));
		const x1 = Math.max(...group.map((s) => s.x1));
		const yTop = ordered[0].y + ordered[0].size;
		const yBottom = ordered[ordered.length - 1].y;
		// A table column of numbers has a heading or other cells centred over it; a margin has none.
		const sharesColumn = segments.some((s) => {
			const centre = (s.x0 + s.x1) / 2;
			return (
				!group.includes(s) &&
				centre > x0 - 2 &&
				centre < x1 + 2 &&
				s.y <= yTop + 2 * s.size &&
				s.y >= yBottom - 2 * s.size
			);
		});
		if (sharesColumn) continue;
		for (const segment of group) dropped.add(segment);
	}
	return dropped.size ? segments.filter((segment) => !dropped.has(segment)) : segments;
}

/** Digits vary between pages (page numbers, dates), so they are masked when comparing lines. */
function marginSignature(text: string): string {
	return normaliseText(text).toLowerCase().replace(/\d+/g, '#');
}

const PAGE_NUMBER = /^(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** The segments in the top and bottom bands of a page (the first and last two rows). */
function marginSegments(layout: PageLayout): Set<Segment> {
	const rows = [...new Set(layout.segments.map((s) => Math.round(s.y)))].sort((a, b) => b - a);
	const top = new Set(rows.slice(0, 2));
	const bottom = new Set(rows.slice(-2));
	const topLimit = layout.bottom + layout.height * 0.85;
	const bottomLimit = layout.bottom + layout.height * 0.15;
	return new Set(
		layout.segments.filter((s) => {
			const row = Math.round(s.y);
			return (top.has(row) && s.y >= topLimit) || (bottom.has(row) && s.y <= bottomLimit);
		})
	);
}

/**
 * Drops running headers and footers (the same line, digits aside, in the margin of several
 * pages) and bare page numbers in the margins.
 */
export function dropRunningLines(layouts: PageLayout[]): Segment[][] {
	const margins = layouts.map(marginSegments);
	const pagesWithSignature = new Map<string, number>();
	for (const margin of margins) {
		const seen = new Set([...margin].map((s) => marginSignature(s.text)));
		for (const signature of seen) {
			pagesWithSignature.set(signature, (pagesWithSignature.get(signature) ?? 0) + 1);
		}
	}
	const repeatedOn = Math.max(2, Math.ceil(layouts.length * 0.3));
	return layouts.map((layout, index) =>
		layout.segments.filter((segment) => {
			if (!margins[index].has(segment)) return true;
			if (PAGE_NUMBER.test(segment.text.trim())) return false;
			const count = pagesWithSignature.get(marginSignature(segment.text)) ?? 0;
			return layouts.length < 3 || count < repeatedOn;
		})
	);
}

interface ColumnSplit {
	gutter: number;
}

/**
 * Finds the gutter of a two-column page: the x position crossed by the least text with enough
 * text on either side. Returns null for single-column pages.
 */
export function findGutter(segments: Segment[], left: number, width: number): ColumnSplit | null {
	const body = segments.filter((s) => s.text.length >= 3);
	if (body.length < 10) return null;
	const total = body.reduce((sum, s) => sum + s.text.length, 0);
	const candidates: { gutter: number; crossing: number; band: number }[] = [];
	for (let x = left + width * 0.2; x <= left + width * 0.8; x += 2) {
		let crossing = 0;
		let leftChars = 0;
		let rightChars = 0;
		let leftCount = 0;
		let rightCount = 0;
		let leftEdge = -Infinity;
		let rightEdge = Infinity;
		for (const s of body) {
			if (s.x1 <= x) {
				leftChars += s.text.length;
				leftCount++;
				leftEdge = Math.max(leftEdge, s.x1);
			} else if (s.x0 >= x) {
				rightChars += s.text.length;
				rightCount++;
				rightEdge = Math.min(rightEdge, s.x0);
			} else crossing += s.text.length;
		}
		if (leftCount < 5 || rightCount < 5) continue;
		if (leftChars < 0.05 * total || rightChars < 0.05 * total) continue;
		candidates.push({ gutter: (leftEdge + rightEdge) / 2, crossing, band: rightEdge - leftEdge });
	}
	if (candidates.length === 0) return null;
	const fewest = Math.min(...candidates.map((c) => c.crossing));
	if (fewest > 0.35 * total) return null;
	// Among the cuts crossed by (almost) the least text, the widest empty band is the gutter.
	const best = candidates
		.filter((c) => c.crossing <= fewest + 0.01 * total)
		.reduce((a, b) => (b.band > a.band ? b : a));
	return { gutter: best.gutter };
}

/** How many wide lines in a row, down one column, show where its body begins (not a label). */
const BODY_RUN = 3;

/**
 * Where the two-column body begins on one side of the gutter: the baseline of the first of
 * `BODY_RUN` consecutive lines nearly as wide as the side's widest, and that side's left edge.
 */
function columnBodyStart(side: Segment[]): { top: number; edge: number } | null {
	const widest = Math.max(0, ...side.map((s) => s.x1 - s.x0));
	const wide = side.filter((s) => s.x1 - s.x0 >= 0.6 * widest).sort((a, b) => b.y - a.y);
	for (let i = 0; i + BODY_RUN - 1 < wide.length; i++) {
		const run = wide.slice(i, i + BODY_RUN);
		if (run.every((s, j) => j === 0 || run[j - 1].y - s.y <= 2.5 * s.size)) {
			return { top: run[0].y, edge: Math.min(...wide.map((s) => s.x0)) };
		}
	}
	return null;
}

/**
 * Joins into one segment each row above the two-column body whose pieces lie on both sides of
 * the gutter (an author row of four names, their affiliations), so that it is read across the
 * page rather than cut at the gutter. A row with a piece starting at a column's left edge is
 * column text (a heading beside a figure label) and is left alone.
 */
export function joinFullWidthRows(segments: Segment[], gutter: number): Segment[] {
	const leftBody = columnBodyStart(segments.filter((s) => s.x1 <= gutter));
	const rightBody = columnBodyStart(segments.filter((s) => s.x0 >= gutter));
	if (!leftBody || !rightBody) return segments;
	const bodyTop = Math.max(leftBody.top, rightBody.top);
	const atColumnEdge = (s: Segment) =>
		[leftBody.edge, rightBody.edge].some(
			(edge) => Math.abs(s.x0 - edge) <= Math.max(2, 0.2 * s.size)
		);
	const above = segments.filter((s) => s.y - bodyTop > 0.5 * s.size).sort((a, b) => b.y - a.y);
	const rows: Segment[][] = [];
	for (const segment of above) {
		const row = rows.at(-1);
		if (row && Math.abs(row[0].y - segment.y) <= 0.5 * Math.max(row[0].size, segment.size)) {
			row.push(segment);
		} else rows.push([segment]);
	}
	const joined = new Map<Segment, Segment | null>();
	for (const row of rows) {
		if (row.length < 2 || row.some(atColumnEdge)) continue;
		const pieces = [...row].sort((a, b) => a.x0 - b.x0);
		const x0 = pieces[0].x0;
		const x1 = Math.max(...pieces.map((s) => s.x1));
		if (!(x0 < gutter && x1 > gutter)) continue;
		const largest = pieces.reduce((a, b) => (b.size > a.size ? b : a));
		const line = {
			text: pieces.map((s) => s.text).join(' '),
			x0,
			x1,
			y: largest.y,
			size: largest.size
		};
		pieces.forEach((piece, index) => joined.set(piece, index === 0 ? line : null));
	}
	if (joined.size === 0) return segments;
	return segments.flatMap((s) => {
		const replacement = joined.get(s);
		return replacement === undefined ? [s] : replacement ? [replacement] : [];
	});
}

/**
 * Orders the segments of a page for reading. On a two-column page the text crossing the gutter
 * (title, authors, wide figures) cuts the page into bands; each band is read left column first.
 */
export function orderForReading(segments: Segment[], left: number, width: number): Segment[] {
	const byRow = (a: Segment, b: Segment) => b.y - a.y || a.x0 - b.x0;
	const split = findGutter(segments, left, width);
	if (!split) return [...segments].sort(byRow);
	const { gutter } = split;
	const rows = joinFullWidthRows(segments, gutter);
	const crossing = rows.filter((s) => s.x0 < gutter && s.x1 > gutter).sort(byRow);
	const ordered: Segment[] = [];
	let remaining = rows.filter((s) => !(s.x0 < gutter && s.x1 > gutter));
	const flushBand = (above: number) => {
		const band = remaining.filter((s) => s.y > above);
		remaining = remaining.filter((s) => s.y <= above);
		const leftSide = band.filter((s) => s.x1 <= gutter).sort(byRow);
		const rightSide = band.filter((s) => s.x1 > gutter).sort(byRow);
		if (readLeftFirst) ordered.push(...leftSide, ...rightSide);
		else ordered.push(...rightSide, ...leftSide);
	};
	// A narrow side column beside a wide one is a margin sidebar (JOSS): read it after the body.
	const widthOf = (side: Segment[]) =>
		side.length ? Math.max(...side.map((s) => s.x1)) - Math.min(...side.map((s) => s.x0)) : 0;
	const leftWidth = widthOf(remaining.filter((s) => s.x1 <= gutter));
	const rightWidth = widthOf(remaining.filter((s) => s.x0 >= gutter));
	const readLeftFirst = leftWidth >= 0.5 * rightWidth;
	for (const wide of crossing) {
		flushBand(wide.y);
		ordered.push(wide);
	}
	flushBand(-Infinity);
	return ordered;
}

/** Merges consecutive segments on one baseline into lines (table cells, split runs). */
export function segmentsToLines(ordered: Segment[]): string[] {
	const lines: string[] = [];
	let previous: Segment | null = null;
	for (const segment of ordered) {
		const sameLine =
			previous &&
			Math.abs(segment.y - previous.y) <= 0.5 * Math.max(segment.size, previous.size) &&
			segment.x0 >= previous.x1 - segment.size;
		if (sameLine) lines[lines.length - 1] += ' ' + segment.text;
		else lines.push(segment.text);
		previous = segment;
	}
	return lines;
}

/** Spacing accents (TeX draws "ć" as "´" then "c") and the combining marks they stand for. */
const SPACING_ACCENTS: Record<string, string> = {
	'\u00b4': '\u0301',
	'\u02c7': '\u030c',
	'\u00a8': '\u0308',
	'\u02c6': '\u0302',
	'\u02dc': '\u0303',
	'\u02d8': '\u0306',
	'\u02d9': '\u0307',
	'\u02da': '\u030a',
	'\u02dd': '\u030b',
	'\u00b8': '\u0327',
	'\u02db': '\u0328',
	'\u00af': '\u0304'
};
const SPACING_ACCENT_BEFORE_LETTER = new RegExp(
	`([${Object.keys(SPACING_ACCENTS).join('')}])\\s?(\\p{L})`,
	'gu'
);

/** Puts accents drawn as separate glyphs back on their letter ("Doˇsilovi´c" → "Došilović"). */
export function attachSpacingAccents(text: string): string {
	return (
		text
			.replace(SPACING_ACCENT_BEFORE_LETTER, (_, accent: string, letter: string) =>
				(letter + SPACING_ACCENTS[accent]).normalize('NFC')
			)
			// pdf.js may already have turned the spacing accent into a space and a combining mark.
			.replace(/\s(\p{M}+)\s?(\p{L})/gu, (_, marks: string, letter: string) =>
				(letter + marks).normalize('NFC')
			)
	);
}

function layoutsToText(layouts: PageLayout[]): string[] {
	const kept = dropRunningLines(
		layouts.map((layout) => ({ ...layout, segments: dropLineNumbers(layout.segments) }))
	);
	const pageLines = layouts.map((layout, index) =>
		segmentsToLines(orderForReading(kept[index], layout.left, layout.width)).map(
			attachSpacingAccents
		)
	);
	// One vocabulary for the whole paper: "multi-modal" on page 1 decides "multi-/modal" on page 2.
	const vocabulary = hyphenVocabulary(pageLines.flat());
	return pageLines.map((lines) => normaliseText(joinLines(lines, vocabulary)));
}

// ---------------------------------------------------------------- worker pool

export interface ExtractJob {
	/** The caller's name for the file (a paper id, a hash); results are keyed by it. */
	key: string;
	path: string;
}

export interface ExtractAllOptions extends Omit<ExtractOptions, 'onPage'> {
	/** Worker threads to run at once (default: the machine's cores). */
	concurrency?: number;
	/** Called after each file, in completion order. */
	onProgress?(done: number, total: number, key: string): void;
	/** Memory caps per worker: a file that needs more fails alone ("extractor crashed"). */
	resourceLimits?: ResourceLimits;
	/** The worker entry; only tests and tools speaking the same protocol need to change it. */
	workerUrl?: URL;
}

const WORKER_URL = new URL('./extract-worker.mjs', import.meta.url);
/** Time a worker gets beyond the per-file timeout to answer before it is killed. */
const KILL_GRACE_MS = 5_000;

/**
 * Extracts many PDFs in worker threads and resolves with every job's result by key. Never
 * rejects for a bad file: a file that crashes or hangs its worker fails alone, with a reason, and
 * a fresh worker takes the next file.
 */
export async function extractAll(
	jobs: ExtractJob[],
	options: ExtractAllOptions
): Promise<Map<string, ExtractResult>> {
	const { concurrency, onProgress, resourceLimits, workerUrl, ...extractOptions } = options;
	const results = new Map<string, ExtractResult>();
	const queue = [...jobs];
	const slots = Math.max(1, Math.min(concurrency ?? availableParallelism(), jobs.length));
	const timeoutMs = extractOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	let nextId = 0;
	let done = 0;

	const runSlot = async () => {
		let worker: Worker | null = null;
		try {
			for (let job = queue.shift(); job; job = queue.shift()) {
				if (!worker) {
					worker = new Worker(workerUrl ?? WORKER_URL, { resourceLimits });
					const failure = await workerReady(worker);
					if (failure) {
						void worker.terminate();
						worker = null;
						results.set(job.key, failure);
						onProgress?.(++done, jobs.length, job.key);
						continue;
					}
				}
				const outcome = await runOnWorker(
					worker,
					{ id: nextId++, path: job.path, options: extractOptions },
					timeoutMs,
					timeoutMs + KILL_GRACE_MS
				);
				if (outcome.retire) {
					void worker.terminate();
					worker = null;
				}
				results.set(job.key, outcome.result);
				done++;
				onProgress?.(done, jobs.length, job.key);
			}
		} finally {
			await worker?.terminate();
		}
	};
	await Promise.all(Array.from({ length: slots }, runSlot));
	return results;
}

/** Loading TypeScript and pdf.js takes seconds on a busy machine; that is not a file's fault. */
const WORKER_START_LIMIT_MS = 120_000;

/** Waits for a new worker's `{ ready: true }`; resolves with a failure if it never comes. */
function workerReady(worker: Worker): Promise<ExtractResult | null> {
	return new Promise((resolve) => {
		const finish = (failure: ExtractResult | null) => {
			clearTimeout(timer);
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
			resolve(failure);
		};
		const onMessage = (message: { ready?: boolean }) => {
			if (message?.ready) finish(null);
		};
		const onError = (error: Error) =>
			finish({ ok: false, reason: `extractor failed to start: ${error.message}` });
		const onExit = (code: number) =>
			finish({ ok: false, reason: `extractor failed to start: exited with code ${code}` });
		const timer = setTimeout(
			() => finish({ ok: false, reason: 'extractor failed to start: no answer' }),
			WORKER_START_LIMIT_MS
		);
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
	});
}

/**
 * Sends one job; a worker that errors, exits or overruns is reported for retirement. The worker
 * says which page it starts (`{ id, page }`), so an overrun names the page that never returned.
 */
function runOnWorker(
	worker: Worker,
	job: { id: number; path: string; options: ExtractOptions },
	timeoutMs: number,
	killAfterMs: number
): Promise<{ result: ExtractResult; retire: boolean }> {
	let page: number | undefined;
	return new Promise((resolve) => {
		const finish = (result: ExtractResult, retire: boolean) => {
			clearTimeout(timer);
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
			resolve({ result, retire });
		};
		const onMessage = (answer: { id: number; result?: ExtractResult; page?: number }) => {
			if (answer?.id !== job.id) return;
			if (answer.result) finish(answer.result, false);
			else if (typeof answer.page === 'number') page = answer.page;
		};
		const onError = (error: Error) =>
			finish({ ok: false, reason: `extractor crashed: ${error.message}` }, true);
		const onExit = (code: number) =>
			finish({ ok: false, reason: `extractor crashed: worker exited with code ${code}` }, true);
		const timer = setTimeout(() => finish(timedOut({ timeoutMs }, page), true), killAfterMs);
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
		worker.postMessage(job);
	});
}

// ---------------------------------------------------------------- abstract

const ABSTRACT_START = /(?:^|[\s.])(?:Abstract|ABSTRACT|A B S T R A C T)\s*(?:[.:—–-]\s*)?(?=\S)/;
const ABSTRACT_END = [
	/\s(?:Keywords|Key words|KEYWORDS|Index Terms|INDEX TERMS|CCS Concepts|ACM Reference Format)\b/,
	/\s(?:1\.?|I\.)\s+(?:Introduction|INTRODUCTION)\b/,
	/\s(?:Introduction|INTRODUCTION)\s/
];

/**
 * The running head an LNCS-style even page starts with ("2 A. Author et al.", "4 B. Lee and
 * C. Kim"), which would otherwise sit in the middle of an abstract continued from page 1.
 */
const RUNNING_HEAD =
	/^\d{1,4}\s+(?:\p{Lu}\.\s?(?:-\p{Lu}\.\s?)?)+\s*[\p{L}'-]+(?:\s+[\p{L}'-]+)?\s+(?:et al\.|and\s+(?:\p{Lu}\.\s?)+\s*[\p{L}'-]+)\s+/u;
/**
 * The running head of a single-author paper ("2 A. Author", "6 J.-P. van Dijk"). Nothing marks
 * where the name ends, so the surname is one capitalised word after lower-case particles; a
 * second capitalised word is left to the text, as it may be the page's first word.
 */
const SINGLE_AUTHOR_RUNNING_HEAD =
	/^\d{1,4}\s+(?:\p{Lu}\.\s?(?:-\p{Lu}\.\s?)?)+\s*(?:(?:van|von|der|den|de|del|della|da|di|du|le|la|ten|ter)\s+)*\p{Lu}[\p{L}'’-]*\s+/u;

/** Page 2's text without the running head it starts with, if any. */
function withoutRunningHead(pageText: string): string {
	const text = pageText.trim();
	const withoutHead = text.replace(RUNNING_HEAD, '');
	return withoutHead !== text ? withoutHead : text.replace(SINGLE_AUTHOR_RUNNING_HEAD, '');
}
/** The copyright footer at the foot of a first page, which comes after its text. */
const FIRST_PAGE_FOOTER = /\s(?:©|\(c\)\s+\p{Lu})/u;

/** Where the abstract in `text` ends (a keywords line or the introduction heading), or -1. */
function abstractEnd(text: string): number {
	let end = -1;
	for (const pattern of ABSTRACT_END) {
		const match = pattern.exec(text);
		if (match && (end < 0 || match.index < end)) end = match.index;
	}
	return end;
}

/**
 * Returns the abstract of a paper from the normalised text of its first page when the page
 * clearly marks one ("Abstract." / "Abstract—" / an "Abstract" heading, up to "Keywords" or
 * "Introduction"), else null. An abstract that runs off page 1 is followed onto `secondPageText`
 * (without its running head) up to the same markers; without them there, it is null too.
 */
export function findAbstract(firstPageText: string, secondPageText?: string): string | null {
	const start = ABSTRACT_START.exec(firstPageText);
	if (!start) return null;
	const rest = firstPageText.slice(start.index + start[0].length);
	let abstract: string;
	const end = abstractEnd(rest);
	if (end >= 0) {
		abstract = rest.slice(0, end).trim();
	} else {
		if (!secondPageText) return null;
		const footer = FIRST_PAGE_FOOTER.exec(rest);
		const onFirstPage = footer ? rest.slice(0, footer.index) : rest;
		// A leading space lets a heading at the very top of page 2 end the abstract there.
		const continuation = ` ${withoutRunningHead(secondPageText)}`;
		const endOnSecondPage = abstractEnd(continuation);
		if (endOnSecondPage < 0) return null;
		abstract = joinLines([onFirstPage, continuation.slice(0, endOnSecondPage)]).trim();
	}
	// Too short is a heading that was not followed by the abstract; too long, a missed end.
	if (abstract.length < 100 || abstract.length > 4000) return null;
	return abstract;
}
