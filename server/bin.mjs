#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a checkout needs no
// separate compile step for the server.
import { register } from 'tsx/esm/api';

register();
const { cli } = await import('./cli.ts');
const code = await cli(process.argv.slice(2));
process.exit(code);
