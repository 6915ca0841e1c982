/**
 * What the first `npm start` is doing about full text (`DATA_DIR/first-run.json`, written by
 * scripts/first-run.js), so the home page can say it in one sentence.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveDataDir } from './data-dir.ts';

export type FirstRunState = 'fetching' | 'done' | 'offline' | 'off';

/** The first run's state, or null when there was none (papers ingested by hand, `node build`). */
export async function readFirstRunState(dataDir = resolveDataDir()): Promise<FirstRunState | null> {
	try {
		const { state } = JSON.parse(await readFile(join(dataDir, 'first-run.json'), 'utf8'));
		return ['fetching', 'done', 'offline', 'off'].includes(state) ? state : null;
	} catch {
		return null;
	}
}
