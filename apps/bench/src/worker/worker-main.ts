// Entry of a worker process (child_process.fork): runs tasks sent by the coordinator, one at a time.
import { executeTask } from './executor.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const send = (message: FromWorker) => process.send?.(message);
const replies = new Map<string, (data: unknown) => void>();

process.on('message', (message: ToWorker) => {
  if (message.type === 'reply') {
    const key = `${message.id}:${message.worker}:${message.name}`;
    replies.get(key)?.(message.data);
    replies.delete(key);
    return;
  }
  const { id, task } = message;
  executeTask(task, (worker, name, data) => {
    const reply = new Promise((resolve) => replies.set(`${id}:${worker}:${name}`, resolve));
    send({ type: 'sync', id, worker, name, data });
    return reply;
  }).then(
    (results) => send({ type: 'done', id, results }),
    (error: unknown) =>
      send({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
  );
});

// Stop when the coordinator goes away, so no worker outlives a run.
process.on('disconnect', () => process.exit(0));
send({ type: 'online' });
