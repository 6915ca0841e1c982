/**
 * The first `npm start` on a machine: once the server is up, fetch the open-access PDFs of the
 * shipped papers in the background (the ingest's `--fetch`), index them, and let the running
 * server switch to the new build. Offline, or with GLASSBOX_OFFLINE=1, say in one line what full
 * text needs instead. `DATA_DIR/first-run.json` tells the home page what is happening.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_FILE = 'first-run.json';

/** The one line printed when full text cannot be fetched (offline or turned off). */
export const OFFLINE_LINE =
	'start: serving titles, authors and topics only; full text needs the PDFs (put <paper-id>.pdf beside papers/<edition>/<paper-id>.yaml, then npm run ingest) or a connection (npm start fetches the open-access copies once)';

/**
 * @typedef {{ state: 'fetching' | 'done' | 'offline' | 'off', papers: number, fetched?: number, at: string }} FirstRunState
 */

/** True when GLASSBOX_OFFLINE asks for no network at all. */
export function offlineRequested(env = process.env) {
	return /^(1|true|yes|on)$/i.test(env.GLASSBOX_OFFLINE ?? '');
}

/**
 * @param {string} dataDir
 * @returns {FirstRunState | null}
 */
export function readFirstRunState(dataDir) {
	try {
		return JSON.parse(readFileSync(join(dataDir, STATE_FILE), 'utf8'));
	} catch {
		return null;
	}
}

/**
 * @param {string} dataDir
 * @param {Omit<FirstRunState, 'at'>} state
 */
function writeState(dataDir, state) {
	const file = join(dataDir, STATE_FILE);
	const temp = `${file}.${process.pid}.tmp`;
	writeFileSync(temp, JSON.stringify({ ...state, at: new Date().toISOString() }));
	renameSync(temp, file);
}

/**
 * Papers of the live build that have no full text but an open-access copy online.
 * @param {string} dataDir
 * @returns {string[]} their ids
 */
export function papersToFetch(dataDir) {
	try {
		const buildId = readFileSync(join(dataDir, 'current'), 'utf8').trim();
		const catalog = JSON.parse(
			readFileSync(join(dataDir, 'builds', buildId, 'catalog.json'), 'utf8')
		);
		return catalog.papers
			.filter(
				(/** @type {{ pdf: unknown, pdfUrl: unknown }} */ paper) => !paper.pdf && paper.pdfUrl
			)
			.map((/** @type {{ id: string }} */ paper) => paper.id);
	} catch {
		return [];
	}
}

/**
 * Starts the background fetch when it is due: papers lack full text, the network is allowed, and
 * no earlier first run finished online. Returns the child process, or null when nothing runs.
 * @param {{ root: string, papersDir: string, dataDir: string, say?: (line: string) => void }} options
 * @returns {import('node:child_process').ChildProcess | null}
 */
export function startFirstRunFetch({
	root,
	papersDir,
	dataDir,
	say = (line) => console.error(line)
}) {
	const missing = papersToFetch(dataDir);
	if (missing.length === 0) return null;
	if (offlineRequested()) {
		writeState(dataDir, { state: 'off', papers: missing.length });
		say(OFFLINE_LINE);
		return null;
	}
	const previous = readFirstRunState(dataDir);
	if (previous?.state === 'done') return null;

	say(
		`start: first run: fetching the open-access PDFs of ${missing.length} papers (arXiv or pdf_url) in the background to index their full text; the site is up meanwhile and switches to the new index by itself (GLASSBOX_OFFLINE=1 npm start turns this off)`
	);
	writeState(dataDir, { state: 'fetching', papers: missing.length });
	const logFile = join(dataDir, 'first-run.log');
	const log = createWriteStream(logFile);
	const child = spawn(
		process.execPath,
		[
			join(root, 'node_modules/tsx/dist/cli.mjs'),
			join(root, 'scripts/ingest/cli.ts'),
			'--papers',
			papersDir,
			'--out',
			dataDir,
			'--fetch'
		],
		{ cwd: root, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let fetched = 0;
	let summary = '';
	let pending = '';
	/** @param {Buffer} chunk */
	const onOutput = (chunk) => {
		log.write(chunk);
		pending += chunk.toString('utf8');
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) {
			if (/^\S+: fetched /.test(line)) {
				fetched += 1;
				say(`start: first run: ${fetched} of ${missing.length} PDFs fetched`);
			}
			const total = /^fetch: (.*)$/.exec(line);
			if (total) summary = total[1];
		}
	};
	child.stdout?.on('data', onOutput);
	child.stderr?.on('data', onOutput);
	child.on('exit', (code) => {
		log.end();
		// Only "unreachable" and "timeout" results mean no network: try again at the next start.
		const counts = [...summary.matchAll(/(\d+) ([a-z-]+)/g)];
		const reached = counts.filter(
			([, , status]) => status !== 'unreachable' && status !== 'timeout'
		);
		if (counts.length > 0 && reached.length === 0) {
			writeState(dataDir, { state: 'offline', papers: missing.length });
			say(OFFLINE_LINE);
			return;
		}
		writeState(dataDir, { state: 'done', papers: missing.length, fetched });
		say(
			code === 1
				? `start: first run: the ingest failed; the site keeps serving metadata (see ${logFile})`
				: `start: first run: ${fetched} of ${missing.length} papers now have full text in search and the reader${fetched < missing.length ? ` (the others: see ${logFile})` : ''}`
		);
	});
	return child;
}
