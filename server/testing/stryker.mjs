// Runs the StrykerJS command line (`npm run test:mutation -- <stryker args>`).
// StrykerJS 10 declares Node.js 22 and refuses to start on older versions,
// while this project supports Node.js 20.19 and up; the mutation run works on
// 20 (nothing it uses is newer), so on 20 the version it checks is raised.
// On Node.js 22 and later this is plain `stryker run`.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) Object.defineProperty(process, 'version', { value: 'v22.0.0' });
const { StrykerCli } = await import('@stryker-mutator/core');
const args = process.argv.slice(2);
new StrykerCli([process.argv[0] ?? 'node', 'stryker', ...(args.length > 0 ? args : ['run'])]).run();
