/**
 * A `DecompressionStream` for pdf.js in the extraction threads, decoding with Node's zlib in one
 * call. pdf.js inflates every Flate stream of a PDF through `DecompressionStream` when there is
 * one, and Node's is built on its web streams, whose machinery cost more than the inflating:
 * reading the text of the shared corpus took 4.2–5.0 s of CPU with it, 3.2–3.6 s with this, and
 * 4.1–4.2 s with none (pdf.js's own inflate), the text the same to the byte. pdf.js uses only
 * `writable.getWriter()` (`ready`, `write`, `close`) and iterates `readable`; a failure to decode
 * rejects that iteration, and pdf.js then falls back to its own inflate, as with the web stream.
 *
 * Plain JavaScript so that the worker's entry can install it before pdf.js or tsx is loaded.
 */
import { brotliDecompressSync, inflateSync } from 'node:zlib';

/** The decoders of the formats pdf.js asks for ('deflate' is the zlib format, as on the web). */
const DECODERS = { deflate: inflateSync, brotli: brotliDecompressSync };

export class ZlibDecompressionStream {
	/** @param {string} format */
	constructor(format) {
		const decode = DECODERS[/** @type {keyof typeof DECODERS} */ (format)];
		if (!decode) throw new TypeError(`ZlibDecompressionStream: unsupported format ${format}`);
		/** @type {Uint8Array[]} */
		const chunks = [];
		/** @type {(bytes: Buffer) => void} */
		let closed = () => {};
		/** @type {Promise<Buffer>} */
		const written = new Promise((resolve) => (closed = resolve));
		this.writable = {
			getWriter: () => ({
				ready: Promise.resolve(),
				/** @param {Uint8Array} bytes */
				write: async (bytes) => void chunks.push(bytes),
				close: async () => closed(Buffer.concat(chunks))
			})
		};
		this.readable = {
			async *[Symbol.asyncIterator]() {
				yield decode(await written);
			}
		};
	}
}

/** Makes pdf.js in this thread decode with {@link ZlibDecompressionStream}. */
export function useZlibDecompression() {
	Object.defineProperty(globalThis, 'DecompressionStream', {
		value: ZlibDecompressionStream,
		configurable: true,
		writable: true
	});
}
