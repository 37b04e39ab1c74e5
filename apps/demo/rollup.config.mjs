import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const SITE = 'site';
const SNIPPET = 'node_modules/@leadlight/sdk/dist/snippet.js';

/** Every file under dir, as paths relative to it. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path).map((p) => join(entry.name, p)) : [entry.name];
  });
}

/**
 * Copies the static site into the bundle, expanding `<!--#include name-->` from site/_partials and
 * inlining the SDK's loader snippet where a page asks for it — what a customer's template would paste.
 */
function staticSite() {
  return {
    name: 'static-site',
    buildStart() {
      for (const file of walk(SITE)) this.addWatchFile(join(SITE, file));
    },
    generateBundle() {
      const partials = Object.fromEntries(
        readdirSync(join(SITE, '_partials')).map((f) => [
          f.replace(/\.html$/, ''),
          readFileSync(join(SITE, '_partials', f), 'utf8').trim(),
        ]),
      );
      const snippet = existsSync(SNIPPET)
        ? readFileSync(SNIPPET, 'utf8')
            .trim()
            .replace(/<\/script/gi, '<\\/script')
        : undefined;
      if (!snippet)
        console.log(`static-site: ${SNIPPET} not built yet; pages rely on the async script tag alone`);
      for (const file of walk(SITE)) {
        if (file.startsWith('_partials')) continue;
        let source = readFileSync(join(SITE, file));
        if (file.endsWith('.html')) {
          let html = source.toString('utf8').replace(/<!--#include (\w+)-->/g, (_, name) => {
            if (!(name in partials))
              throw new Error(`${relative('.', join(SITE, file))}: unknown include "${name}"`);
            return partials[name];
          });
          html = snippet
            ? html.replace('/*@leadlight-snippet*/', () => snippet)
            : html.replace(
                /\s*<!--[^>]*loader snippet[^>]*-->\s*<script>\/\*@leadlight-snippet\*\/<\/script>/,
                '',
              );
          source = Buffer.from(html);
        }
        this.emitFile({ type: 'asset', fileName: file, source });
      }
    },
  };
}

const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['import', 'default'] }),
  typescript({ tsconfig: './tsconfig.build.json' }),
  terser(),
];

export default [
  {
    input: 'src/site/main.ts',
    output: { dir: 'dist/site', entryFileNames: 'assets/site.js', format: 'iife' },
    plugins: [...plugins(), staticSite()],
  },
  {
    input: 'src/dashboard/main.ts',
    output: { dir: 'dist/site', entryFileNames: 'dashboard/dashboard.js', format: 'iife' },
    plugins: plugins(),
  },
];
