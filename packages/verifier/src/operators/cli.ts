/**
 * `ekyc-verifier operator add --name <name> --role reviewer|auditor` (prints the token once),
 * `ekyc-verifier operator disable --id <id>`, `ekyc-verifier operator list`. Same environment as
 * the server (DATABASE_URL); migrations run first.
 */
import { parseArgs } from 'node:util';
import { EkycError } from '@ekyc/core';
import type { VerifierConfig } from '../config.ts';
import { openDatabase } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import { OPERATOR_ROLES, OperatorStore, type OperatorRole } from './store.ts';

const USAGE = 'usage: ekyc-verifier operator add --name <name> --role reviewer|auditor | operator disable --id <id> | operator list';

export async function runOperatorCommand(args: readonly string[], config: Pick<VerifierConfig, 'databaseUrl'>, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<void> {
  const [command, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, role: { type: 'string' }, id: { type: 'string' } }, strict: true });
  if (command !== 'add' && command !== 'disable' && command !== 'list') throw new EkycError('invalid_argument', USAGE);
  const db = await openDatabase(config.databaseUrl);
  try {
    await migrate(db);
    const store = new OperatorStore(db);
    if (command === 'add') {
      if (values.name === undefined || !OPERATOR_ROLES.includes(values.role as OperatorRole)) throw new EkycError('invalid_argument', USAGE);
      const { operator, token } = await store.add({ name: values.name, role: values.role as OperatorRole });
      out(`ekyc-verifier: operator ${operator.id} (${operator.role}) added. Its token, shown only now:`);
      out(`  ${token}`);
    } else if (command === 'disable') {
      if (values.id === undefined) throw new EkycError('invalid_argument', USAGE);
      out(await store.disable(values.id) ? `ekyc-verifier: operator ${values.id} disabled` : `ekyc-verifier: no enabled operator ${values.id}`);
    } else {
      for (const operator of await store.list()) out(`${operator.id}\t${operator.role}\t${operator.disabledAt === null ? 'enabled' : 'disabled'}\t${operator.name}`);
    }
  } finally {
    await db.close();
  }
}
