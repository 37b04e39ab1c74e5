// Rollup plugins that version Leadlight's lazily loaded chunks by content: a chunk built as `leadlight-x.js`
// is written as `leadlight-x.<hash>.js`, and code built later in the same rollup run that names
// `leadlight-x.js` gets the versioned name. A cached older script then asks for the chunk it was built with,
// never a newer one it cannot talk to. List the configs so every chunk is built before the code that loads it.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Plain chunk name → versioned name, for the chunks built so far in this process. */
const versions = new Map();

/**
 * Output plugin: writes the chunk as `<name>.<first 8 hex of its SHA-256>.js` (and removes older versions of it
 * from the output folder); with `plain`, also keeps `<name>.js` for scripts cached before chunks were versioned.
 */
export function versionedChunk({ plain = false } = {}) {
  return {
    name: 'leadlight-versioned-chunk',
    generateBundle(options, bundle) {
      for (const [file, output] of Object.entries(bundle)) {
        if (output.type !== 'chunk') continue;
        const stem = basename(file, '.js');
        const hash = createHash('sha256').update(output.code).digest('hex').slice(0, 8);
        const versioned = `${stem}.${hash}.js`;
        versions.set(`${stem}.js`, versioned);
        const dir = options.dir ?? dirname(options.file);
        const old = new RegExp(`^${stem.replace(/[.-]/g, '\\$&')}\\.[0-9a-f]{8}\\.js$`);
        try {
          for (const name of readdirSync(dir)) if (old.test(name)) rmSync(join(dir, name));
        } catch {
          // no output folder yet
        }
        this.emitFile({ type: 'asset', fileName: versioned, source: output.code });
        if (!plain) delete bundle[file];
      }
    },
  };
}

/**
 * Output plugin: replaces the plain names of chunks built earlier in this run with their versioned names; with
 * `dir`, also the names of the versioned chunks found there (a test bundling code against a built folder).
 */
export function versionedNames({ dir } = {}) {
  return {
    name: 'leadlight-versioned-names',
    renderChunk(code) {
      const known = new Map();
      for (const name of dir ? readdirSync(dir) : []) {
        const match = /^(leadlight-[\w-]+)\.[0-9a-f]{8}\.js$/.exec(name);
        if (match) known.set(`${match[1]}.js`, name);
      }
      for (const [plain, versioned] of versions) known.set(plain, versioned);
      let out = code;
      for (const [plain, versioned] of known) {
        out = out.replace(new RegExp(`(?<![\\w.-])${plain.replace(/[.-]/g, '\\$&')}`, 'g'), versioned);
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}
