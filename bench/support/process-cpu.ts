import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Queryable } from '@repopulse/core';

// /proc counts CPU time in clock ticks (USER_HZ).
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system) a process on this machine has used so far, in ms; 0 once it is gone. */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return 0;
  // After "pid (command) ": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / ticksPerSecond;
}

/**
 * CPU time used so far by the PostgreSQL backends serving `applicationName` on the current database (the
 * server runs on this machine in development): what one module's queries cost the database, apart from
 * every other client's.
 */
export async function databaseCpuMs(database: Queryable, applicationName: string): Promise<number> {
  const { rows } = await database.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
    [applicationName],
  );
  const each = await Promise.all(rows.map((row) => processCpuMs(row.pid)));
  return each.reduce((sum, ms) => sum + ms, 0);
}
