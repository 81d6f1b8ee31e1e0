#!/usr/bin/env node
// run.js: the browser tests. Debian's Chromium (headless) driven by
// playwright-core; axe-core checks accessibility. A real `parley serve`
// on 127.0.0.1 with a fresh demo site; two browsers with fresh profiles:
// the staff's (an author, then a moderator) and a reader's.
//
//   node tests/browser/run.js [--binary build/parley]
//
// Flow: the author logs in, writes a post with an uploaded image,
// previews it and publishes it; a reader opens it and comments (a
// first-time comment, held); the moderator approves it from the queue
// and it appears; the reader, now known, replies down to depth 5; the
// author closes comments and the form gives way to "Comments are
// closed." Each step saves a screenshot in tests/out/browser/. Then axe
// finds no serious or critical violation on the front page, an article,
// the login page, the editor and the moderation queue.
//
// Prints "ok NAME" / "FAIL NAME: why" per case and ends with
// "N passed, N failed"; exit 1 if anything failed.
'use strict';

const { chromium } = require('playwright-core');
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'tests', 'out', 'browser');
const CHROMIUM = process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync'];
const STEP_MS = 20000;

let binary = path.join(ROOT, 'build', 'parley');
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--binary' && process.argv[i + 1]) {
    binary = path.resolve(process.argv[++i]);
  }
}

let passed = 0;
let failed = 0;
function ok(name) { passed++; console.log('ok ' + name); }
function fail(name, why) {
  failed++;
  console.log('FAIL ' + name + ': ' + String(why).split('\n').join(' | ').slice(0, 800));
}
function check(cond, msg) { if (!cond) throw new Error(msg); }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

function cli(args, input) {
  const r = spawnSync(binary, args, { input: input || '', encoding: 'utf8' });
  if (r.status !== 0) throw new Error('parley ' + args.join(' ') + ': ' + r.stderr);
  return r.stdout;
}

// A real PNG (a striped 320x180 picture) made here, no files needed.
function makePng(file) {
  const w = 320, h = 180;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) {
      const band = Math.floor((x + y) / 20) % 2;
      row[1 + x * 3] = band ? 30 : 200;
      row[2 + x * 3] = band ? 90 : 120;
      row[3 + x * 3] = band ? 160 : 60;
    }
    rows.push(row);
  }
  const crcTable = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 2;
  fs.writeFileSync(file, Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0))]));
}

async function startServer(tmp) {
  const site = path.join(tmp, 'site');
  const port = await freePort();
  const base = 'http://127.0.0.1:' + port;
  cli(['init', site, '--demo', '--base-url', base]);
  // People in a browser are not bots: no minimum fill time needed.
  const confPath = path.join(site, 'parley.conf');
  fs.writeFileSync(confPath, fs.readFileSync(confPath, 'utf8')
    .replace(/^min_fill_seconds = .*$/m, 'min_fill_seconds = 0'));
  cli(['user', 'add', site, 'ann', '--role', 'author', '--name', 'Ann Author'], 'ann-browser-pw\n');
  cli(['user', 'add', site, 'mo', '--role', 'editor', '--name', 'Mo Moderator'], 'mo-browser-pw\n');
  const log = fs.openSync(path.join(OUT, 'server.log'), 'w');
  const proc = spawn(binary, ['serve', site, '--listen', '127.0.0.1:' + port],
    { stdio: ['ignore', log, log] });
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return { proc, base, site };
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error('server did not start');
}

async function browser(tmp, name) {
  // A fresh profile for every browser this run starts.
  const dir = fs.mkdtempSync(path.join(tmp, 'profile-' + name + '-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: ARGS,
    viewport: { width: 1200, height: 900 },
  });
  ctx.setDefaultTimeout(STEP_MS);
  return { ctx, page: ctx.pages()[0] || await ctx.newPage() };
}

let shot = 0;
async function screenshot(page, name) {
  shot++;
  const file = path.join(OUT, String(shot).padStart(2, '0') + '-' + name + '.png');
  await page.screenshot({ path: file, fullPage: true });
}

