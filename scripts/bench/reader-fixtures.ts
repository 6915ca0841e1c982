/**
 * What `npm run bench:reader` reads and serves: the generated and real papers, a private copy of a
 * checkout's production build, the production server, and a bare pdf.js page as the baseline.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { makePdf, manyPages, pageWord } from '../../tests/fixtures/pdf/make-pdf.ts';
import { fileResponse } from '../../src/lib/server/pdf-response.ts';
import { placeFile } from '../import/place-file.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const SHARED_EUCA = resolve(ROOT, '../shared/corpus/pdf/jin-euca-end-user-xai.pdf');

const FILLER = (
	'the model was trained on magnetic resonance images of the brain and evaluated against ' +
	'expert annotations using several metrics while clinicians rated the explanations for ' +
	'usefulness and trust in a reader study with two rounds of review'
).split(' ');

/** Body lines of a page: filler prose, "saliency" on every seventh page, a hyphenated word on every fifth. */
function bodyOf(page: number): string[] {
	const lines: string[] = [`Section ${page}: the findings of ${pageWord(page)}.`];
	for (let line = 0; line < 44; line++) {
		const words = Array.from(
			{ length: 12 },
			(_, k) => FILLER[(page * 7 + line * 12 + k) % FILLER.length]
		);
		lines.push(words.join(' '));
	}
	if (page % 7 === 0)
		lines[10] = 'Saliency maps highlight the regions that drive the saliency score.';
	if (page % 5 === 0) {
		lines[20] = 'Clinicians compared the saliency maps with their own expla-';
		lines[21] = 'nations of each diagnosis.';
	}
	return lines;
}

export interface Target {
	id: string;
	label: string;
	pdfPath: string;
}

export function log(message: string): void {
	process.stderr.write(`bench:reader: ${message}\n`);
}

function run(
	command: string,
	commandArgs: string[],
	cwd: string,
	env: NodeJS.ProcessEnv = {}
): void {
	const result = spawnSync(command, commandArgs, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, ...env, FORCE_COLOR: '0' }
	});
	if (result.status !== 0 && result.status !== 2) {
		throw new Error(
			`${command} ${commandArgs.join(' ')} failed:\n${result.stdout}\n${result.stderr}`
		);
	}
}

/**
 * A private copy of the production build of checkout `root` (built first unless `reuse`), so a
 * rebuild elsewhere cannot pull files from under the server.
 */
export function privateBuild(work: string, root: string, name: string, reuse: boolean): string {
	if (!reuse) {
		log(`building ${root} (vite build)…`);
		run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], root);
	}
	const app = join(work, name);
	mkdirSync(app);
	cpSync(join(root, 'build'), join(app, 'build'), { recursive: true });
	copyFileSync(join(root, 'package.json'), join(app, 'package.json'));
	symlinkSync(
		join(existsSync(join(root, 'node_modules')) ? root : ROOT, 'node_modules'),
		join(app, 'node_modules')
	);
	return app;
}

/** The papers folder of the benchmark: generated PDFs and EUCA, those whose id contains `only`. */
export function makePapers(work: string, only: string): { papersDir: string; targets: Target[] } {
	const papersDir = join(work, 'papers');
	const edition = join(papersDir, 'bench');
	mkdirSync(edition, { recursive: true });
	copyFileSync(join(ROOT, 'papers/taxonomy.yaml'), join(papersDir, 'taxonomy.yaml'));
	writeFileSync(
		join(edition, 'edition.yaml'),
		'title: Reader benchmark\nyear: 2024\ncomplete: false\n'
	);
	const targets: Target[] = [];
	const generated = [
		{ pages: 50, tree: 'flat', label: 'generated, 50 pages' },
		{ pages: 300, tree: 'flat', label: 'generated, 300 pages, flat page tree' },
		{ pages: 300, tree: 'balanced', label: 'generated, 300 pages, pdfTeX-like tree' }
	] as const;
	for (const { pages, tree, label } of generated) {
		const id = `bench-${pages}-pages-${tree}`;
		if (!id.includes(only)) continue;
		const pdfPath = join(edition, `${id}.pdf`);
		writeFileSync(
			pdfPath,
			makePdf(manyPages(pages, bodyOf), { title: `${pages} pages`, pageTree: tree })
		);
		writeFileSync(
			join(edition, `${id}.yaml`),
			`title: A ${pages}-Page Benchmark Paper (${tree} tree)\nauthors: [Bench Mark]\ntype: poster\n`
		);
		targets.push({ id, label, pdfPath });
	}
	if (existsSync(SHARED_EUCA) && 'jin-euca-end-user-xai'.includes(only)) {
		const id = 'jin-euca-end-user-xai';
		placeFile(SHARED_EUCA, join(edition, `${id}.pdf`));
		writeFileSync(
			join(edition, `${id}.yaml`),
			'title: "EUCA: the End-User-Centered Explainable AI Framework"\nauthors: [Weina Jin]\ntype: poster\n'
		);
		targets.push({ id, label: 'EUCA (real), 52 pages', pdfPath: SHARED_EUCA });
	}
	return { papersDir, targets };
}

