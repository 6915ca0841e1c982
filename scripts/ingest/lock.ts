/**
 * One ingest at a time per DATA_DIR: two ingests writing one output would each prune the other's
 * builds and the last to publish would win. The lock is a file naming the process that holds it;
 * a lock left by a process that no longer runs (killed, crashed) is taken over.
 */
import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'ingest.lock';

interface LockHolder {
	pid: number;
	host: string;
	startedAt: string;
}

/** Another ingest holds the lock; the message names it and says what to do. */
export class IngestLockedError extends Error {}

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function readHolder(path: string): Promise<LockHolder | null> {
	try {
		const holder = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
		return Number.isInteger(holder?.pid) ? holder : null;
	} catch {
		return null;
	}
}

/**
 * Takes the ingest lock of `dataDir` (which must exist) and returns the function that releases
 * it. Throws `IngestLockedError` while another running ingest holds it.
 */
export async function takeIngestLock(dataDir: string): Promise<() => Promise<void>> {
	const path = join(dataDir, LOCK_FILE);
	const me: LockHolder = {
		pid: process.pid,
		host: hostname(),
		startedAt: new Date().toISOString()
	};
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const file = await open(path, 'wx');
			await file.writeFile(JSON.stringify(me));
			await file.close();
			return async () => {
				const holder = await readHolder(path);
				if (holder?.pid === me.pid && holder.host === me.host) await rm(path, { force: true });
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const holder = await readHolder(path);
		// A lock from another machine (a shared disk) cannot be checked, so it is respected.
		const alive = holder && (holder.host !== me.host || isRunning(holder.pid));
		if (alive) {
			throw new IngestLockedError(
				`${path}: another ingest (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}) ` +
					'is writing to this data folder; wait for it to finish, or delete this file if that process is gone'
			);
		}
		// Left by an ingest that died (or half written by one): take it over.
		await rm(path, { force: true });
	}
	throw new IngestLockedError(
		`${path}: another ingest took the lock at the same moment; try again`
	);
}
