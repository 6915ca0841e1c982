/**
 * Loads pdf.js in the browser only, once per page life; server rendering never imports it (it
 * needs DOM APIs). pdf.js (`pdfjs-dist/build`, the minified twin of `pdf.mjs`) and its worker
 * are emitted as assets of their own, so the reader can preload both from the page's <head>
 * and they download alongside the app's code instead of after hydration.
 */
import libraryUrl from 'pdfjs-dist/build/pdf.min.mjs?url';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { version as pdfjsVersion } from 'pdfjs-dist/package.json';
import { EARLY_KEY, type EarlyWindow } from './early-drawing.ts';
import { EARLY_OPENING_CODE } from './early-opening.js';
import { MAX_CANVAS_PIXELS } from './page-view.ts';
import { NARROW_SCREEN, storageKeyOf } from './reading-modes.svelte.ts';
import { CSS_UNITS } from './reader-model.ts';

/** Where the server serves pdf.js's data files (src/routes/pdfjs), versioned so they cache forever. */
const dataUrl = `/pdfjs/${pdfjsVersion}`;

/** URL of pdf.js itself, for `<link rel="modulepreload">`. */
export const pdfjsLibraryUrl = libraryUrl;

/** URL of pdf.js's worker script, for `<link rel="preload">` (the early script starts the worker). */
export const pdfjsWorkerUrl = workerUrl;

export type Pdfjs = typeof import('pdfjs-dist');
type LoadingTask = ReturnType<Pdfjs['getDocument']>;

/** The page opened at, drawn by the early script into its slot before the app hydrated. */
export interface EarlyDrawing {
	pageNumber: number;
	canvas: HTMLCanvasElement;
}

/** A document being opened: pdf.js itself and its loading task. */
export interface Opening {
	module: Pdfjs;
	task: LoadingTask;
	/** The early script's drawing of the page opened at (null when it drew none), if it ran. */
	drawn?: Promise<EarlyDrawing | null>;
}

/**
 * How every document is opened, both by the early script and by the reader: plain JSON, so the
 * early script can carry the very same object.
 */
export const documentOptions = {
	// Range requests only: page one renders from the bytes it needs. With streaming on, the
	// whole-file stream competed with those ranges: on an 8 Mbit/s link page one of a 3.8 MB
	// paper came after the whole file (10 s); without it, at 4.9 s (npm run bench:reader).
	disableAutoFetch: true,
	disableStream: true,
	// Bytes per range request. pdf.js's 64 KB took 7 rounds of requests to draw EUCA's p. 14
	// (513 KB); 256 KB takes 3 (769 KB, 20% of the file): on a fast link each round costs more
	// than the extra bytes, on an 8 Mbit/s one a chunk is a quarter of a second.
	rangeChunkSize: 262_144,
	isEvalSupported: false,
	// Fonts a PDF names without embedding (Helvetica, Times…), CJK character maps, and the
	// decoders for JPEG 2000 / JBIG2 images and ICC colours; without them text and figures suffer.
	standardFontDataUrl: `${dataUrl}/standard_fonts/`,
	cMapUrl: `${dataUrl}/cmaps/`,
	cMapPacked: true,
	wasmUrl: `${dataUrl}/wasm/`,
	/** pdf.js's `VerbosityLevel.ERRORS`. */
	verbosity: 0
} as const;

/** A value for an HTML attribute in double quotes. */
function escapeAttribute(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('"', '&quot;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;');
}

/**
 * A classic script for the page's <head>, run while the HTML is still being parsed: it starts
 * pdf.js's worker (the longest step, compiling 1.2 MB), opens the document at once and draws
 * the page opened at into its slot, instead of waiting for the app to download and hydrate.
 * The reader then takes over what it started. It only runs on a full page load; client-side
 * navigation opens the document from the reader. Its code never changes (the values are data
 * attributes), so the CSP allows it by hash. `pageNumber` is the page the reader opens at;
 * `textView` says whether the reader can show pages as text (it then leaves a page the reader
 * will show as text undrawn); `reveal`, whether to scroll the reader into view (a deep link);
 * `bytes`, the size of the PDF (0 when unknown), which lets it fetch the PDF's first and last
 * chunks before pdf.js has loaded.
 */
export function earlyOpeningScript(
	src: string,
	pageNumber: number,
	options: { textView: boolean; reveal: boolean; bytes: number }
): string {
	const data: Record<string, string> = {
		worker: workerUrl,
		library: libraryUrl,
		src,
		page: String(pageNumber),
		bytes: String(options.bytes),
		options: JSON.stringify(documentOptions),
		key: EARLY_KEY,
		'text-view': String(options.textView),
		reveal: String(options.reveal),
		'modes-key': storageKeyOf(src),
		'narrow-screen': String(NARROW_SCREEN),
		'max-scale': String(4 * CSS_UNITS),
		'max-pixels': String(MAX_CANVAS_PIXELS)
	};
	const attributes = Object.entries(data)
		.map(([name, value]) => ` data-${name}="${escapeAttribute(value)}"`)
		.join('');
	return `<script${attributes}>${EARLY_OPENING_CODE}</script>`;
}

let loading: Promise<Pdfjs> | null = null;

/** The pdf.js module, its worker configured. */
export function loadPdfjs(): Promise<Pdfjs> {
	loading ??= (import(/* @vite-ignore */ libraryUrl) as Promise<Pdfjs>).then((pdfjs) => {
		if (!pdfjs.GlobalWorkerOptions.workerPort) pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
		return pdfjs;
	});
	return loading;
}

/**
 * Documents being closed. All share the one worker port, and pdf.js refuses a new document on
 * a port whose last document is still shutting down, so an opening waits for the closings.
 */
let closing: Promise<unknown> = Promise.resolve();

/** Closes a document (or its loading task) so that the next opening waits for it. */
export function closeDocument(task: { destroy(): Promise<void> }): void {
	closing = Promise.all([closing, task.destroy().catch(() => {})]);
}

/**
 * Opens `src`: takes over the opening the early script started for it, if any (once), or starts
 * one now with the same options.
 */
export async function openDocument(src: string): Promise<Opening> {
	const early = (window as EarlyWindow)[EARLY_KEY];
	if (early?.src === src) {
		delete (window as EarlyWindow)[EARLY_KEY];
		return early.opening;
	}
	await closing;
	const module = await loadPdfjs();
	performance.mark('reader:pdfjs-loaded');
	return { module, task: module.getDocument({ url: src, ...documentOptions }) };
}

/** A sentence for the reader explaining why a PDF could not be opened. */
export function loadFailureMessage(error: unknown): string {
	const name = error instanceof Error ? error.name : '';
	const status = (error as { status?: number } | null)?.status;
	if (name === 'PasswordException') {
		return 'This PDF is password-protected, so it cannot be shown here. Download it to open it with its password.';
	}
	if (name === 'InvalidPDFException') {
		return 'This file is damaged or is not a PDF, so it cannot be shown.';
	}
	if (name === 'ResponseException' && status === 404) {
		return 'The PDF of this paper could not be found on the server.';
	}
	if (name === 'ResponseException') {
		return `The PDF could not be downloaded (server answered ${status ?? 'with an error'}). Try again later.`;
	}
	return 'The PDF could not be loaded. Check your connection and reload the page.';
}
