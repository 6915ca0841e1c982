import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { extractPdf } from '../../scripts/ingest/extract.ts';
import { ZlibDecompressionStream } from '../../scripts/ingest/zlib-decompression.mjs';
import { hasSharedCorpus, SHARED_CORPUS, sharedPapers } from '../fixtures/shared-corpus.ts';

const WebDecompressionStream = globalThis.DecompressionStream;

/** What pdf.js uses of a decompression stream. */
type PdfjsDecompressionStream = new (format: string) => {
	readable: AsyncIterable<Uint8Array>;
	writable: {
		getWriter(): {
			ready: Promise<unknown>;
			write(bytes: Uint8Array): Promise<unknown>;
			close(): Promise<unknown>;
		};
	};
};
const WebStream = WebDecompressionStream as unknown as PdfjsDecompressionStream;

/** Writes `bytes` into a decompression stream the way pdf.js does, and reads all it gives. */
async function decodeAsPdfjs(
	Stream: PdfjsDecompressionStream,
	format: string,
	bytes: Uint8Array
): Promise<Buffer> {
	const { readable, writable } = new Stream(format);
	const writer = writable.getWriter();
	await writer.ready;
	writer
		.write(bytes)
		.then(async () => {
			await writer.ready;
			await writer.close();
		})
		.catch(() => {});
	const chunks: Uint8Array[] = [];
	for await (const chunk of readable) chunks.push(chunk);
	return Buffer.concat(chunks);
}

const TEXT = Buffer.from('Saliency maps of chest X-rays, '.repeat(5000));

describe('ZlibDecompressionStream', () => {
	afterEach(() => {
		globalThis.DecompressionStream = WebDecompressionStream;
	});

	it('decodes deflate and brotli data as the web DecompressionStream does', async () => {
		for (const [format, bytes] of [
			['deflate', deflateSync(TEXT)],
			['brotli', brotliCompressSync(TEXT)]
		] as const) {
			const ours = await decodeAsPdfjs(ZlibDecompressionStream, format, bytes);
			expect(ours.equals(TEXT)).toBe(true);
			if (format === 'deflate') {
				expect(ours.equals(await decodeAsPdfjs(WebStream, format, bytes))).toBe(true);
			}
		}
	});

	it('fails on corrupt or cut data, as the web stream does, so that pdf.js falls back to its own inflate', async () => {
		const cut = deflateSync(TEXT).subarray(0, 200);
		const corrupt = Buffer.from('not deflate data at all');
		for (const bytes of [cut, corrupt]) {
			await expect(decodeAsPdfjs(WebStream, 'deflate', bytes)).rejects.toThrow();
			await expect(decodeAsPdfjs(ZlibDecompressionStream, 'deflate', bytes)).rejects.toThrow();
		}
	});

	it.skipIf(!hasSharedCorpus)('gives pdf.js the same page texts as the web stream', async () => {
		const paper = sharedPapers().find((p) => p.pages >= 8)!;
		const bytes = readFileSync(join(SHARED_CORPUS, paper.file));
		const options = { maxBytes: 50 * 1024 * 1024, maxPages: 500 };
		const web = await extractPdf(new Uint8Array(bytes), options);
		globalThis.DecompressionStream =
			ZlibDecompressionStream as unknown as typeof DecompressionStream;
		const ours = await extractPdf(new Uint8Array(bytes), options);
		expect(web.ok && web.pages.length).toBe(paper.pages);
		expect(ours).toEqual(web);
	});
});
