import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	contentDisposition,
	parseRange,
	fileResponse,
	readablePdfName
} from '../../src/lib/server/pdf-response.ts';

const SHA = 'ab'.repeat(32);
let dir: string;
let path: string;
/** 1000 bytes whose value tells their offset, so a range's body can be checked byte for byte. */
const content = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'pdf-response-'));
	path = join(dir, 'file.pdf');
	await writeFile(path, content);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function request(headers: Record<string, string> = {}, method = 'GET'): Request {
	return new Request('http://localhost/papers/x/pdf', { method, headers });
}

const serve = (req: Request, extra: { sha256?: string } = { sha256: SHA }) =>
	fileResponse(req, { path, filename: 'Müller 2025 - Saliency “maps”', ...extra });

describe('fileResponse', () => {
	it('answers 404, not a server error, when the stored file has gone from the disk', async () => {
		const response = await fileResponse(request(), { path: join(dir, 'deleted.pdf'), sha256: SHA });
		expect(response.status).toBe(404);
		expect(await response.text()).toBe('This file is not on the server');
	});

	it('serves the whole file with its length, type, ranges and caching headers', async () => {
		const response = await serve(request());
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('application/pdf');
		expect(response.headers.get('Accept-Ranges')).toBe('bytes');
		expect(response.headers.get('Content-Length')).toBe('1000');
		expect(response.headers.get('ETag')).toBe(`"${SHA}"`);
		expect(response.headers.get('Cache-Control')).toMatch(/max-age=\d+/);
		expect(response.headers.get('Last-Modified')).toMatch(/GMT$/);
		expect(response.headers.get('Content-Range')).toBeNull();
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(content);
	});

	it('answers a single range with 206, Content-Range and exactly those bytes', async () => {
		const response = await serve(request({ Range: 'bytes=100-199' }));
		expect(response.status).toBe(206);
		expect(response.headers.get('Content-Range')).toBe('bytes 100-199/1000');
		expect(response.headers.get('Content-Length')).toBe('100');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(content.slice(100, 200));
	});

	it('serves open-ended and suffix ranges', async () => {
		const open = await serve(request({ Range: 'bytes=990-' }));
		expect(open.status).toBe(206);
		expect(open.headers.get('Content-Range')).toBe('bytes 990-999/1000');
		expect(new Uint8Array(await open.arrayBuffer())).toEqual(content.slice(990));
		const suffix = await serve(request({ Range: 'bytes=-10' }));
		expect(suffix.headers.get('Content-Range')).toBe('bytes 990-999/1000');
		expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(content.slice(990));
	});

	it('clips a range that runs past the end of the file', async () => {
		const response = await serve(request({ Range: 'bytes=900-5000' }));
		expect(response.status).toBe(206);
		expect(response.headers.get('Content-Range')).toBe('bytes 900-999/1000');
		expect(response.headers.get('Content-Length')).toBe('100');
	});

	it('answers a range beyond the end with 416 and the size', async () => {
		const response = await serve(request({ Range: 'bytes=1000-1010' }));
		expect(response.status).toBe(416);
		expect(response.headers.get('Content-Range')).toBe('bytes */1000');
		expect(await response.text()).toBe('');
	});

	it('sends the whole file for malformed or multiple ranges', async () => {
		for (const range of ['pages=1-2', 'bytes=0-1,5-6', 'bytes=20-10', 'bytes=abc']) {
			const response = await serve(request({ Range: range }));
			expect(response.status, range).toBe(200);
			expect(response.headers.get('Content-Length'), range).toBe('1000');
		}
	});

	it('answers 304 without a body when If-None-Match holds the ETag', async () => {
		const response = await serve(request({ 'If-None-Match': `"other", "${SHA}"` }));
		expect(response.status).toBe(304);
		expect(response.headers.get('ETag')).toBe(`"${SHA}"`);
		expect(await response.text()).toBe('');
		const star = await serve(request({ 'If-None-Match': '*' }));
		expect(star.status).toBe(304);
	});

	it('serves the file when If-None-Match names another version', async () => {
		const response = await serve(request({ 'If-None-Match': '"stale"' }));
		expect(response.status).toBe(200);
	});

	it('honours If-Range: the range when the ETag matches, the whole file when it does not', async () => {
		const same = await serve(request({ Range: 'bytes=0-9', 'If-Range': `"${SHA}"` }));
		expect(same.status).toBe(206);
		const changed = await serve(request({ Range: 'bytes=0-9', 'If-Range': '"old-version"' }));
		expect(changed.status).toBe(200);
		expect(changed.headers.get('Content-Length')).toBe('1000');
	});

	it('honours If-Range with the Last-Modified date', async () => {
		const first = await serve(request());
		const lastModified = first.headers.get('Last-Modified')!;
		const same = await serve(request({ Range: 'bytes=0-9', 'If-Range': lastModified }));
		expect(same.status).toBe(206);
		const older = await serve(
			request({ Range: 'bytes=0-9', 'If-Range': 'Mon, 01 Jan 2001 00:00:00 GMT' })
		);
		expect(older.status).toBe(200);
	});

	it('makes a weak ETag from size and modification time when no hash is known', async () => {
		const response = await serve(request(), {});
		const etag = response.headers.get('ETag')!;
		expect(etag).toMatch(/^W\/"3e8-[0-9a-f]+"$/);
		expect((await serve(request({ 'If-None-Match': etag }), {})).status).toBe(304);
		// A weak validator never satisfies If-Range.
		const ranged = await serve(request({ Range: 'bytes=0-9', 'If-Range': etag }), {});
		expect(ranged.status).toBe(200);
	});

	it('answers HEAD with the headers of GET and no body', async () => {
		const whole = await serve(request({}, 'HEAD'));
		expect(whole.status).toBe(200);
		expect(whole.headers.get('Content-Length')).toBe('1000');
		expect(whole.body).toBeNull();
		const part = await serve(request({ Range: 'bytes=0-99' }, 'HEAD'));
		expect(part.status).toBe(206);
		expect(part.headers.get('Content-Length')).toBe('100');
		expect(part.body).toBeNull();
	});

	it('names the file inline, with an ASCII fallback and the UTF-8 name', async () => {
		const response = await serve(request());
		expect(response.headers.get('Content-Disposition')).toBe(
			`inline; filename="Muller 2025 - Saliency _maps_.pdf"; ` +
				`filename*=UTF-8''M%C3%BCller%202025%20-%20Saliency%20%E2%80%9Cmaps%E2%80%9D.pdf`
		);
	});
});

