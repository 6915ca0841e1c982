/** Runs a bench script again as a child process, so each measurement starts from a fresh heap. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs `script` (a bench file) under tsx with `args` and returns the JSON of its last output line
 * (null when it printed none). Node flags such as the heap size come first.
 */
export function runBenchChild(script: string, args: string[], nodeFlags: string[]): unknown {
	const result = spawnSync(
		process.execPath,
		[...nodeFlags, join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args],
		{ cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 }
	);
	if (result.status !== 0)
		throw new Error(`bench child ${args.join(' ')} failed:\n${result.stderr}`);
	return JSON.parse(result.stdout.trim().split('\n').pop() || 'null');
}
