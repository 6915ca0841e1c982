/**
 * Would serving linearized ("fast web view") copies help the reader? For each shared-corpus PDF,
 * counts the bytes and range requests pdf.js needs to lay out and draw page one and a deep page
 * (its operator list and text), from the file as published and from a copy `qpdf --linearize`
 * made, with the reader's range options. Needs `qpdf` on the PATH (Debian package `qpdf`).
 *
 * Usage: npm run bench:linearized [-- --page 14 --chunk 262144]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

const { values } = parseArgs({
	options: {
		page: { type: 'string', default: '14' },
		// The reader's `rangeChunkSize` (src/lib/components/reader/pdfjs.ts).
		chunk: { type: 'string', default: '262144' }
	}
});
const deepPage = Number(values.page);
const chunk = Number(values.chunk);
const corpus = resolve(import.meta.dirname, '../../../shared/corpus/pdf');

interface Fetched {
	bytes: number;
	requests: number;
	size: number;
	pages: number;
}

/** What pdf.js fetches, through range requests only, to draw one page of `file`. */
async function fetchedFor(file: string, pageNumber: number): Promise<Fetched> {
	const data = readFileSync(file);
	const fetched = { bytes: 0, requests: 0 };
	class CountingTransport extends pdfjs.PDFDataRangeTransport {
		requestDataRange(begin: number, end: number) {
			fetched.requests++;
			fetched.bytes += end - begin;
			// Answered later, as a server would, so pdf.js batches what it asks for as it does online.
			setTimeout(() => this.onDataRange(begin, new Uint8Array(data.subarray(begin, end))), 1);
		}
	}
	const document = await pdfjs.getDocument({
		range: new CountingTransport(data.length, null),
		length: data.length,
		disableAutoFetch: true,
		disableStream: true,
		rangeChunkSize: chunk,
		isEvalSupported: false,
		verbosity: 0
	}).promise;
	const page = await document.getPage(Math.min(pageNumber, document.numPages));
	await page.getOperatorList();
	await page.getTextContent();
	const result = { ...fetched, size: data.length, pages: document.numPages };
	await document.destroy();
	return result;
}

function describe({ bytes, requests, size }: Fetched): string {
	const share = ((100 * bytes) / size).toFixed(0).padStart(3);
	return `${String(Math.round(bytes / 1024)).padStart(5)} KB ${share}% ${requests} req`;
}

if (!existsSync(corpus)) {
	console.log('bench:linearized skipped: no shared corpus at ../shared/corpus');
} else {
	const scratch = mkdtempSync(join(tmpdir(), 'glassbox-linearized-'));
	try {
		console.log(`pdf.js range fetches (chunks of ${chunk / 1024} KB): as published | linearized`);
		for (const name of readdirSync(corpus).filter((file) => file.endsWith('.pdf'))) {
			const published = join(corpus, name);
			const linearized = join(scratch, name);
			try {
				execFileSync('qpdf', ['--linearize', published, linearized], { stdio: 'ignore' });
			} catch (error) {
				// qpdf exits with 3 for warnings and still writes the file.
				if (!existsSync(linearized)) throw error;
			}
			for (const pageNumber of new Set([1, deepPage])) {
				const before = await fetchedFor(published, pageNumber);
				const after = await fetchedFor(linearized, pageNumber);
				const label = `${name} p. ${Math.min(pageNumber, before.pages)}/${before.pages}`;
				console.log(`${label.padEnd(50)} ${describe(before)} | ${describe(after)}`);
			}
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}
