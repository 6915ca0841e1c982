import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface Advisory {
	package: string;
	id: string;
	/** First affected version, when older ones are not (e.g. another major line). */
	introducedIn?: string;
	fixedIn: string;
	status: 'fixed' | 'accepted';
	mitigation?: string;
}

const { advisories } = JSON.parse(
	readFileSync(resolve(ROOT, 'deploy/advisories.json'), 'utf8')
) as { advisories: Advisory[] };
const lock = JSON.parse(readFileSync(resolve(ROOT, 'package-lock.json'), 'utf8')) as {
	packages: Record<string, { version?: string }>;
};

/** Every installed copy of a package (a package may be installed at several places). */
function installedVersions(name: string): string[] {
	return Object.entries(lock.packages)
		.filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
		.map(([, entry]) => entry.version!)
		.filter(Boolean);
}

/** Negative when `a` is older than `b` (plain major.minor.patch). */
function compareVersions(a: string, b: string): number {
	const [x, y] = [a, b].map((version) => version.split(/[.-]/).slice(0, 3).map(Number));
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

describe('known advisories of the packages the server runs', () => {
	it.each(advisories.map((advisory) => [`${advisory.package} ${advisory.id}`, advisory] as const))(
		'%s: fixed by the installed version, or accepted with a reason while it is not',
		(_name, advisory) => {
			const versions = installedVersions(advisory.package);
			expect(versions.length, `${advisory.package} is not installed`).toBeGreaterThan(0);
			const vulnerable = versions.filter(
				(version) =>
					compareVersions(version, advisory.fixedIn) < 0 &&
					(!advisory.introducedIn || compareVersions(version, advisory.introducedIn) >= 0)
			);
			if (advisory.status === 'fixed') {
				expect(vulnerable, `${advisory.package} is older than ${advisory.fixedIn}`).toEqual([]);
			} else {
				// An accepted advisory that an upgrade has fixed must be marked fixed, so the list stays true.
				expect(vulnerable.length, `${advisory.id} is fixed now: mark it "fixed"`).toBeGreaterThan(
					0
				);
				expect(advisory.mitigation?.length ?? 0).toBeGreaterThan(40);
			}
		}
	);
});