async function login(page, base, user, pw) {
  await page.goto(base + '/admin/login/');
  await page.getByLabel('Login', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(pw);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log In' }).click()]);
  check(page.url().includes('/admin/'), 'not in the admin after logging in: ' + page.url());
}

async function logout(page) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Log out' }).click()]);
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeCheck(page, url, label) {
  await page.goto(url);
  // Evaluated through the DevTools protocol, which the page's CSP
  // (script-src 'none') does not govern: the page itself is unchanged.
  await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact,
      help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  fs.writeFileSync(path.join(OUT, 'axe-' + label + '.json'), JSON.stringify(res, null, 2));
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, label + ': ' + bad.map((v) => v.impact + ' ' + v.id +
    ' (' + v.help + ') at ' + v.nodes.join(', ')).join('; '));
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) {
    if (f.endsWith('.png') || f.endsWith('.json')) fs.unlinkSync(path.join(OUT, f));
  }
  if (!fs.existsSync(CHROMIUM)) {
    fail('setup', CHROMIUM + ' is missing (apt-get install chromium)');
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-browser-'));
  let srv = null;
  const opened = [];
  const state = {};
  try {
    srv = await startServer(tmp);
    const staff = await browser(tmp, 'staff');
    const reader = await browser(tmp, 'reader');
    opened.push(staff.ctx, reader.ctx);
    const base = srv.base;
    const imgFile = path.join(tmp, 'harbour-at-dusk.png');
    makePng(imgFile);
    const title = 'Ferries Are Infrastructure Too';

    const steps = [
      ['author logs in', async () => {
        const p = staff.page;
        await p.goto(base + '/admin/posts/');
        check(p.url().includes('/admin/login/'), 'admin page without login: ' + p.url());
        await screenshot(p, 'login-page');
        await login(p, base, 'ann', 'ann-browser-pw');
        await screenshot(p, 'author-logged-in');
      }],
      ['author writes a post with an uploaded image and previews it', async () => {
        const p = staff.page;
        await p.goto(base + '/admin/posts/new/');
        await p.getByLabel('Title', { exact: true }).fill(title);
        await p.getByLabel(/^Text/).fill('Ferries carry *whole towns* to work.\n\n' +
          '> A harbour is a station that floats.\n\nMore on [timetables](https://example.org/t).');
        await p.getByLabel(/^New categories/).fill('Cities & Transport, Islands');
        await p.getByLabel(/^Tags/).fill('ferries, public transport');
        await p.getByLabel(/^Or upload one/).setInputFiles(imgFile);
        await p.getByLabel('Caption', { exact: true }).fill('The evening ferry leaving the harbour.');
        await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Preview' }).click()]);
        const prev = p.locator('section.preview');
        await prev.waitFor();
        check(await prev.locator('em', { hasText: 'whole towns' }).count() === 1, 'preview lacks rendered Markdown');
        check(await prev.locator('blockquote').count() === 1, 'preview lacks the quote');
        // The upload went to the library and is now the chosen image.
        const chosen = await p.locator('#image').inputValue();
        check(/^\/media\/[0-9a-f]{64}\.png$/.test(chosen), 'uploaded image not chosen: ' + chosen);
        state.image = chosen;
        await prev.scrollIntoViewIfNeeded();
        await screenshot(p, 'editor-preview');
      }],
      ['author publishes', async () => {
        const p = staff.page;
        await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Publish' }).click()]);
        check((await p.locator('.notice').innerText()).includes('Post published.'), 'no "Post published."');
        state.url = await p.locator('p.permalink a').getAttribute('href');
        check(/^\/\d{4}\/\d\d\/\d\d\/ferries-are-infrastructure-too\/$/.test(state.url), 'permalink: ' + state.url);
        state.postId = (p.url().match(/\/admin\/posts\/(\d+)\//) || [])[1];
        await screenshot(p, 'published');
      }],
      ['reader opens the article', async () => {
        const p = reader.page;
        await p.goto(base + state.url);
        check(await p.locator('h1.entry-title').innerText() === title, 'title');
        const img = p.locator('figure.entry-image img');
        check(await img.getAttribute('src') === state.image, 'featured image');
        check(await img.evaluate((e) => e.complete && e.naturalWidth === 320), 'image did not load');
        check((await p.locator('figcaption').innerText()).includes('evening ferry'), 'caption');
        await screenshot(p, 'reader-article');
      }],
      ['reader comments for the first time and is held', async () => {
        const p = reader.page;
        await p.getByLabel(/^Name/).fill('Rhea Reader');
        await p.getByLabel(/^E-mail/).fill('rhea@example.org');
        await p.getByRole('textbox', { name: 'Comment' }).fill('Level one: ferries deserve timetables people can trust.');
        await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Post Comment' }).click()]);
        const held = p.locator('.comment-pending');
        check((await held.innerText()).includes('awaiting moderation'), 'no "awaiting moderation"');
        check(await held.locator('a[href^="/comment-status/"]').count() === 1, 'no private status link');
        state.statusUrl = await held.locator('a').getAttribute('href');
        await screenshot(p, 'reader-comment-held');
      }],
      ['moderator approves the first-time comment from the queue', async () => {
        const p = staff.page;
        await logout(p);
        await login(p, base, 'mo', 'mo-browser-pw');
        await p.goto(base + '/admin/comments/');
        const row = p.locator('li.queue-row', { hasText: 'Rhea Reader' });
        check((await row.locator('.why-held').innerText()).includes('first-time commenter'), 'why held');
        await screenshot(p, 'moderation-queue');
        await Promise.all([p.waitForNavigation(), row.getByRole('button', { name: 'Approve', exact: true }).click()]);
        check((await p.locator('.notice').innerText()).includes('Comment approved.'), 'no approval notice');
        await screenshot(p, 'moderation-approved');
        const r = reader.page;
        await r.goto(base + state.url);
        const c = r.locator('li.depth-1', { hasText: 'Level one' });
        check(await c.count() === 1, 'approved comment not on the page');
        check(await c.locator('.comment-pending').count() === 0, 'still marked pending');
        await r.goto(base + state.statusUrl);
        check((await r.locator('.status-message').innerText()).includes('approved'), 'status page');
        await r.goto(base + state.url);
        await screenshot(r, 'reader-comment-approved');
      }],
      ['reader replies down to depth 5', async () => {
        const p = reader.page;
        for (let depth = 2; depth <= 5; depth++) {
          const parent = p.locator('li.depth-' + (depth - 1)).last();
          await Promise.all([p.waitForNavigation(), parent.locator('a.comment-reply-link').first().click()]);
          check((await p.locator('#reply-title').innerText()).includes('Leave a Reply to'), 'reply form');
          await p.getByRole('textbox', { name: 'Comment' }).fill('Level ' + depth + ': and the reply goes one deeper.');
          await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Post Comment' }).click()]);
          const mine = p.locator('li.depth-' + depth, { hasText: 'Level ' + depth + ':' });
          check(await mine.count() === 1, 'reply at depth ' + depth + ' not shown');
          check(await mine.locator('.comment-pending').count() === 0, 'a known commenter was held');
        }
        const deepest = p.locator('li.depth-5').last();
        check(await deepest.locator('a.comment-reply-link').count() === 0, 'Reply link below the depth limit');
        await deepest.scrollIntoViewIfNeeded();
        await screenshot(p, 'thread-depth-5');
      }],
      ['author closes comments', async () => {
        const p = staff.page;
        await logout(p);
        await login(p, base, 'ann', 'ann-browser-pw');
        await p.goto(base + '/admin/posts/');
        await Promise.all([p.waitForNavigation(),
          p.getByRole('button', { name: 'Close comments on “' + title + '”' }).click()]);
        check((await p.locator('.notice').innerText()).includes('Comments closed'), 'no notice');
        await screenshot(p, 'comments-closed-admin');
        const r = reader.page;
        await r.goto(base + state.url);
        check((await r.locator('.comments-closed').innerText()) === 'Comments are closed.', 'closed message');
        check(await r.locator('form.comment-form').count() === 0, 'form still there');
        check(await r.locator('li.depth-5').count() === 1, 'the thread went away');
        await r.locator('.comments-closed').scrollIntoViewIfNeeded();
        await screenshot(r, 'comments-closed-article');
      }],
      ['accessibility: front page', async () => axeCheck(reader.page, base + '/', 'front')],
      ['accessibility: article', async () => axeCheck(reader.page, base + state.url, 'article')],
      ['accessibility: article with the comment form', async () => {
        const d = await (await fetch(base + '/api/v1/posts')).json();
        const open = d.posts.find((x) => x.comments_open);
        await axeCheck(reader.page, open.url, 'article-form');
      }],
      ['accessibility: login page', async () => axeCheck(reader.page, base + '/admin/login/', 'login')],
      ['accessibility: editor', async () => axeCheck(staff.page, base + '/admin/posts/' + state.postId + '/', 'editor')],
      ['accessibility: new post editor', async () => axeCheck(staff.page, base + '/admin/posts/new/', 'editor-new')],
      ['accessibility: moderation queue', async () => {
        await axeCheck(staff.page, base + '/admin/comments/?status=approved', 'moderation');
      }],
    ];
    for (const [name, fn] of steps) {
      try {
        await fn();
        ok(name);
      } catch (e) {
        fail(name, e && e.message ? e.message : e);
        try {
          await screenshot(staff.page, 'failed-staff');
          await screenshot(reader.page, 'failed-reader');
        } catch (e2) { /* best effort */ }
      }
    }
  } catch (e) {
    fail('setup', e && e.stack ? e.stack : e);
  } finally {
    for (const c of opened) {
      try { await c.close(); } catch (e) { /* already gone */ }
    }
    if (srv) {
      srv.proc.kill('SIGTERM');
      await new Promise((r) => { srv.proc.on('exit', r); setTimeout(r, 5000); });
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log(passed + ' passed, ' + failed + ' failed');
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log('FAIL run: ' + e);
  console.log(passed + ' passed, ' + (failed + 1) + ' failed');
  process.exit(1);
});
