// Runs the compiled server (build/, made by `npm run build`) the way
// server/bin.mjs does when the build is current. The benchmark starts the
// product through this, after compiling, so that a source edited while it
// runs (bin.mjs would then fall back to tsx) cannot change what is measured.
import { cli } from '../build/cli.js';

process.exit(await cli(process.argv.slice(2)));
