#!/usr/bin/env node
// The `nianbao` command. TypeScript sources run through tsx's require hook: no build step.
require('tsx/cjs/api').register();
const cli = require('../cli/index.ts');

cli.main(process.argv.slice(2)).then(cli.exitWhenFlushed, (e) => {
  console.error(e);
  cli.exitWhenFlushed(1);
});
