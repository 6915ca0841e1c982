/**
 * `npm start`: ingests `papers/` when the live build is missing or older than the corpus or the
 * ingest code, builds the app when `build/` is missing or older than the sources, then serves it
 * with `node build`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startFirstRunFetch } from './first-run.js';

const root = resolve(import.meta.dirname, '..');

// The server refuses to start in production without ORIGIN (src/lib/server/origin.ts); say so
// before spending minutes on an ingest and a build. A local `npm start` defaults it (below).
if (process.env.NODE_ENV === 'production' && !process.env.ORIGIN?.trim()) {
	console.error(
		'start: NODE_ENV=production needs ORIGIN, the public address (e.g. ORIGIN=https://imimic.example.org)'
	);
	process.exit(1);
}
const papersDir = resolve(process.env.PAPERS_DIR ?? join(root, 'papers'));
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));

/**
 * Newest modification time of any file under `dir` (0 when it does not exist).
 * @param {string} dir
 * @returns {number}
 */
function newestMtime(dir) {
	if (!existsSync(dir)) return 0;
	let newest = statSync(dir).mtimeMs;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
	}
	return newest;
}

function liveBuildTime() {
	const current = join(dataDir, 'current');
	if (!existsSync(current)) return 0;
	// The manifest is written last: a build without one (unfinished, or older) is no build.
	const build = join(dataDir, 'builds', readFileSync(current, 'utf8').trim());
	const manifest = join(build, 'manifest.json');
	return existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
}

/**
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 */
function run(label, command, args) {
	console.error(`start: ${label}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
	return result.status ?? 1;
}

// A change to the ingest or index code (e.g. a new index format) also makes the data stale.
const ingestInputs = Math.max(
	newestMtime(papersDir),
	...['scripts/ingest', 'src/lib/search', 'src/lib/text', 'src/lib/server'].map((dir) =>
		newestMtime(join(root, dir))
	)
);
if (ingestInputs > liveBuildTime()) {
	const code = run(`ingesting ${papersDir}`, process.execPath, [
		join(root, 'node_modules/tsx/dist/cli.mjs'),
		join(root, 'scripts/ingest/cli.ts'),
		'--papers',
		papersDir,
		'--out',
		dataDir
	]);
	// Exit 2 means built with some papers degraded: still worth serving.
	if (code === 1 && !liveBuildTime()) {
		console.error('start: nothing to serve: the ingest built nothing (see the report above)');
		process.exit(1);
	}
}

const sources = Math.max(
	newestMtime(join(root, 'src')),
	statSync(join(root, 'package-lock.json')).mtimeMs,
	statSync(join(root, 'svelte.config.js')).mtimeMs
);
const built = join(root, 'build', 'index.js');
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
	const code = run('building the app', process.execPath, [
		join(root, 'node_modules/vite/bin/vite.js'),
		'build'
	]);
	if (code !== 0) process.exit(code);
}

const port = process.env.PORT ?? '3000';
const host = process.env.HOST;
/**
 * The host part of a URL to this server: `fallback` when it listens on every interface (HOST
 * unset, as adapter-node does then, or a wildcard), else HOST itself.
 * @param {string} fallback
 */
const urlHost = (fallback) =>
	!host || host === '0.0.0.0' || host === '::' ? fallback : host.includes(':') ? `[${host}]` : host;
const address = `http://${urlHost('localhost')}:${port}`;
// Without ORIGIN, adapter-node assumes https; a local `npm start` is plain http.
const origin = process.env.ORIGIN ?? address;
console.error(`start: serving on ${address}`);
const server = spawn(process.execPath, [built], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, DATA_DIR: dataDir, ORIGIN: origin }
});
/** @type {import('node:child_process').ChildProcess | null} */
let firstRun = null;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.on(signal, () => {
		firstRun?.kill(signal);
		server.kill(signal);
	});
}
server.on('exit', (code) => {
	firstRun?.kill('SIGTERM');
	process.exit(code ?? 0);
});

// The first-run fetch starts once the server answers, so a newcomer sees the site at once.
const localUrl = `http://${urlHost('127.0.0.1')}:${port}/`;
for (let tries = 0; tries < 300 && server.exitCode === null; tries++) {
	const up = await fetch(localUrl, { method: 'HEAD' }).then(
		() => true,
		() => false
	);
	if (up) {
		firstRun = startFirstRunFetch({ root, papersDir, dataDir });
		break;
	}
	await new Promise((wake) => setTimeout(wake, 200));
}
