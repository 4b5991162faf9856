/**
 * Reviewers and auditors: their own identities and roles, separate from the integrator API key.
 * Added with `ekyc-verifier operator add --name <name> --role reviewer|auditor` (the token is
 * printed once), disabled with `operator disable --id <id>`; a disabled operator is refused at
 * once (the row is read on every request).
 */
import { createHash } from 'node:crypto';
import { EkycError } from '@ekyc/core';
import type { Database } from '../db/driver.ts';
import { appendAudit } from '../audit/log.ts';
import { decoyHash, hashOperatorToken, newOperatorId, newOperatorToken, operatorIdOf, verifyOperatorToken } from './token.ts';

export const OPERATOR_ROLES = ['reviewer', 'auditor'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export interface Operator {
  id: string;
  name: string;
  role: OperatorRole;
  createdAt: Date;
  disabledAt: Date | null;
}

interface OperatorRow {
  id: string;
  name: string;
  role: OperatorRole;
  token_hash: string;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const fromRow = (row: OperatorRow): Operator => ({
  id: row.id, name: row.name, role: row.role, createdAt: asDate(row.created_at), disabledAt: row.disabled_at === null ? null : asDate(row.disabled_at),
});

/** Verified tokens (SHA-256 of the token -> the stored hash it matched), so scrypt runs once per token and process. */
const CACHE_LIMIT = 1000;

export class OperatorStore {
  readonly #verified = new Map<string, string>();

  constructor(private readonly db: Database, private readonly now: () => Date = () => new Date()) {}

  async add(input: { name: string; role: OperatorRole }): Promise<{ operator: Operator; token: string }> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) throw new EkycError('invalid_argument', 'An operator name is 1 to 200 characters.');
    if (!OPERATOR_ROLES.includes(input.role)) throw new EkycError('invalid_argument', 'An operator role is reviewer or auditor.');
    const id = newOperatorId();
    const token = newOperatorToken(id);
    const createdAt = this.now();
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO verifier_operators (id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [id, name, input.role, await hashOperatorToken(token), createdAt]);
      await appendAudit(tx, { actorKind: 'system', actorId: null, action: 'operator.added', sessionId: null, details: { operatorId: id, role: input.role }, at: createdAt });
    });
    return { operator: { id, name, role: input.role, createdAt, disabledAt: null }, token };
  }

  async disable(id: string): Promise<boolean> {
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const updated = await tx.query('UPDATE verifier_operators SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL', [id, at]);
      if (updated.rowCount !== 1) return false;
      await appendAudit(tx, { actorKind: 'system', actorId: null, action: 'operator.disabled', sessionId: null, details: { operatorId: id }, at });
      return true;
    });
  }

  async list(): Promise<Operator[]> {
    const result = await this.db.query<OperatorRow>('SELECT * FROM verifier_operators ORDER BY created_at, id');
    return result.rows.map(fromRow);
  }

  async get(id: string): Promise<Operator | null> {
    const result = await this.db.query<OperatorRow>('SELECT * FROM verifier_operators WHERE id = $1', [id]);
    return result.rows[0] === undefined ? null : fromRow(result.rows[0]);
  }

  /** The enabled operator a bearer token belongs to, or null (wrong, unknown, disabled or not an operator token). */
  async authenticate(token: string): Promise<Operator | null> {
    const id = operatorIdOf(token);
    if (id === null) return null;
    const result = await this.db.query<OperatorRow>('SELECT * FROM verifier_operators WHERE id = $1', [id]);
    const row = result.rows[0];
    if (row === undefined) {
      await verifyOperatorToken(token, await decoyHash());
      return null;
    }
    const digest = createHash('sha256').update(token).digest('hex');
    let valid = this.#verified.get(digest) === row.token_hash;
    if (!valid) {
      valid = await verifyOperatorToken(token, row.token_hash);
      if (valid) {
        if (this.#verified.size >= CACHE_LIMIT) this.#verified.delete(this.#verified.keys().next().value!);
        this.#verified.set(digest, row.token_hash);
      }
    }
    if (!valid || row.disabled_at !== null) return null;
    return fromRow(row);
  }
}
