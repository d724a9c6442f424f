// A citizen on the municipality's page: a whole conversation by clicking and typing, the
// assessment card, a reload that keeps the conversation, and "slet samtale" that deletes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { axeViolations, launch, newPage, screenshot, storedEvents, webUrl } from './helpers.mjs';

const SITUATION = 'min mand har parkinson og bliver langsomt dårligere. han er 74';
let browser;
let page;

before(async () => {
  browser = await launch();
  page = await newPage(browser);
});
after(async () => { await browser?.close(); });

const panel = () => page.locator('#tg-panel');
const log = () => page.locator('.tg-log');
const sender = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('traeningsguiden:samtale')).sender);

async function waitIdle() {
  await page.waitForFunction(() => !document.querySelector('#tg-panel')?.hasAttribute('aria-busy'));
}

async function write(text) {
  await page.getByLabel('Skriv din besked').fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await waitIdle();
}

test('siden er på dansk, fortæller at det er en digital assistent og har et link om privatliv', async () => {
  await page.goto(webUrl('/'));
  assert.equal(await page.getAttribute('html', 'lang'), 'da');
  await page.getByRole('button', { name: 'Spørg Træningsguiden' }).first().click();
  await assert.doesNotReject(panel().getByText('Du skriver med en digital assistent').waitFor());
  const privacy = panel().getByRole('link', { name: /Privatliv/ });
  assert.match(await privacy.getAttribute('href'), /\/privatliv$/);
  await log().getByText('Hvad vil du gerne vide?').waitFor();
  // The page's kommunekode reached the bot: it names the municipality and does not ask for it.
  const greeting = await log().innerText();
  assert.match(greeting, /Du er på Holstebro Kommunes side/);
  assert.doesNotMatch(greeting, /Hvor bor du/);
  assert.equal(await log().getAttribute('role'), 'log');
  assert.equal(await log().getAttribute('aria-live'), 'polite');
});

test('en hel samtale med klik og tekst ender med vurderingen som et tydeligt kort', async () => {
  await page.getByRole('button', { name: 'Kan jeg få træning?' }).click();
  await waitIdle();
  await write(SITUATION);
  for (let turn = 0; turn < 8 && !(await page.locator('.tg-card').count()); turn += 1) {
    await log().getByRole('button', { name: 'Nej', exact: true }).click();
    await waitIdle();
  }
  const card = page.locator('.tg-card');
  await card.waitFor();
  assert.match(await card.getByRole('heading', { level: 3 }).innerText(), /Vurdering: Vedligeholdende træning \(serviceloven § 86, stk\. 2\)/);
  const text = await card.innerText();
  assert.match(text, /Det ser ud til, at din mand kan få vedligeholdende træning/);
  assert.match(text, /Opfyldt:|✔/);
  assert.ok((await card.locator('.tg-met').count()) >= 1, 'reasons marked as met');
  assert.match(text, /Kilde: Serviceloven/);
  assert.match(text, /Sådan kommer du videre/);
  assert.match(text, /mandag den 7\. december 2026/);
  assert.match(text, /vejledning, ikke en afgørelse/);
  // A web address in the standard became a real link to an https URL.
  const links = await card.locator('a').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.some((href) => href.startsWith('https://holstebro.dk/')), links.join(' '));
  // The new assessment is shown from its start, and only the log scrolls (header and field stay).
  const [cardBox, logBox] = [await card.boundingBox(), await log().boundingBox()];
  assert.ok(cardBox.y >= logBox.y && cardBox.y < logBox.y + 40, `card top ${cardBox.y}, log top ${logBox.y}`);
  assert.equal(await panel().evaluate((p) => p.scrollTop), 0, 'the panel itself is not scrolled');
  // The card replaces the same text as bubbles: it is not said twice.
  assert.equal(await log().locator('.tg-bubble', { hasText: 'Derfor:' }).count(), 0);
  assert.deepEqual(page.errors, []);
  await screenshot(page, 'borger-vurdering');
  await screenshot(page, 'borger-side-hel', { fullPage: true });
});

test('chatsiden med vurderingskortet har 0 WCAG 2.1 AA-fejl i axe-core', async () => {
  assert.deepEqual(await axeViolations(page), []);
});

test('samtalen overlever en genindlæsning af siden og fortsætter hos serveren', async () => {
  const before = { sender: await sender(), messages: await log().locator('.tg-msg').count() };
  await page.reload();
  await page.locator('.tg-card').waitFor();
  assert.equal(await sender(), before.sender);
  assert.equal(await log().locator('.tg-msg').count(), before.messages);
  assert.equal(await panel().isVisible(), true);
  await log().getByRole('button', { name: 'Læs mere' }).click();
  await waitIdle();
  const last = await log().locator('.tg-msg--bot').last().innerText();
  assert.match(last, /Sådan kommer du videre/);  // the server still knows the conversation and its facts
  assert.doesNotMatch(last, /Hvor bor/);
});

test('brugerens tekst vises altid som tekst og aldrig som HTML', async () => {
  const attacks = ['<img src=x onerror="window.__xss=1">', '<script>window.__xss=2</script><b>fed</b>'];
  for (const attack of attacks) await write(attack);
  const bubbles = await log().locator('.tg-msg--user .tg-bubble').evaluateAll((ps) => ps.map((p) => p.textContent));
  for (const attack of attacks) assert.ok(bubbles.some((b) => b.endsWith(attack)), `shown as text: ${attack}`);
  assert.equal(await log().locator('img, script, b').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // Also after a reload, when the transcript is drawn again from sessionStorage.
  await page.reload();
  await page.locator('.tg-card').waitFor();
  assert.equal(await log().locator('img, script, b').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});

test('»Start forfra / slet samtale« sletter samtalen i browseren og i databasen', async () => {
  const old = await sender();
  assert.ok(storedEvents(old) > 0, 'the conversation is stored before it is deleted');
  await panel().getByRole('button', { name: 'Start forfra / slet samtale' }).click();
  await panel().getByRole('button', { name: 'Ja, slet samtalen' }).click();
  await panel().getByText('Samtalen er slettet').waitFor();
  await waitIdle();
  assert.equal(storedEvents(old), 0, 'no event of the deleted conversation is left in the tracker store');
  const fresh = await sender();
  assert.notEqual(fresh, old);
  assert.equal(await page.locator('.tg-card').count(), 0);
  await page.reload();
  await log().getByText('Hvad vil du gerne vide?').waitFor();
  assert.equal(await page.locator('.tg-card').count(), 0);
  assert.doesNotMatch(await log().innerText(), /parkinson|<img/);
  assert.deepEqual(page.errors, []);
});
