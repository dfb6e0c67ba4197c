// Renders assets/icon.svg to assets/icon.png (1024x1024) with the system Chromium; run after editing the SVG.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url);
const svg = readFileSync(new URL('assets/icon.svg', root), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 512, height: 512 }, deviceScaleFactor: 2 });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="512" height="512" ')}</body></html>`);
await page.screenshot({ path: new URL('assets/icon.png', root).pathname, omitBackground: true, clip: { x: 0, y: 0, width: 512, height: 512 } });
await browser.close();
