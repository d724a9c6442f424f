// Keyboard only, and the page zoomed: a citizen who never touches a mouse, and one who zooms to
// 200 % (a 1280 px window at 200 % is 640 CSS px wide) or 400 % (320 CSS px).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot, webUrl } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const style = el ? getComputedStyle(el) : null;
    return {
      name: el ? (el.getAttribute('aria-label') || el.textContent || el.id || el.tagName).trim() : '',
      id: el?.id || '',
      outline: style ? style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 : false,
    };
  });
}

async function waitIdle(page) {
  await page.waitForFunction(() => !document.querySelector('#tg-panel')?.hasAttribute('aria-busy'));
}

test('hele borgerforløbet kan klares med tastaturet alene, i en logisk rækkefølge og med synligt fokus', async () => {
  const page = await newPage(browser);
  await page.goto(webUrl('/'));
  const order = [];
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    assert.ok(now.outline, `visible focus on ${now.name}`);
    order.push(now.name);
    if (now.name === 'Spørg Træningsguiden') break;
  }
  assert.deepEqual(order, ['Gå til indholdet', 'Sundhed og træning', 'Privatliv', 'Spørg Træningsguiden']);

  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'tg-input', 'opening the chat puts the cursor in the message field');
  await page.locator('.tg-log').getByText('Hvad vil du gerne vide?').waitFor();
  await waitIdle(page);
  await page.keyboard.type('min mand har parkinson og bliver langsomt dårligere. han er 74');
  await page.keyboard.press('Enter');
  await waitIdle(page);

  // From the message field, Shift+Tab reaches the answer buttons of the last question.
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).name, 'Ved ikke');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).name, 'Nej');
  await page.keyboard.press('Space');
  for (let turn = 0; turn < 8 && !(await page.locator('.tg-card').count()); turn += 1) {
    await waitIdle(page);
    if (await page.locator('.tg-card').count()) break;
    // After an answer by button, the focus is on the first answer of the next question.
    assert.equal((await focused(page)).name, 'Ja');
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'Nej');
    await page.keyboard.press('Enter');
  }
  await page.locator('.tg-card').waitFor();
  assert.match(await page.locator('.tg-card').innerText(), /Vedligeholdende træning/);
  assert.equal(await page.locator('#tg-panel').evaluate((p) => p.scrollTop), 0, 'focus moves do not scroll the header away');
  assert.match((await focused(page)).name, /^Vurdering: /, 'after the last answer the focus is on the assessment');
  await screenshot(page, 'borger-tastatur');

  // Reset asks first; Escape cancels and puts the focus back.
  await page.getByLabel('Skriv din besked').focus();
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'Send');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).name, 'Start forfra / slet samtale');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).name, 'Ja, slet samtalen');
  await page.keyboard.press('Escape');
  assert.equal((await focused(page)).name, 'Start forfra / slet samtale');
  assert.equal(await page.locator('.tg-card').count(), 1, 'nothing deleted');

  // Escape closes the chat and the focus returns to the button that opens it.
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#tg-panel').isVisible(), false);
  assert.equal((await focused(page)).name, 'Spørg Træningsguiden');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const [zoom, width, height] of [[200, 640, 360], [400, 320, 512]]) {
  test(`siden og chatten kan bruges ved ${zoom} % zoom uden vandret rulning`, async () => {
    const page = await newPage(browser, { viewport: { width, height } });
    await page.goto(webUrl('/'));
    const wide = () => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(await wide(), false, 'the page reflows');
    await page.getByRole('button', { name: 'Spørg Træningsguiden' }).first().click();
    await page.locator('.tg-log').getByText('Hvad vil du gerne vide?').waitFor();
    const box = await page.locator('#tg-panel').boundingBox();
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 1 && box.y + box.height <= height + 1,
      `the chat fits the window: ${JSON.stringify(box)}`);
    assert.equal(await wide(), false, 'the chat reflows');
    await page.getByLabel('Skriv din besked').fill('hvad koster kørsel?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('.tg-log').getByText('57 kr.').first().waitFor();
    await page.getByRole('button', { name: 'Start forfra / slet samtale' }).scrollIntoViewIfNeeded();
    assert.equal(await page.getByRole('button', { name: 'Start forfra / slet samtale' }).isVisible(), true);
    await screenshot(page, `borger-zoom-${zoom}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
