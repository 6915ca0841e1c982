/** Runs a bench script again as a child process, so each measurement starts from a fresh heap. */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
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

/** A bench child kept running, answering requests one at a time (see {@link startBenchServer}). */
export interface BenchServer {
	/** The first line the child printed (what it reports once ready). */
	ready: Promise<unknown>;
	/** Sends `request` as a line of JSON; resolves with the child's next line of JSON. */
	ask(request: unknown): Promise<unknown>;
	/** Ends the child (its standard input closed) and waits for it to exit. */
	close(): Promise<void>;
}

/**
 * Runs `script` under tsx with `args` as a child that stays up: it prints one line of JSON when
 * ready, then one for each line of JSON it reads. Lets a bench alternate between versions loaded
 * side by side, request by request, instead of a whole run of one after the other.
 */
export function startBenchServer(script: string, args: string[], nodeFlags: string[]): BenchServer {
	const child = spawn(
		process.execPath,
		[...nodeFlags, join(ROOT, 'node_modules/tsx/dist/cli.mjs'), script, ...args],
		{ cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }
	);
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const waiting: { resolve: (value: unknown) => void; reject: (error: Error) => void }[] = [];
	const exited = new Promise<void>((done) =>
		child.on('close', (code) => {
			const error = new Error(`bench child ${args.join(' ')} exited (${code}):\n${stderr}`);
			for (const waiter of waiting.splice(0)) waiter.reject(error);
			done();
		})
	);
	createInterface({ input: child.stdout }).on('line', (line) => {
		// Only lines of JSON are answers; anything else a module prints is not.
		if (line.startsWith('{')) waiting.shift()?.resolve(JSON.parse(line));
	});
	const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
	const ready = next();
	return {
		ready,
		ask(request) {
			const answer = next();
			child.stdin.write(`${JSON.stringify(request)}\n`);
			return answer;
		},
		async close() {
			child.stdin.end();
			await exited;
		}
	};
}
