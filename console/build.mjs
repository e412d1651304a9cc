// Builds the console into dist/: our ES modules and styles as they are, plus uPlot from node_modules.
// No bundler: the browser loads the modules directly; Cms.Host serves dist/ at /.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const uplot = join(root, 'node_modules', 'uplot', 'dist');

rmSync(dist, { recursive: true, force: true });
cpSync(join(root, 'src'), dist, { recursive: true });
mkdirSync(join(dist, 'vendor'), { recursive: true });
cpSync(join(uplot, 'uPlot.esm.js'), join(dist, 'vendor', 'uPlot.esm.js'));
cpSync(join(uplot, 'uPlot.min.css'), join(dist, 'vendor', 'uPlot.min.css'));
// The MSBuild target compares this stamp with the sources to skip a build that has nothing to do.
writeFileSync(join(dist, '.stamp'), new Date().toISOString() + '\n');
console.log('console built into ' + dist);
