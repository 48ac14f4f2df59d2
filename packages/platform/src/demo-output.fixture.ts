// A demo partner as `startDemos` runs one: a human line on stdout, then the ready line, then it
// waits to be stopped. Used by runtime.test.ts.
process.stdout.write('fixture: a human line before the ready line\n');
process.stdout.write(`${JSON.stringify({ demo: 'fixture', url: 'http://127.0.0.1:9' })}\n`);
const keepAlive = setInterval(() => {}, 60_000);
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  process.exit(0);
});
