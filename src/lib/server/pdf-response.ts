/**
 * HTTP responses for PDF files (and the page-one JPEGs stored beside them): byte ranges (so
 * pdf.js can show page one before the whole file has arrived), validators for caching, and a
 * readable download name. The file is streamed, never read whole into memory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Paper } from '../types.ts';

interface PdfFile {
	/** Absolute path of the file; callers look it up by id, never build it from the URL. */
	path: string;
	/** Download name, with or without the `.pdf` extension; no `Content-Disposition` without one. */
	filename?: string;
	/** Defaults to `application/pdf`. */
	contentType?: string;
	/** Content hash when known (the PDF store is content addressed); it makes a strong ETag. */
	sha256?: string;
	/** Value of the `Cache-Control` header. */
	cacheControl?: string;
}

/** Browsers may keep the file for an hour, then revalidate cheaply with the ETag. */
const DEFAULT_PDF_CACHE_CONTROL = 'public, max-age=3600';

interface ByteRange {
	start: number;
	/** Inclusive, as in `Content-Range`. */
	end: number;
}

/**
 * Parses a `Range` header against a file size: a satisfiable single range, `'unsatisfiable'`
 * (→ 416), or null when the header is absent, malformed, not in bytes or asks for several
 * ranges (all of which are answered with the whole file, as RFC 9110 allows).
 */
export function parseRange(
	header: string | null,
	size: number
): ByteRange | 'unsatisfiable' | null {
	if (!header) return null;
	const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
	if (!match) return null;
	const [, first, last] = match;
	if (first === '' && last === '') return null;
	if (first === '') {
		// Suffix range: the last N bytes.
		const length = Number(last);
		if (length === 0 || size === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - length), end: size - 1 };
	}
	const start = Number(first);
	const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
	if (last !== '' && Number(last) < start) return null;
	if (start >= size) return 'unsatisfiable';
	return { start, end };
}

/** Splits an `If-None-Match` / `If-Range` list of entity tags. */
function entityTags(header: string): string[] {
	return header
		.split(',')
		.map((tag) => tag.trim())
		.filter(Boolean);
}

const withoutWeakPrefix = (tag: string) => tag.replace(/^W\//, '');

/** Weak comparison (RFC 9110 8.8.3.2), the one `If-None-Match` uses. */
function noneMatchHits(header: string, etag: string): boolean {
	const tags = entityTags(header);
	return (
		tags.includes('*') || tags.some((tag) => withoutWeakPrefix(tag) === withoutWeakPrefix(etag))
	);
}

/** `If-Range` holds one strong ETag or an HTTP date; anything else means "send it all". */
function ifRangeAllowsPartial(header: string | null, etag: string, lastModified: Date): boolean {
	if (header === null) return true;
	const value = header.trim();
	if (value.startsWith('"') || value.startsWith('W/')) {
		return !value.startsWith('W/') && !etag.startsWith('W/') && value === etag;
	}
	const date = Date.parse(value);
	return !Number.isNaN(date) && Math.floor(lastModified.getTime() / 1000) * 1000 === date;
}

/**
 * `Content-Disposition: inline` with an ASCII fallback name and the UTF-8 name as RFC 5987
 * `filename*`, so "Müller – Saliency.pdf" survives in every browser.
 */
export function contentDisposition(filename: string): string {
	const name = /\.pdf$/i.test(filename) ? filename : `${filename}.pdf`;
	const ascii = name
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.replace(/[\u2010-\u2015]/g, '-')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/["\\]/g, "'")
		.replace(/[%;]/g, '_');
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file name a reader recognises in their downloads: "Jin 2021 - EUCA the End-User-Centered….pdf". */
export function readablePdfName(paper: Pick<Paper, 'id' | 'title' | 'year' | 'authors'>): string {
	const surname = paper.authors[0]?.name.trim().split(/\s+/).at(-1) ?? '';
	const title = paper.title
		.replace(/[/\\:*?"<>|]+|\p{Cc}+/gu, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	const shortTitle = title.length > 80 ? `${title.slice(0, 79).trimEnd()}…` : title;
	const lead = [surname, paper.year].filter(Boolean).join(' ');
	return `${lead ? `${lead} - ` : ''}${shortTitle || paper.id}.pdf`;
}

/**
 * Answers a GET or HEAD for a stored file (a PDF by default): 200 (whole file), 206 (one byte range), 304 (ETag
 * matched), 416 (range outside the file), 404 (the file has gone from the disk), with `Accept-Ranges`, `Content-Length`, `ETag`,
 * `Last-Modified`, `Cache-Control`, `Content-Type` and `Content-Disposition`.
 */
export async function fileResponse(request: Request, file: PdfFile): Promise<Response> {
	const info = await stat(file.path).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return null;
		throw error;
	});
	// The catalog names a file that has gone from the disk: the file is not here, not broken.
	if (!info) {
		return new Response('This file is not on the server', {
			status: 404,
			headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
		});
	}
	const size = info.size;
	const etag = file.sha256
		? `"${file.sha256}"`
		: `W/"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
	const headers = new Headers({
		'Accept-Ranges': 'bytes',
		'Cache-Control': file.cacheControl ?? DEFAULT_PDF_CACHE_CONTROL,
		'Content-Type': file.contentType ?? 'application/pdf',
		ETag: etag,
		'Last-Modified': info.mtime.toUTCString(),
		'X-Content-Type-Options': 'nosniff'
	});
	if (file.filename) headers.set('Content-Disposition', contentDisposition(file.filename));

	const ifNoneMatch = request.headers.get('If-None-Match');
	if (ifNoneMatch !== null && noneMatchHits(ifNoneMatch, etag)) {
		headers.delete('Content-Disposition');
		return new Response(null, { status: 304, headers });
	}

	const range = ifRangeAllowsPartial(request.headers.get('If-Range'), etag, info.mtime)
		? parseRange(request.headers.get('Range'), size)
		: null;
	if (range === 'unsatisfiable') {
		headers.set('Content-Range', `bytes */${size}`);
		headers.set('Content-Length', '0');
		return new Response(null, { status: 416, headers });
	}

	const start = range?.start ?? 0;
	const end = range?.end ?? size - 1;
	const length = size === 0 ? 0 : end - start + 1;
	headers.set('Content-Length', String(length));
	if (range) headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
	const status = range ? 206 : 200;

	if (request.method === 'HEAD' || length === 0) {
		return new Response(null, { status, headers });
	}
	const stream = createReadStream(file.path, { start, end });
	const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
	return new Response(body, { status, headers });
}
