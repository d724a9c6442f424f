// Call-centre staff: the console is behind a login; a whole call script gives the assessment and
// a journal note that the copy button puts on the clipboard; the list of received applications.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, launch, newPage, screenshot, storedEvents, webUrl } from './helpers.mjs';

const USER = process.env.TG_STAFF_USER;
const PASSWORD = process.env.TG_STAFF_PASSWORD;
// The caller's answers, by the start of the terse staff question: a button title, or text to type.
const ANSWERS = [
  ['Borgerens kommune?', { type: 'Holstebro' }],
  ['Indlagt nu?', 'Nej'],
  ['Genoptræningsplan fra sygehus?', 'Nej'],
  ['Alder?', { type: '81' }],
  ['Midlertidigt tab', 'Pludseligt tab (fx efter sygdom eller fald)'],
  ['Potentiale for at genvinde funktion?', 'Ja'],
  ['Kan klare sig med egen træning', 'Nej'],
  ['I sygehusbehandling for samme problem?', 'Nej'],
  ['Vederlagsfri fysioterapi', 'Nej'],
  ['Måneder siden sidste kommunale forløb', 'Aldrig haft et forløb'],
  ['Dækker et andet igangværende træningstilbud', 'Nej'],
  ['Hjemmeboende?', 'Ja'],
  ['Bor på plejecenter', 'Nej'],
  ['Søges alene af økonomiske grunde?', 'Nej'],
  ['Motiveret for at træne?', 'Ja'],
];

let browser;
let page;
before(async () => {
  assert.ok(USER && PASSWORD, 'TG_STAFF_USER and TG_STAFF_PASSWORD are set by the test');
  browser = await launch();
  page = await newPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(webUrl('/')).origin });
});
after(async () => { await browser?.close(); });

async function login(password) {
  await page.goto(webUrl('/personale/'));
  await page.getByLabel('Brugernavn').fill(USER);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForLoadState();
}

test('konsollen kræver login, og en forkert adgangskode afvises', async () => {
  await page.goto(webUrl('/personale/'));
  assert.match(page.url(), /\/personale\/login$/);
  assert.equal(await page.evaluate(async () => (await fetch('/personale/api/ansoegninger')).status), 401);
  await login(`${PASSWORD}x`);
  assert.match(page.url(), /\/personale\/login$/);
  await page.getByText('Forkert brugernavn eller adgangskode.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Opkaldsmanuskript' }).count(), 0);
  assert.deepEqual(await axeViolations(page), []);
});

test('et helt opkald med manuskriptet giver spørgsmål med regel og kilde, vurdering og journalnotat', async () => {
  await login(PASSWORD);
  assert.match(page.url(), /\/personale\/$/);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'tg_personale');
  assert.ok(session && session.httpOnly && session.sameSite === 'Strict', JSON.stringify(cookies));
  assert.equal(await page.evaluate(() => document.cookie.includes('tg_personale')), false);

  await page.getByRole('button', { name: 'Start nyt opkald' }).click();
  const question = page.locator('#naeste .question');
  const journal = page.locator('#journal');
  const asked = [];
  for (let step = 0; step < 16 && !(await journal.isVisible()); step += 1) {
    await question.waitFor();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === '');
    if (await journal.isVisible()) break;
    const text = (await question.innerText()).trim();
    asked.push(text);
    const answer = ANSWERS.find(([start]) => text.startsWith(start));
    assert.ok(answer, `an answer for the staff question ${JSON.stringify(text)}`);
    if (!text.startsWith('Borgerens kommune?')) {
      const why = await page.locator('#naeste .why').innerText();
      assert.match(why, /^Hvorfor: /, `why ${text}`);
      assert.match(why, /Kilde: /, `source for ${text}`);
    }
    const before = await page.locator('#forloeb li').count();
    if (typeof answer[1] === 'string') {
      await page.locator('#svar-knapper').getByRole('button', { name: answer[1], exact: true }).click();
    } else {
      await page.getByLabel('Borgerens svar med egne ord').fill(answer[1].type);
      await page.getByRole('button', { name: 'Send svar' }).click();
    }
    await page.waitForFunction((n) => document.querySelectorAll('#forloeb li').length > n + 1, before);
  }
  assert.ok(await journal.isVisible(), `journal note after: ${asked.join(' | ')}`);
  assert.ok(asked.length >= 4, asked.join(' | '));

  const card = page.locator('#vurdering .tg-card');
  assert.match(await card.innerText(), /Vurdering: Genoptræning \(serviceloven § 86, stk\. 1\)/);
  assert.ok((await card.locator('.tg-met').count()) >= 1);
  const note = await page.locator('#journalnotat').innerText();
  assert.match(note, /^Journalnotat – Træningsguiden/);
  assert.match(note, /Holstebro \(0661\)/);
  assert.match(note, /Alder: 81/);
  assert.deepEqual(page.errors, []);
  await screenshot(page, 'personale-konsol', { fullPage: true });
});

