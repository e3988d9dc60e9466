// Preloaded into a child process (`NODE_OPTIONS=--import=<this file>`): tells whether async hooks were on
// at any time while it ran. Without them a promise reaction runs with execution async id 0; once anything
// turns them on (an AsyncLocalStorage used on Node 20, a createHook().enable()) every promise gets an id of
// its own. Checked every 50 ms; at exit the process writes `async-hooks-probe: on|off (N checks)` to stderr.
import { executionAsyncId } from 'node:async_hooks';

let checks = 0;
let seenOn = false;
const timer = setInterval(() => {
  Promise.resolve().then(() => {
    checks++;
    if (executionAsyncId() !== 0) seenOn = true;
  });
}, 50);
timer.unref();
process.on('exit', () => {
  process.stderr.write(`async-hooks-probe: ${seenOn ? 'on' : 'off'} (${checks} checks)\n`);
});
