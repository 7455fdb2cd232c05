// Bundles the Workers entry (src/worker.ts: the ingest app + the relay client)
// for a runtime-neutral target (no Node built-ins), as Cloudflare Workers needs
// it. The build fails if anything reachable from it imports `node:*` (esbuild
// cannot resolve those on the neutral platform) or a Node-only package, which
// keeps the ingest deployable at the edge.
import { build } from 'esbuild';

const result = await build({
  entryPoints: ['src/worker.ts'],
  outfile: 'dist/worker.js',
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser', 'import'],
  metafile: true,
  logLevel: 'warning',
});
const nodeOnly = Object.keys(result.metafile.inputs).filter((input) =>
  /node_modules\/(ioredis|bullmq|nodemailer|pino|smtp-server)\//.test(input),
);
if (nodeOnly.length > 0) {
  console.error(`Node-only modules reached from the Workers entry:\n  ${nodeOnly.join('\n  ')}`);
  process.exit(1);
}
console.log(`dist/worker.js: ${Object.keys(result.metafile.inputs).length} modules, runtime-neutral`);
