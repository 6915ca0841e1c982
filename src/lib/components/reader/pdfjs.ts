/**
 * Loads pdf.js in the browser only, once per page life; server rendering never imports it (it
 * needs DOM APIs). pdf.js (`pdfjs-dist/build`, the minified twin of `pdf.mjs`) and its worker
 * are emitted as assets of their own, so the reader can preload both from the page's <head>
 * and they download alongside the app's code instead of after hydration.
 */
import libraryUrl from 'pdfjs-dist/build/pdf.min.mjs?url';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/** URLs of the pdf.js assets, for `<link rel="modulepreload">`. */
export const pdfjsAssetUrls = [libraryUrl, workerUrl];

export type Pdfjs = typeof import('pdfjs-dist');

let loading: Promise<Pdfjs> | null = null;

/** The pdf.js module, its worker configured. */
export function loadPdfjs(): Promise<Pdfjs> {
	loading ??= (import(/* @vite-ignore */ libraryUrl) as Promise<Pdfjs>).then((pdfjs) => {
		pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
		return pdfjs;
	});
	return loading;
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
