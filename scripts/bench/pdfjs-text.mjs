/**
 * pdf.js reading text, nothing else: `getTextContent` on every page of the PDFs named on the
 * command line, with pdf.js loaded, decompressing and opening files as the ingest's extraction
 * threads do. bench:ingest runs it on as many processes as the ingest has workers: the least any
 * extraction through pdf.js costs, so the ingest's own share shows. Plain JavaScript so no
 * TypeScript loader weighs on its start.
 */
import { readFileSync } from 'node:fs';
import { importPdfjs, textReadingOptions } from '../../src/lib/server/pdfjs-node.js';
import { useZlibDecompression } from '../ingest/zlib-decompression.mjs';

useZlibDecompression();
const { getDocument, VerbosityLevel } = await importPdfjs();
for (const path of process.argv.slice(2)) {
	const document = await getDocument({
		...textReadingOptions,
		data: new Uint8Array(readFileSync(path)),
		verbosity: VerbosityLevel.ERRORS
	}).promise;
	for (let number = 1; number <= document.numPages; number++) {
		const page = await document.getPage(number);
		await page.getTextContent();
		page.cleanup();
	}
	await document.destroy();
}
