// Starts the system Chromium headless through playwright-core (fetched into build/node by environment/install.sh),
// for both browser checks: check_html.mjs (the exported lessons) and check_notebook.mjs (the live Notebook UI).
import { createRequire } from 'node:module';
import { resolve, dirname } from 'node:path';

const require = createRequire(resolve(dirname(new URL(import.meta.url).pathname), '../build/node/package.json'));
const { chromium } = require('playwright-core');

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--no-first-run', '--disable-sync', '--disable-quic'],
    // Playwright runs it headless and gives it a fresh temporary profile itself.
  });
}
