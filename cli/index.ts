/**
 * `nianbao <command> …`: each command is a module in cli/commands exporting
 * `run(args: string[]): Promise<number>` (the exit code) and a one-line `summary`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS_DIR = join(__dirname, 'commands');

function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function usage(): string {
  const lines = commandNames().map((name) => {
    const { summary } = require(join(COMMANDS_DIR, name)) as Command;
    return `  ${name.padEnd(10)} ${summary}`;
  });
  return ['Usage: nianbao <command> [options]', '', 'Commands:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const file = join(COMMANDS_DIR, `${name}.ts`);
  if (!/^[a-z-]+$/.test(name) || !existsSync(file)) {
    console.error(`nianbao: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = require(file) as Command;
  return command.run(args);
}
