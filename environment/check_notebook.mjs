// The learner's real session, tested: serves a copy of the lessons with Jupyter Notebook (environment/lab.sh, as
// `make lab` does, on a free localhost port with a token, in test mode), then in headless Chromium
//   1. starts the ConvKit kernel afresh N times through the server (REST + websocket, as the Notebook page does)
//      and fails unless every start answers kernel_info, without the server's 60 s kernel_info timeout and without
//      the kernel dropping a request ("Unhandled message", see environment/kernel/KernelStart.java);
//   2. opens lessons in the Notebook UI, clicks Cell > Run All, waits for the last cell, and fails unless the live
//      progress line changed while training, every plot rendered, every image decoded and no cell shows an error.
// Server log, kernel log and screenshots go to build/browser/.
//   node environment/check_notebook.mjs [--starts 20] [--lessons 00,03] [--start-bound 180]
// A start that does not answer within --start-bound seconds fails, with a thread dump of its kernel (jcmd).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve, dirname } from 'node:path';
import { launchChromium } from './chromium.mjs';

const repo = resolve(dirname(new URL(import.meta.url).pathname), '..');
const out = join(repo, 'build', 'browser');
const option = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const starts = Number(option('--starts', '20'));
const wanted = option('--lessons', '00,03').split(',').map(s => s.trim()).filter(Boolean);
// A start answers in seconds (more on a loaded machine); only one that never answers runs into this bound. A dropped
// kernel_info_request is told by the log lines of the kernel and of Notebook, not by the time it costs (60 s).
const START_BOUND_MS = Number(option('--start-bound', '180')) * 1000;
const LESSON_TIMEOUT_MS = 15 * 60 * 1000;
if (!(START_BOUND_MS > 0)) fail(`--start-bound needs seconds, not '${option('--start-bound')}'`);
if (!Number.isInteger(starts) || starts < 0) fail(`--starts needs a whole number, not '${option('--starts')}'`);

function fail(message) {
  console.error(`check-notebook: ${message}`);
  process.exit(1);
}
const say = message => console.log(`check-notebook: ${message}`);

// --- the lessons: a fresh copy, so that Run All and autosave never write into notebooks/ ---------------------
const lessons = readdirSync(join(repo, 'notebooks')).filter(f => /^\d\d-.*\.ipynb$/.test(f)).sort()
  .filter(f => wanted.some(w => f.startsWith(w)));
if (lessons.length !== wanted.length) fail(`--lessons ${wanted.join(',')}: not every one names a lesson in notebooks/`);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'notebooks'), { recursive: true });
for (const f of lessons) cpSync(join(repo, 'notebooks', f), join(out, 'notebooks', f));

// --- the server --------------------------------------------------------------------------------------------------
const port = await new Promise((ok, bad) => {
  const probe = createServer().once('error', bad).listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => ok(port));
  });
});
const token = randomBytes(24).toString('hex');
const base = `http://127.0.0.1:${port}`;
const logFile = join(out, 'jupyter.log');
const logFd = openSync(logFile, 'w');
const server = spawn('bash', [join(repo, 'environment', 'lab.sh'), `--port=${port}`, '--port-retries=0'], {
  env: {
    ...process.env, CONVKIT_MODE: 'test', CONVKIT_LAB_DIR: join(out, 'notebooks'), JUPYTER_TOKEN: token,
    JUPYTER_CONFIG_DIR: join(out, 'config'),   // the user's own Jupyter settings stay out of the test
    CONVKIT_DATA: join(out, 'data'),   // its own checkpoints: lesson 03 trains live instead of reloading a finished run
    ...(process.getuid() === 0 ? { CONVKIT_ALLOW_ROOT: '1' } : {}),
  },
  stdio: ['ignore', logFd, logFd],
});
let serverExit = null;
server.on('exit', code => { serverExit = code; });
const log = () => readFileSync(logFile, 'utf8');
const api = (path, method = 'GET', body) => fetch(base + path, {
  method, headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
  body: body && JSON.stringify(body),
});

