/**
 * `nianbao <command> …`: each command is a module in cli/commands exporting
 * `run(args: string[]): Promise<number>` (the exit code) and a one-line `summary`.
 * Commands only write (console.log / console.error) and return their code: bin/nianbao.js exits through
 * `exitWhenFlushed`, never while output is still on its way to a slow reader.
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
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- commands load by name, only the one asked for
    const { summary } = require(join(COMMANDS_DIR, name)) as Command;
    return `  ${name.padEnd(10)} ${summary}`;
  });
  return ['用法：nianbao <命令> [选项]', '', '命令：', ...lines, '', '各命令的详细用法：nianbao <命令> --help'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const file = join(COMMANDS_DIR, `${name}.ts`);
  if (!/^[a-z-]+$/.test(name) || !existsSync(file)) {
    console.error(`nianbao：没有“${name}”这个命令。\n\n${usage()}`);
    return 2;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
  const command = require(file) as Command;
  return command.run(args);
}

/**
 * Exits with `code` once everything written to stdout and stderr has been handed to the reader. Output to a
 * pipe is asynchronous once the pipe is full (64 KB): a bare process.exit() would cut it there. An empty
 * write completes after every earlier write, so its callback is the moment to go. A reader that went away
 * (EPIPE) ends the wait too; the exit code stays the command's.
 */
export function exitWhenFlushed(code: number, streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  process.exitCode = code;
  let pending = streams.length;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of streams) {
    let called = false;
    const once = () => {
      if (called) return;
      called = true;
      done();
    };
    stream.on('error', once);
    if (stream.destroyed || stream.writableEnded) once();
    else stream.write('', once);
  }
}