test('journalnotatet kopieres med knappen', async () => {
  await page.evaluate(() => navigator.clipboard.writeText('tom'));
  await page.getByRole('button', { name: 'Kopiér journalnotat' }).click();
  await page.getByText('Journalnotatet er kopieret.').waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await page.locator('#journalnotat').innerText());
  assert.match(copied, /^Journalnotat – Træningsguiden/);
});

test('personalekonsollen med vurdering og journalnotat har 0 WCAG 2.1 AA-fejl i axe-core', async () => {
  assert.deepEqual(await axeViolations(page), []);
});

test('et nyt opkald sletter det forrige opkalds samtale i tracker store', async () => {
  const previous = await page.evaluate(() => JSON.parse(window.sessionStorage.getItem('traeningsguiden:personale') || 'null')?.sender);
  assert.ok(previous, 'the console remembers the current call');
  assert.ok(storedEvents(`personale-${previous}`) > 0);
  await page.getByRole('button', { name: 'Start nyt opkald' }).click();
  await page.locator('#naeste .question').waitFor();
  for (let i = 0; i < 40 && storedEvents(`personale-${previous}`) > 0; i += 1) await page.waitForTimeout(250);
  assert.equal(storedEvents(`personale-${previous}`), 0);
  assert.equal(await page.locator('#journal').isVisible(), false);  // the page starts afresh too
});

test('listen over modtagne ansøgninger viser status, og én ansøgning kan åbnes', async () => {
  const references = (process.env.TG_TEST_REFERENCES || '').split(',').filter(Boolean);
  assert.ok(references.length >= 2, 'the test put applications into the records store');
  await page.getByRole('link', { name: 'Ansøgninger' }).click();
  await page.getByRole('heading', { name: 'Modtagne ansøgninger' }).waitFor();
  const table = page.getByRole('table');
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.innerText));
  assert.deepEqual(rows.map((r) => r.split('\t')[0]), [...references].reverse(), 'newest first');
  assert.match(rows[0], /Holstebro \(0661\)/);
  assert.match(rows[0], /Genoptræning \(serviceloven § 86, stk\. 1\)/);
  assert.match(rows[0], /\t(Modtaget|Overført)\t/);  // the relay may have delivered it already
  assert.match(rows[0], /Borger/);
  await table.getByRole('button', { name: `Vis ansøgning ${references[0]}` }).click();
  const heading = page.getByRole('heading', { name: `Ansøgning ${references[0]}` });
  await heading.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'detaljer-titel', 'focus moves to the record');
  const details = await page.locator('#detaljer').innerText();
  assert.match(details, /Borgerens navn\s+Inge Hansen/);
  assert.match(details, /Statushistorik/);
  assert.match(details, /Vurdering: Genoptræning/);
  await screenshot(page, 'personale-ansoegninger', { fullPage: true });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.errors, []);
});

test('siden med ubesvarede spørgsmål vises pr. kommune og har 0 WCAG 2.1 AA-fejl i axe-core', async () => {
  await page.getByRole('link', { name: 'Ubesvarede spørgsmål' }).click();
  await page.getByRole('heading', { name: 'Ubesvarede spørgsmål', level: 1 }).waitFor();
  await page.waitForFunction(() => !/Henter/.test(document.getElementById('status').textContent));
  const shown = await page.locator('main').innerText();
  assert.ok(/Der er ingen ubesvarede spørgsmål\./.test(shown) || /gange, nyeste først/.test(shown), shown);
  assert.doesNotMatch(shown, /\d{6}-?\d{4}/, 'no CPR number');
  await screenshot(page, 'personale-spoergsmaal', { fullPage: true });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.errors, []);
});

test('efter log ud svarer personalets API 401 igen', async () => {
  await page.getByRole('button', { name: /Log ud/ }).click();
  await page.waitForURL(/\/personale\/login$/);
  assert.equal(await page.evaluate(async () => (await fetch('/personale/api/ansoegninger')).status), 401);
});
