/**
 * Runs `npm run ingest` as a child process, exactly as an organiser would, for the browser-test
 * harness and the benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface IngestRun {
	status: number;
	output: string;
	ms: number;
}

export function runIngestCli(papersDir: string, dataDir: string, args: string[] = []): IngestRun {
	const started = performance.now();
	const result = spawnSync(
		process.execPath,
		[
			join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
			join(ROOT, 'scripts/ingest/cli.ts'),
			'--papers',
			papersDir,
			'--out',
			dataDir,
			...args
		],
		{ cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } }
	);
	return {
		status: result.status ?? 1,
		output: `${result.stdout}\n${result.stderr}`,
		ms: performance.now() - started
	};
}