let browser = null;
async function stop() {
  if (browser) await browser.close().catch(() => {});
  if (serverExit === null) {
    const kernels = await api('/api/kernels').then(r => r.json()).catch(() => []);
    for (const k of kernels) await api(`/api/kernels/${k.id}`, 'DELETE').catch(() => {});
    const kernelPids = children(server.pid);
    server.kill('SIGTERM');   // Notebook stops its kernels and exits
    for (let i = 0; i < 300 && serverExit === null; i++) await new Promise(r => setTimeout(r, 100));
    if (serverExit === null) server.kill('SIGKILL');
    for (const pid of kernelPids) {   // a kernel Notebook could not stop (still starting) would outlive it
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
}

// The processes whose parent is `pid` (the kernels Notebook started), from /proc.
function children(pid) {
  return readdirSync('/proc').filter(d => /^\d+$/.test(d)).filter(d => {
    try { return readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1] === String(pid); }
    catch { return false; }
  }).map(Number);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop().then(() => process.exit(130)));
process.on('exit', () => { if (serverExit === null) server.kill('SIGTERM'); });   // whatever ended the test

const problems = [];
try {
  for (let waited = 0; ; waited += 250) {
    if (serverExit !== null) throw new Error(`Jupyter stopped at start (exit ${serverExit}):\n${log().slice(-2000)}`);
    if (await api('/api/status').then(r => r.ok).catch(() => false)) break;
    if (waited > 60000) throw new Error(`Jupyter did not answer on ${base} within 60 s; log ${logFile}`);
    await new Promise(r => setTimeout(r, 250));
  }
  say(`Jupyter Notebook serving ${lessons.join(', ')} on ${base} (test mode); log ${logFile}`);
  browser = await launchChromium();
  await kernelStarts();
  for (const lesson of lessons) await runLesson(lesson);
} catch (e) {
  problems.push(e.message);
} finally {
  await stop();
}
for (const p of problems) console.log(`  ${p}`);
say(problems.length ? `FAILED (${problems.length} problems)` : 'all passed');
process.exit(problems.length ? 1 : 0);

// --- 1. fresh kernel starts, each measured from the start request to the kernel_info reply ----------------------
async function kernelStarts() {
  if (starts === 0) return;
  const page = await browser.newPage();
  await page.goto(`${base}/tree?token=${token}`);
  const times = [];
  for (let i = 1; i <= starts; i++) {
    const logBefore = log().length;
    const t = await page.evaluate(startOnce, { token, boundMs: START_BOUND_MS });
    const kernelLog = log().slice(logBefore);
    const dropped = /Unhandled message: kernel_info_request|Timeout waiting for kernel_info/.test(kernelLog);
    times.push(t.replied);
    say(`kernel start ${i}/${starts}: websocket open (server had kernel_info) ${t.opened.toFixed(1)} s,` +
        ` kernel_info reply ${t.replied.toFixed(1)} s${t.error || dropped ? '  <- FAILED' : ''}`);
    if (t.error) problems.push(`kernel start ${i}: ${t.error}${threadDump(t.kernelId, i)}`);
    await page.evaluate(deleteKernel, { token, id: t.kernelId });
    if (dropped) problems.push(`kernel start ${i}: the kernel dropped a kernel_info_request (see ${logFile})`);
  }
  const sorted = times.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length) {
    say(`${sorted.length} of ${starts} kernel starts answered kernel_info, in ${sorted[0].toFixed(1)} to` +
        ` ${sorted.at(-1).toFixed(1)} s (median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} s)`);
  }
  await page.close();
}

// Runs in the page: POST /api/kernels, open its channels websocket as the Notebook page does (Notebook answers the
// upgrade only once the kernel has answered its own kernel_info_request), ask kernel_info again, wait for the
// reply, shut the kernel down. Times in seconds from the start request.
async function startOnce({ token, boundMs }) {
  const headers = { Authorization: `token ${token}`, 'Content-Type': 'application/json' };
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const kernel = await (await fetch('/api/kernels', { method: 'POST', headers, body: '{"name":"convkit"}' })).json();
  const session = crypto.randomUUID();
  const ws = new WebSocket(`ws://${location.host}/api/kernels/${kernel.id}/channels?session_id=${session}&token=${token}`);
  const result = { opened: NaN, replied: NaN, error: null };
  await new Promise(done => {
    const timer = setTimeout(() => { result.error = `no kernel_info reply within ${boundMs / 1000} s`; done(); }, boundMs);
    const msgId = crypto.randomUUID();
    ws.onopen = () => {
      result.opened = seconds();
      ws.send(JSON.stringify({
        header: { msg_id: msgId, username: 'check', session, msg_type: 'kernel_info_request', version: '5.3',
                  date: new Date().toISOString() },
        parent_header: {}, metadata: {}, content: {}, channel: 'shell', buffers: [],
      }));
    };
    ws.onmessage = event => {
      const msg = JSON.parse(event.data);
      if (msg.msg_type === 'kernel_info_reply' && msg.parent_header.msg_id === msgId) {
        result.replied = seconds();
        clearTimeout(timer);
        done();
      }
    };
    ws.onclose = () => { if (!result.error && isNaN(result.replied)) result.error = 'the websocket closed'; clearTimeout(timer); done(); };
  });
  ws.onclose = null;
  ws.close();
  result.kernelId = kernel.id;
  return result;
}

