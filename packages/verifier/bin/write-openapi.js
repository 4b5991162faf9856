#!/usr/bin/env node
// Writes docs/verifier.openapi.json from the route schemas.
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('./source-condition.js', import.meta.url);
registerTsx();
const { OPENAPI_PATH, generateOpenApi } = await import('../src/http/openapi.ts');
writeFileSync(OPENAPI_PATH, await generateOpenApi());
console.log(`wrote ${OPENAPI_PATH}`);
