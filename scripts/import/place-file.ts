/**
 * Puts a PDF into a papers folder without a second copy where it can: a hard link (same disk),
 * else a copy. Not a symbolic link: the ingest refuses links that lead out of the papers folder.
 */
import { copyFileSync, linkSync } from 'node:fs';

/** Makes `target` hold the content of `source`. */
export function placeFile(source: string, target: string): void {
	try {
		linkSync(source, target);
	} catch {
		copyFileSync(source, target);
	}
}