describe('parseRange', () => {
	it('reads first-last, first- and -suffix forms', () => {
		expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
		expect(parseRange('bytes=3-', 10)).toEqual({ start: 3, end: 9 });
		expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
		expect(parseRange('bytes=-30', 10)).toEqual({ start: 0, end: 9 });
	});

	it('reports ranges that cannot be satisfied', () => {
		expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable');
		expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
		expect(parseRange('bytes=0-5', 0)).toBe('unsatisfiable');
	});

	it('ignores an absent header', () => {
		expect(parseRange(null, 10)).toBeNull();
	});
});

describe('contentDisposition', () => {
	it('escapes quotes and backslashes in the fallback name', () => {
		expect(contentDisposition('a "b" \\ c')).toBe(
			`inline; filename="a 'b' ' c.pdf"; filename*=UTF-8''a%20%22b%22%20%5C%20c.pdf`
		);
	});
});

describe('readablePdfName', () => {
	it('names the first author, the year and the title', () => {
		const name = readablePdfName({
			id: 'jin-euca',
			title: 'EUCA: the End-User-Centered Explainable AI Framework',
			year: 2021,
			authors: [{ name: 'Weina Jin' }, { name: 'Jianyu Fan' }]
		});
		expect(name).toBe('Jin 2021 - EUCA the End-User-Centered Explainable AI Framework.pdf');
	});
});