export async function startServer(
	app: string,
	dataDir: string,
	env: Record<string, string> = {}
): Promise<{ url: string; stop: () => void }> {
	const port = 43000 + Math.floor(Math.random() * 2000);
	const server: ChildProcess = spawn(process.execPath, [join(app, 'build/index.js')], {
		cwd: app,
		env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
		stdio: 'ignore'
	});
	const url = `http://127.0.0.1:${port}`;
	for (let tries = 0; tries < 300; tries++) {
		try {
			await fetch(url);
			return { url, stop: () => server.kill('SIGTERM') };
		} catch {
			await new Promise((wake) => setTimeout(wake, 100));
		}
	}
	server.kill('SIGTERM');
	throw new Error('the production server did not start');
}

/**
 * Plain pdf.js: a bare page that renders page `page` (default 1) of a PDF at `scale` (default 1.5),
 * served with the same range support.
 */
export function startPlainServer(targets: Target[]): Promise<{ url: string; server: Server }> {
	const pdfjsDir = join(ROOT, 'node_modules/pdfjs-dist/build');
	const html = `<!doctype html><meta charset="utf-8"><canvas id="c"></canvas>
<script type="module">
import * as pdfjs from '/pdf.min.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.min.mjs';
const file = new URLSearchParams(location.search).get('file');
performance.mark('plain:pdfjs-loaded');
const doc = await pdfjs.getDocument({ url: '/file/' + file, disableAutoFetch: true, verbosity: 0 }).promise;
performance.mark('plain:document-open');
const page = await doc.getPage(Number(new URLSearchParams(location.search).get('page') ?? 1));
performance.mark('plain:page');
const viewport = page.getViewport({ scale: Number(new URLSearchParams(location.search).get('scale') ?? 1.5) });
const canvas = document.getElementById('c');
canvas.width = viewport.width * devicePixelRatio;
canvas.height = viewport.height * devicePixelRatio;
performance.mark('plain:render-start', { detail: { pixels: canvas.width * canvas.height } });
await page.render({ canvas, viewport, transform: [devicePixelRatio, 0, 0, devicePixelRatio, 0, 0] }).promise;
performance.mark('plain:first-page');
</script>`;
	const server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const send = async (response: Response) => {
			res.writeHead(response.status, Object.fromEntries(response.headers));
			if (response.body) {
				const reader = response.body.getReader();
				for (let part = await reader.read(); !part.done; part = await reader.read()) {
					res.write(part.value);
				}
			}
			res.end();
		};
		if (url.pathname === '/')
			return send(new Response(html, { headers: { 'Content-Type': 'text/html' } }));
		if (url.pathname === '/pdf.min.mjs' || url.pathname === '/pdf.worker.min.mjs') {
			const { readFile } = await import('node:fs/promises');
			const body = await readFile(join(pdfjsDir, url.pathname.slice(1)));
			return send(new Response(body, { headers: { 'Content-Type': 'text/javascript' } }));
		}
		const target = targets.find((t) => url.pathname === `/file/${t.id}`);
		if (!target) return send(new Response('not found', { status: 404 }));
		const request = new Request(url, {
			method: req.method,
			headers: Object.entries(req.headers).flatMap(([k, v]): [string, string][] =>
				typeof v === 'string' ? [[k, v]] : []
			)
		});
		return send(await fileResponse(request, { path: target.pdfPath, filename: target.id }));
	});
	return new Promise((done) =>
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			done({
				url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
				server
			});
		})
	);
}
