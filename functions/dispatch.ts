/**
 * Serves a function's routes of the table (./routes.ts): finds the route, authenticates, checks the path
 * parameters before they reach any key, applies the route's access rule, then calls its handler.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { CycleDeps } from '../shared/cycle/deps';
import type { Principal } from '../shared/cycle/model';
import { authenticate, parseOfficeId, parseYear, requireCoordinator, requireOfficeOrCoordinator } from '../shared/cycle/service';
import { header, json, segments, type Result } from './http';
import { matchPath, ROUTES, type ApiFunction, type Route } from './routes';

/** The names in braces of a route's path, e.g. `'year' | 'officeId'`. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
/** The checked parameters: the year as a number, the office id valid, the rest as given. */
export type Params<P extends string> = { [K in ParamNames<P>]: K extends 'year' ? number : string };

export interface RouteContext<P> {
  deps: CycleDeps;
  event: APIGatewayProxyEventV2;
  principal: Principal;
  params: P;
}

/** One handler per route of function F, keyed "METHOD /path": no route without a handler, no handler without a route. */
export type Handlers<F extends ApiFunction> = {
  [R in Extract<Route, { fn: F }> as `${R['method']} ${R['path']}`]: (c: RouteContext<Params<R['path']>>) => Promise<Result>;
};

const NOT_FOUND = (): Result => json(404, { error: '没有这个接口' });
const METHOD = (): Result => json(405, { error: '不支持的请求方法' });

export function dispatcher<F extends ApiFunction>(fn: F, handlers: Handlers<F>) {
  const routes: readonly Route[] = ROUTES.filter((r) => r.fn === fn);
  return async (deps: CycleDeps, event: APIGatewayProxyEventV2): Promise<Result> => {
    const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
    const parts = segments(event);
    const fitting = routes.flatMap((route) => {
      const raw = matchPath(route.path, parts);
      return raw ? [{ route, raw }] : [];
    });
    if (!fitting.length) return NOT_FOUND();
    const hit = fitting.find((f) => f.route.method === method);
    if (!hit) return METHOD();
    const principal = await authenticate(deps, header(event, 'authorization'));
    const params: Record<string, string | number> = { ...hit.raw };
    if (hit.raw.year !== undefined) params.year = parseYear(hit.raw.year);
    if (hit.raw.officeId !== undefined) params.officeId = parseOfficeId(hit.raw.officeId);
    if (hit.route.access === 'coordinator') requireCoordinator(principal);
    if (hit.route.access === 'office') requireOfficeOrCoordinator(principal, params.year as number, params.officeId as string);
    const handler = (handlers as Record<string, (c: RouteContext<unknown>) => Promise<Result>>)[`${hit.route.method} ${hit.route.path}`];
    return handler({ deps, event, principal, params });
  };
}
