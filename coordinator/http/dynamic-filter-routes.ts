// HTTP routes through which workers report and fetch dynamic filters (common/plan/task.ts lists
// them; common/plan/dynamic-filter.ts explains the protocol).
import type http from 'node:http';
import { SqlError } from '../../common/errors.js';
import { readJsonBody, sendError, sendJson } from '../../common/exchange/http-server-util.js';
import { parseSummary } from '../../common/plan/dynamic-filter.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { DynamicFilterService } from '../scheduler/dynamic-filters.js';
import type { HttpHandler } from './server.js';

const ROUTE = /^\/v1\/queries\/([^/]+)\/dynamic-filters\/([^/]+)$/;
/** Upper bound of one long poll; scans ask for their own (shorter) wait. */
const MAX_WAIT_MS = 60_000;

export function dynamicFilterRoutes(service: DynamicFilterService): HttpHandler {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const [path, query] = (req.url ?? '/').split('?') as [string, string | undefined];
    const m = ROUTE.exec(path);
    if (!m) return false;
    const queryId = decodeURIComponent(m[1]!);
    const filterId = decodeURIComponent(m[2]!);
    if (req.method === 'PUT') {
      const body = (await readJsonBody(req)) as { taskId?: unknown; summary?: unknown } | null;
      const summary = parseSummary(body?.summary);
      if (!summary || typeof body?.taskId !== 'string') {
        sendError(res, new SqlError(SqlStates.invalidParameterValue, 'malformed dynamic filter report'), 400);
        return true;
      }
      sendJson(res, 200, { accepted: service.report(queryId, filterId, body.taskId, summary) });
      return true;
    }
    if (req.method === 'GET') {
      const waitMs = Math.min(
        MAX_WAIT_MS,
        Math.max(0, Number(new URLSearchParams(query ?? '').get('waitMs') ?? 0) || 0),
      );
      // A scan that gives up (its task was aborted) closes the request: stop waiting for it.
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const summary = await service.wait(queryId, filterId, waitMs, gone.signal);
      if (!res.destroyed) sendJson(res, 200, { summary });
      return true;
    }
    return false;
  };
}
