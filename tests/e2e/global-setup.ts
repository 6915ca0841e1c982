import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './harness.ts';

/** Builds the production app once for every browser test (skip with GLASSBOX_SKIP_BUILD=1). */
export default function setup(): void {
	if (process.env.GLASSBOX_SKIP_BUILD === '1') return;
	const result = spawnSync(
		process.execPath,
		[join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'],
		{
			cwd: ROOT,
			// Vitest sets NODE_ENV=test, which would make Svelte compile its development mode; the
			// browser tests must run what ships.
			env: { ...process.env, NODE_ENV: 'production' },
			encoding: 'utf8'
		}
	);
	if (result.status !== 0)
		throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}