async function deleteKernel({ token, id }) {
  await fetch(`/api/kernels/${id}`, { method: 'DELETE', headers: { Authorization: `token ${token}` } });
}

// The threads of a kernel that did not answer, before it is shut down, for the report: where its channels stand.
function threadDump(kernelId, i) {
  const pids = spawnSync('pgrep', ['-f', `kernel-${kernelId}.json`], { encoding: 'utf8' }).stdout.trim().split('\n');
  const cmdline = pid => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return ''; } };
  const java = pids.filter(Boolean).find(pid => /java/.test(cmdline(pid)));
  if (!java) return pids.some(Boolean) ? ' (its Java process had not started yet: no thread dump)' : ' (its process had ended: no thread dump)';
  const dump = spawnSync('jcmd', [java, 'Thread.print'], { encoding: 'utf8', timeout: 30000 });
  const file = join(out, `kernel-start-${i}.threads.txt`);
  writeFileSync(file, dump.stdout || dump.stderr || String(dump.error));
  return `; its threads: ${file}`;
}

// --- 2. a lesson through the Notebook UI --------------------------------------------------------------------------
async function runLesson(lesson) {
  const t0 = Date.now();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(e.message));
  await page.goto(`${base}/notebooks/${lesson}?token=${token}`);
  await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.info_reply?.protocol_version, null,
    { timeout: 3 * 60 * 1000 });
  await page.click('#celllink');
  await page.click('#run_all_cells');
  const progress = new Set();
  let state;
  for (;;) {
    state = await page.evaluate(() => {
      const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code' && c.get_text().trim() !== '');
      return {
        progress: [...document.querySelectorAll('div.convkit-progress')].map(d => d.textContent.trim()),
        done: cells.filter(c => typeof c.input_prompt_number === 'number').length,
        cells: cells.length,
        errors: cells.flatMap(c => c.output_area.outputs.filter(o => o.output_type === 'error')
          .map(o => `cell ${c.input_prompt_number}: ${o.ename}: ${o.evalue}`)),
        idle: document.querySelector('#kernel_indicator_icon')?.classList.contains('kernel_idle_icon'),
      };
    });
    state.progress.forEach(p => progress.add(p));
    if (state.errors.length || (state.done === state.cells && state.idle)) break;
    if (Date.now() - t0 > LESSON_TIMEOUT_MS) {
      problems.push(`${lesson}: not finished after ${LESSON_TIMEOUT_MS / 60000} min (${state.done} of ${state.cells} cells)`);
      break;
    }
    await page.waitForTimeout(200);
  }
  const plots = await page.locator('div.convkit-plot').count();
  await page.waitForFunction(() => [...document.querySelectorAll('div.convkit-plot')].every(d => d.querySelector('svg.main-svg')),
    null, { timeout: 60000 }).catch(() => {});
  const drawn = await page.locator('div.convkit-plot:has(svg.main-svg)').count();
  const images = await page.evaluate(() => [...document.querySelectorAll('#notebook img')]
    .map(i => i.complete && i.naturalWidth > 0));
  await page.screenshot({ path: join(out, lesson.replace('.ipynb', '.png')), fullPage: true });
  const mine = [...state.errors.map(e => `error output, ${e}`), ...pageErrors.map(e => `page error: ${e}`)];
  if (drawn < plots) mine.push(`${plots - drawn} of ${plots} plots did not render`);
  if (images.includes(false)) mine.push(`${images.filter(ok => !ok).length} of ${images.length} images did not decode`);
  if (state.progress.length > 0 && progress.size < 3) {
    mine.push(`the progress line did not move while training: ${progress.size} distinct states seen`);
  }
  if (lesson.startsWith('03') && progress.size === 0) mine.push('no progress line seen while training');
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  say(`${lesson}: ${mine.length ? 'FAILED' : 'ok'} in ${seconds} s: ${state.done} of ${state.cells} cells run,` +
      ` ${drawn} of ${plots} plots rendered, ${images.length} images, ${progress.size} distinct progress lines seen`);
  problems.push(...mine.map(m => `${lesson}: ${m}`));
  await page.close();
}
