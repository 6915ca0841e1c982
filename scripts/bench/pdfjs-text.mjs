/**
 * Plain pdf.js, nothing else: reads the text of every page of the PDFs named on the command line
 * with `getTextContent`, as any pdf.js-based extraction must at least. bench:ingest runs it on as
 * many processes as the ingest has workers, to show how much of the ingest is pdf.js's own cost.
 * Plain JavaScript so no TypeScript loader weighs on its start.
 */
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

for (const path of process.argv.slice(2)) {
	const document = await getDocument({
		data: new Uint8Array(readFileSync(path)),
		isEvalSupported: false,
		verbosity: 0
	}).promise;
	for (let number = 1; number <= document.numPages; number++) {
		const page = await document.getPage(number);
		await page.getTextContent();
		page.cleanup();
	}
	await document.destroy();
}
