#!/usr/bin/env node
// The `nianbao` command. TypeScript sources run through tsx's require hook: no build step.
require('tsx/cjs/api').register();
require('../cli/index.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    // Exit only once stdout has been flushed: a large --json object piped to another program must arrive whole.
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  });
