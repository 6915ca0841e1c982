/**
 * Loads pdf.js in the browser only, with its worker as a separate bundled asset, once per page
 * life. Server rendering never imports it (it needs DOM APIs).
 */
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/** URL of the worker asset, also preloaded by the reader so it downloads with the page. */
export const pdfWorkerUrl = workerUrl;

export type Pdfjs = typeof import('pdfjs-dist');

let loading: Promise<Pdfjs> | null = null;

/** The pdf.js module (`pdfjs-dist/build/pdf.mjs`), its worker configured. */
export function loadPdfjs(): Promise<Pdfjs> {
	loading ??= import('pdfjs-dist').then((pdfjs) => {
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
