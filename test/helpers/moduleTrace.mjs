// Preloaded with --import: records every module file this process loads (ESM and CommonJS, through
// node:module's synchronous hooks) and writes the list to $KURA_MODULE_TRACE when it exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  load(url, context, next) {
    loaded.add(url);
    return next(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.KURA_MODULE_TRACE, [...loaded].join('\n')));
