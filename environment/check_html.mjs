// Opens every exported lesson (build/course/<mode>/html/*.html) in headless Chromium with the network
// cut off, as a learner would see it, and fails unless every plot rendered (a plotly svg.main-svg in
// each ConvKit plot), every image decoded, and the page logged no console error.
// Screenshots go to build/course/<mode>/screenshots/. Usage: node check_html.mjs <html dir>
import { readdirSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { launchChromium } from './chromium.mjs';

const dir = resolve(process.argv[2] || 'build/course/quick/html');
const shots = join(dirname(dir), 'screenshots');
mkdirSync(shots, { recursive: true });
const files = readdirSync(dir).filter(f => f.endsWith('.html')).sort();
if (files.length === 0) {
  console.error(`check-html: no HTML files in ${dir}; run the course first`);
  process.exit(1);
}
const browser = await launchChromium();
let failures = 0;
for (const file of files) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  // Offline: anything but local files and inline data is refused, and counted.
  await page.route('**/*', route => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort();
  });
  await page.goto('file://' + join(dir, file), { waitUntil: 'load', timeout: 120000 });
  const plots = await page.locator('div.convkit-plot').count();
  if (plots > 0) {
    try {
      await page.waitForFunction(n => document.querySelectorAll('div.convkit-plot svg.main-svg').length > 0 &&
        [...document.querySelectorAll('div.convkit-plot')].every(d => d.querySelector('svg.main-svg')), plots,
        { timeout: 60000 });
    } catch (e) {
      const drawn = await page.locator('div.convkit-plot:has(svg.main-svg)').count();
      problems.push(`${plots - drawn} of ${plots} plots did not render`);
    }
  }
  const brokenImages = await page.evaluate(() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length);
  if (brokenImages > 0) problems.push(`${brokenImages} images did not decode`);
  const images = await page.evaluate(() => document.images.length);
  await page.screenshot({ path: join(shots, basename(file, '.html') + '.png'), fullPage: true });
  if (problems.length) {
    failures++;
    console.log(`check-html: ${file}: FAILED (${plots} plots, ${images} images)`);
    for (const p of problems) console.log(`  ${p}`);
  } else {
    console.log(`check-html: ${file}: ok (${plots} plots rendered, ${images} images)`);
  }
  await page.close();
}
await browser.close();
console.log(`check-html: ${files.length - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
