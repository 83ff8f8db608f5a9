// The worker HTTP API of common/plan/task.ts.
import type http from 'node:http';
import { SqlError } from '../../common/errors.js';
import { readJsonBody, sendError, sendJson } from '../../common/exchange/http-server-util.js';
import { FRAME_END, FRAME_ERROR, type NodeInfo, type TaskSpec } from '../../common/plan/task.js';
import { SqlStates } from '../../common/sqlstate.js';
import type { TaskManager } from './task-manager.js';

const RESULTS = /^\/v1\/tasks\/([^/]+)\/results\/(\d+)$/;
const TASK = /^\/v1\/tasks\/([^/]+)$/;

export function workerRequestHandler(
  tasks: TaskManager,
  info: () => NodeInfo,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    handle(tasks, info, req, res).catch((e: unknown) => sendError(res, e));
  };
}

async function handle(
  tasks: TaskManager,
  info: () => NodeInfo,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
  const method = req.method ?? 'GET';
  if (path === '/v1/info' && method === 'GET') return sendJson(res, 200, info());
  if (path === '/v1/tasks' && method === 'POST') {
    const spec = (await readJsonBody(req)) as TaskSpec;
    // ?results=P: answer with output partition P of the new task (one round trip for the root task).
    const streamPart = /^results=(\d+)$/.exec(query)?.[1];
    try {
      tasks.create(spec);
    } catch (e) {
      return sendError(res, e, 400);
    }
    if (streamPart !== undefined) return streamResults(tasks, spec.taskId, Number(streamPart), res);
    return sendJson(res, 200, { taskId: spec.taskId });
  }
  if (path === '/v1/tasks' && method === 'GET') return sendJson(res, 200, tasks.list());
  const results = RESULTS.exec(path);
  if (results && method === 'GET')
    return streamResults(tasks, decodeURIComponent(results[1]!), Number(results[2]), res);
  const task = TASK.exec(path);
  if (task) {
    const taskId = decodeURIComponent(task[1]!);
    if (method === 'GET') {
      const status = tasks.status(taskId);
      return status ? sendJson(res, 200, status) : sendError(res, notFound(taskId), 404);
    }
    if (method === 'DELETE') {
      tasks.abort(taskId);
      return sendJson(res, 200, tasks.status(taskId) ?? { taskId, state: 'aborted' });
    }
  }
  sendError(res, new SqlError(SqlStates.undefinedObject, `no route ${method} ${path}`), 404);
}

function notFound(taskId: string): SqlError {
  return new SqlError(SqlStates.undefinedObject, `unknown task ${taskId}`);
}

/** How long a results request for a task this worker does not know yet waits for its POST. */
const UNKNOWN_TASK_WAIT_MS = 2000;

async function streamResults(tasks: TaskManager, taskId: string, part: number, res: http.ServerResponse) {
  let reader: ReturnType<TaskManager['reader']>;
  try {
    reader = tasks.reader(taskId, part);
    if (!reader) {
      const gone = new AbortController();
      const onClose = () => gone.abort();
      res.on('close', onClose);
      const created = await tasks.waitForTask(taskId, UNKNOWN_TASK_WAIT_MS, gone.signal);
      res.off('close', onClose);
      if (gone.signal.aborted) return;
      if (created) reader = tasks.reader(taskId, part);
    }
  } catch (e) {
    return sendError(res, e, 409);
  }
  if (!reader) return sendError(res, notFound(taskId), 404);
  const r = reader;
  let closed = false;
  res.on('close', () => {
    closed = true;
    r.close();
  });
  res.writeHead(200, { 'content-type': 'application/x-tributary-frames', 'cache-control': 'no-store' });
  // Headers go out with the first frame (one write, not two): a consumer has nothing to do
  // with them alone.
  try {
    for (let frame = await r.next(); frame && !closed; frame = await r.next()) {
      if (frame[0] === FRAME_END || frame[0] === FRAME_ERROR) {
        // The terminal frame and the end of the response in one write.
        res.end(frame);
        closed = true;
        break;
      }
      if (!res.write(frame)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
  } finally {
    if (!closed) res.end();
    r.close();
  }
}
