// What starting a real database server from Debian's packages needs: finding its binaries,
// installing the package when they are missing (root only), a data directory owned by the server's
// OS user, and running a program as that user.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type ExecOptions, type ExecResult, execOk } from './exec.js';
import { sleep } from './process-tree.js';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** First directory (of `dirs`, then PATH) holding every one of `programs`. */
export function findBinDir(programs: readonly string[], dirs: readonly string[]): string | undefined {
  const path = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const dir of [...dirs, ...path]) {
    if (programs.every((p) => existsSync(join(dir, p)))) return dir;
  }
  return undefined;
}

/** /usr/lib/postgresql/<version>/bin directories, newest version first. */
export function postgresBinDirs(): string[] {
  const base = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = readdirSync(base);
  } catch {
    return [];
  }
  return versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'));
}

/**
 * `apt-get update && apt-get install -y <packages>`, serialized across test processes by a lock
 * directory (two vitest forks may both find the binaries missing). Only as root.
 */
export async function aptInstall(packages: readonly string[]): Promise<void> {
  if (!isRoot) {
    throw new Error(
      `${packages.join(', ')} not installed and not running as root: install it (apt-get install -y ${packages.join(' ')})`,
    );
  }
  const lock = join(tmpdir(), 'tributary-apt.lock');
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(500);
    }
  }
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const options: ExecOptions = { env, timeoutMs: 600_000 };
    await execOk('apt-get', ['update'], options);
    await execOk('apt-get', ['install', '-y', '--no-install-recommends', ...packages], options);
  } finally {
    await rmdir(lock).catch(() => {});
  }
}

export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export function lookupUser(name: string): OsUser | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/**
 * The OS user a server runs as: as root, the package's user (servers refuse to run as root);
 * otherwise undefined, meaning the current user.
 */
export function serverUser(name: string): OsUser | undefined {
  if (!isRoot) return undefined;
  const user = lookupUser(name);
  if (user === undefined) throw new Error(`OS user ${name} does not exist (is the server package installed?)`);
  return user;
}

/** A fresh temp directory, owned by `owner` when given. */
export async function makeServerDir(prefix: string, owner: OsUser | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** [file, args] that run `program args` as `user` (runuser), or directly when user is undefined. */
export function asUser(user: OsUser | undefined, program: string, args: readonly string[]): [string, string[]] {
  return user === undefined ? [program, [...args]] : ['runuser', ['-u', user.name, '--', program, ...args]];
}

export async function runAs(
  user: OsUser | undefined,
  program: string,
  args: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const [file, argv] = asUser(user, program, args);
  return execOk(file, argv, options);
}

/** A name unique within this machine for a while: prefix + pid + counter + random. */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${process.pid}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}
