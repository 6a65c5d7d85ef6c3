#!/usr/bin/env node
// The `nianbao` command. TypeScript sources run through tsx's require hook: no build step.
require('tsx/cjs/api').register();
require('../cli/index.ts')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
