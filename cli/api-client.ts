/**
 * A small client of the nianbao HTTP API for the CLI (and scripts): where the API is, which token to send,
 * JSON in and out. The API URL comes from --api, NIANBAO_API, or .local/endpoints.json written by
 * `nianbao local` (which also holds the local coordinator token); the token from --token or NIANBAO_TOKEN.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ApiTarget {
  api: string;
  token: string | null;
}

export function localEndpointsFile(cwd = process.cwd()): string {
  return process.env.NIANBAO_LOCAL_DIR ? join(resolve(process.env.NIANBAO_LOCAL_DIR), 'endpoints.json') : join(cwd, '.local', 'endpoints.json');
}

export function resolveTarget(options: { api?: string; token?: string }): ApiTarget | { error: string } {
  let local: { api?: string; coordinatorToken?: string } = {};
  const file = localEndpointsFile();
  if (existsSync(file)) {
    try {
      local = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // An unreadable state file is the same as none.
    }
  }
  const api = options.api ?? process.env.NIANBAO_API ?? local.api;
  if (!api) return { error: '不知道 API 地址：请用 --api 或环境变量 NIANBAO_API 指定，或先运行本地环境（nianbao local）' };
  const token = options.token ?? process.env.NIANBAO_TOKEN ?? (api === local.api ? local.coordinatorToken : undefined) ?? null;
  return { api: api.replace(/\/+$/, ''), token };
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
}

export async function callApi(target: ApiTarget, method: string, path: string, body?: { json?: unknown; raw?: Uint8Array | string; type?: string }): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  let payload: string | Uint8Array | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.raw !== undefined) {
    headers['content-type'] = body.type ?? 'application/octet-stream';
    payload = body.raw;
  }
  let res: Response;
  try {
    res = await fetch(`${target.api}${path}`, { method, headers, body: payload as BodyInit | undefined });
  } catch (e) {
    return { status: 0, body: { error: `无法连接 API（${target.api}）：${e instanceof Error ? e.message : String(e)}` } };
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: { error: text.slice(0, 500) || `HTTP ${res.status}` } };
  }
}

/** --name value, --name=value, repeated options collected, bare --flag = 'true'; the rest positional. */
export function parseOptions(args: string[]): { options: Record<string, string[]>; positional: string[] } {
  const options: Record<string, string[]> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i];
    else value = 'true';
    (options[name] ??= []).push(value);
  }
  return { options, positional };
}
