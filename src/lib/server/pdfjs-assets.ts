/**
 * The data files pdf.js fetches at run time, served from the installed pdfjs-dist: standard
 * font programs (for PDFs that name Helvetica or Times without embedding them), character maps
 * (CJK text), and the WebAssembly decoders for JPEG 2000 and JBIG2 images and ICC colours.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Folders of pdfjs-dist that may be served, and the media type of each file extension. */
const FOLDERS = new Set(['cmaps', 'standard_fonts', 'wasm']);
const MEDIA_TYPES: Record<string, string> = {
	bcmap: 'application/octet-stream',
	pfb: 'application/octet-stream',
	ttf: 'font/ttf',
	wasm: 'application/wasm',
	js: 'text/javascript'
};

const packageDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/**
 * The file for `/pdfjs/<version>/<folder>/<file>`, or null for anything else: another version,
 * another folder, a name with a path in it, or a type pdf.js never asks for.
 */
export function pdfjsAssetFile(
	version: string,
	folder: string,
	file: string,
	installedVersion: string
): { path: string; type: string } | null {
	if (version !== installedVersion || !FOLDERS.has(folder)) return null;
	if (!/^[A-Za-z0-9][\w.-]*$/.test(file)) return null;
	const type = MEDIA_TYPES[file.slice(file.lastIndexOf('.') + 1)];
	return type ? { path: join(packageDir, folder, file), type } : null;
}
