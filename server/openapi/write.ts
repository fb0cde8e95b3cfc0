// `npm run build` runs this (compiled) after the page's build: the OpenAPI
// document goes to dist/openapi.json, which the package ships.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from './document.ts';
import { packageVersion } from './serve.ts';

const file = fileURLToPath(new URL('../../dist/openapi.json', import.meta.url));
writeFileSync(file, `${JSON.stringify(openApiDocument({ version: packageVersion() }), null, 2)}\n`);
console.log(`OpenAPI document written to ${file}`);
