/*
 * Træningsguiden: the chat on a municipality's web page, and the rendering the staff console shares.
 *
 *   <script src="https://HOST/widget/traeningsguiden.js" data-kommune="0661" defer></script>
 *
 * No framework and no build step. Every text from the user or the assistant is set with
 * textContent; links are real <a> elements made only from http(s) addresses. The conversation
 * lives in sessionStorage (gone when the tab closes) and on the server under a random id, which
 * "Start forfra / slet samtale" deletes.
 */
(function () {
  'use strict';

  var TG = (window.Traeningsguiden = window.Traeningsguiden || {});
  var script = document.currentScript;

  // ---- rendering, shared with the staff console ------------------------------------------------

  // An address with a scheme, or a bare Danish site like holstebro.dk/traening.
  var URL_PATTERN = /(https?:\/\/[^\s<>"]+|\b(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.dk(?:\/[^\s<>"]*)?)/gi;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function srOnly(text) {
    return el('span', { className: 'tg-sr', text: text });
  }

  /** An http(s) URL as a string, or null: nothing else ever becomes a link. */
  function safeUrl(candidate) {
    var raw = /^https?:\/\//i.test(candidate) ? candidate : 'https://' + candidate;
    try {
      var url = new URL(raw);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Append text to a node: plain text nodes, and links for the web addresses in it. */
  function appendText(parent, text) {
    var last = 0;
    String(text).replace(URL_PATTERN, function (match, _group, offset) {
      var trimmed = match.replace(/[.,;:!?)]+$/, '');
      var href = safeUrl(trimmed);
      if (!href) return match;
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(el('a', { href: href, target: '_blank', rel: 'noopener noreferrer' },
        [trimmed, srOnly(' (åbner i et nyt vindue)')]));
      last = offset + trimmed.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function textBlock(tag, className, text) {
    return appendText(el(tag, { className: className }), text);
  }

  function sourced(text, source) {
    var item = textBlock('span', 'tg-item-text', text);
    var wrap = el('span', {}, [item]);
    if (source) wrap.appendChild(el('span', { className: 'tg-source', text: 'Kilde: ' + source }));
    return wrap;
  }

  function list(items, render) {
    return el('ul', { className: 'tg-list' }, items.map(function (item) { return el('li', {}, [render(item)]); }));
  }

  /** The assessment payload as a card: outcome in words, reasons (✔/✘) with sources, caveats, next steps. */
  function assessmentCard(payload, level) {
    level = level || 3;
    var h = 'h' + level;
    var sub = 'h' + Math.min(level + 1, 6);
    var card = el('article', { className: 'tg-card tg-card--' + (payload.outcome || 'ukendt') });
    // Every label comes with the payload (the assistant's one text catalogue); the page adds none.
    var L = payload.labels || {};
    var label = function (key) { return L[key] || ''; };
    card.appendChild(el(h, { className: 'tg-card-title', text: label('assessment') + ': ' + (payload.title || payload.outcome) }));
    if (payload.headline) card.appendChild(textBlock('p', 'tg-card-headline', payload.headline));
    if (payload.municipality && payload.municipality.name) {
      card.appendChild(el('p', { className: 'tg-card-meta', text: label('municipality') + ': ' + payload.municipality.name }));
    }
    if (payload.legal_basis) {
      card.appendChild(el('p', { className: 'tg-card-meta', text: label('legal_basis') + ': ' + payload.legal_basis }));
    }
    var reasons = payload.reasons || [];
    var unanswered = payload.unanswered || [];
    if (reasons.length || unanswered.length) {
      card.appendChild(el(sub, { text: label('reasons') }));
      var ul = el('ul', { className: 'tg-reasons' });
      reasons.forEach(function (reason) {
        var met = reason.met !== false;
        ul.appendChild(el('li', { className: met ? 'tg-met' : 'tg-not-met' }, [
          el('span', { className: 'tg-mark', 'aria-hidden': 'true', text: met ? '✔' : '✘' }),
          srOnly(met ? label('met') : label('not_met')),
          sourced(reason.text, reason.source)
        ]));
      });
      unanswered.forEach(function (item) {
        ul.appendChild(el('li', { className: 'tg-open' }, [
          el('span', { className: 'tg-mark', 'aria-hidden': 'true', text: '?' }),
          srOnly(label('unanswered_item')),
          el('span', { text: item + ' ' + label('unanswered_suffix') })
        ]));
      });
      card.appendChild(ul);
    }
    if ((payload.alternatives || []).length) {
      card.appendChild(el(sub, { text: label('alternatives') }));
      card.appendChild(list(payload.alternatives, function (x) { return textBlock('span', '', x); }));
    }
    if ((payload.caveats || []).length) {
      card.appendChild(el(sub, { text: label('caveats') }));
      card.appendChild(list(payload.caveats, function (x) {  // text, or {text, source} in a stored record
        return typeof x === 'string' ? textBlock('span', '', x) : sourced(x.text, x.source);
      }));
    }
    if ((payload.next_steps || []).length) {
      card.appendChild(el(sub, { text: label('next_steps') }));
      card.appendChild(list(payload.next_steps, function (step) { return sourced(step.text, step.source); }));
    }
    return card;
  }

  /**
   * Rasa's replies as items to show: texts (with buttons), the assessment as a card, a journal
   * note. Texts that a card or a note stands for are left out, so nothing is said twice.
   */
  function replyItems(replies) {
    var covered = {};
    (replies || []).forEach(function (reply) {
      var custom = reply.custom || {};
      if (custom.assessment) (custom.assessment.replaces_texts || []).forEach(function (t) { covered[t] = true; });
      if (typeof custom.journal_note === 'string') {
        covered[custom.journal_note] = true;
        custom.journal_note.split('\n\n').forEach(function (t) { covered[t] = true; });
      }
    });
    var items = [];
    (replies || []).forEach(function (reply) {
      var custom = reply.custom || {};
      if (custom.assessment) items.push({ who: 'bot', kind: 'card', payload: custom.assessment });
      if (typeof custom.journal_note === 'string') items.push({ who: 'bot', kind: 'note', text: custom.journal_note });
      var text = typeof reply.text === 'string' ? reply.text : '';
      var buttons = (reply.buttons || []).filter(function (b) { return b && typeof b.title === 'string'; });
      if ((text && !covered[text]) || buttons.length) {
        items.push({ who: 'bot', kind: 'text', text: covered[text] ? '' : text, buttons: buttons });
      }
    });
    return items;
  }

  TG.render = { el: el, appendText: appendText, safeUrl: safeUrl, assessmentCard: assessmentCard,
    replyItems: replyItems, srOnly: srOnly };

  TG.uuid = function () {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  };

  TG.postJson = function (url, body, credentials) {
    return fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      credentials: credentials || 'omit'
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) {
          var error = new Error((data && data.error) || 'HTTP ' + resp.status);
          error.status = resp.status;
          throw error;
        }
        return data;
      });
    });
  };

  if (!script || script.getAttribute('data-mode') === 'library' || TG.widget) return;

  // ---- the citizen chat widget ---------------------------------------------------------------------

  var STORE_KEY = 'traeningsguiden:samtale';
  var MAX_ITEMS = 300;
  var GREETING = '/greet';
  var base = new URL('.', script.src);               // …/widget/
  var origin = new URL('/', script.src).href.replace(/\/$/, '');
  var kommuneAttr = script.getAttribute('data-kommune') || '';
  var kommune = /^\d{4}$/.test(kommuneAttr) ? kommuneAttr : null;

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || 'null');
      if (saved && typeof saved.sender === 'string' && Array.isArray(saved.items) && saved.kommune === kommune) return saved;
    } catch (e) { /* a broken or blocked store: start afresh */ }
    return { sender: TG.uuid(), kommune: kommune, open: false, items: [] };
  }

  var state = load();

  function save() {
    state.items = state.items.slice(-MAX_ITEMS);
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  var link = el('link', { rel: 'stylesheet', href: new URL('traeningsguiden.css', base).href });
  document.head.appendChild(link);

  var ids = { panel: 'tg-panel', title: 'tg-title', input: 'tg-input', hint: 'tg-hint', disclosure: 'tg-disclosure' };
  var launcher = el('button', { type: 'button', className: 'tg-launcher', 'aria-expanded': 'false', 'aria-controls': ids.panel },
    [el('span', { className: 'tg-launcher-icon', 'aria-hidden': 'true' }), 'Spørg Træningsguiden']);
  var closeButton = el('button', { type: 'button', className: 'tg-close', text: 'Luk chatten' });
  var log = el('div', { className: 'tg-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
    'aria-label': 'Samtale med Træningsguiden', tabindex: '0' });
  var status = el('p', { className: 'tg-status', role: 'status', 'aria-live': 'polite' });
  var input = el('textarea', { id: ids.input, className: 'tg-input', rows: '2', maxlength: '2000',
    autocomplete: 'off', 'aria-describedby': ids.hint });
  var sendButton = el('button', { type: 'submit', className: 'tg-send', text: 'Send' });
  var form = el('form', { className: 'tg-form' }, [
    el('label', { className: 'tg-label', for: ids.input, text: 'Skriv din besked' }),
    el('p', { id: ids.hint, className: 'tg-hint', text: 'Enter sender. Skift+Enter giver ny linje. Skriv ikke dit CPR-nummer.' }),
    el('div', { className: 'tg-form-row' }, [input, sendButton])
  ]);
  var resetButton = el('button', { type: 'button', className: 'tg-reset', text: 'Start forfra / slet samtale' });
  var confirmYes = el('button', { type: 'button', className: 'tg-danger', text: 'Ja, slet samtalen' });
  var confirmNo = el('button', { type: 'button', className: 'tg-secondary', text: 'Nej, behold den' });
  var confirmBox = el('div', { className: 'tg-confirm', role: 'group', 'aria-labelledby': 'tg-confirm-text', hidden: true }, [
    el('p', { id: 'tg-confirm-text', text: 'Vil du slette samtalen? Alt, du har skrevet, og alle svar bliver slettet.' }),
    confirmYes, confirmNo
  ]);
  var panel = el('section', { id: ids.panel, className: 'tg-panel', 'aria-labelledby': ids.title,
    'aria-describedby': ids.disclosure, hidden: true, lang: 'da' }, [
    el('div', { className: 'tg-header' }, [
      el('h2', { id: ids.title, className: 'tg-title', text: 'Træningsguiden' }),
      closeButton,
      el('p', { id: ids.disclosure, className: 'tg-disclosure' }, [
        'Du skriver med en digital assistent, ikke et menneske. Svarene er vejledning, ikke en afgørelse. ',
        el('a', { href: origin + '/privatliv', target: '_blank', rel: 'noopener' },
          ['Privatliv', srOnly(' (åbner i et nyt vindue)')])
      ])
    ]),
    log, status, form,
    el('div', { className: 'tg-footer' }, [resetButton, confirmBox])
  ]);
  var root = el('div', { className: 'tg-root', lang: 'da' }, [launcher, panel]);

  var busy = false;

  function speakerLabel(who) {
    return who === 'user' ? 'Du skrev: ' : 'Træningsguiden: ';
  }

  function itemNode(item, index) {
    var node = el('div', { className: 'tg-msg tg-msg--' + item.who + ' tg-msg--' + item.kind, 'data-index': index });
    if (item.kind === 'card') {
      node.appendChild(srOnly('Træningsguiden: '));
      node.appendChild(assessmentCard(item.payload, 3));
      return node;
    }
    if (item.text) {
      var bubble = el('p', { className: 'tg-bubble' }, [srOnly(speakerLabel(item.who))]);
      node.appendChild(appendText(bubble, item.text));
    }
    if (item.buttons && item.buttons.length) {
      node.appendChild(el('div', { className: 'tg-quick', role: 'group', 'aria-label': 'Svarmuligheder' },
        item.buttons.map(function (button) {
          var b = el('button', { type: 'button', className: 'tg-quick-button', text: button.title });
          b.addEventListener('click', function () { send(button.payload, button.title, true); });
          return b;
        })));
    }
    return node;
  }

  function renderAll() {
    log.textContent = '';
    state.items.forEach(function (item, i) { log.appendChild(itemNode(item, i)); });
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function dropOldButtons() {
    state.items.forEach(function (item) { delete item.buttons; });
    Array.prototype.forEach.call(log.querySelectorAll('.tg-quick'), function (group) { group.remove(); });
  }

  function add(item) {
    state.items.push(item);
    var node = itemNode(item, state.items.length - 1);
    log.appendChild(node);
    return node;
  }

  function send(message, shown, viaButton, doneStatus) {
    if (busy || !message.trim()) return;
    busy = true;
    panel.setAttribute('aria-busy', 'true');
    dropOldButtons();
    if (shown) add({ who: 'user', kind: 'text', text: shown });
    save();
    scrollDown();
    if (viaButton || document.activeElement === document.body) input.focus();
    status.textContent = 'Træningsguiden skriver …';
    var body = { sender: state.sender, message: message };
    if (kommune) body.kommune = kommune;
    TG.postJson(origin + '/api/besked', body).then(function (replies) {
      var firstNew = null;
      var card = null;
      replyItems(replies).forEach(function (item) {
        var node = add(item);
        firstNew = firstNew || node.querySelector('.tg-quick-button');
        card = card || (item.kind === 'card' ? node : null);
      });
      save();
      status.textContent = doneStatus || '';
      // A new assessment is read from its start (and gets the focus after a button answer);
      // anything else from the newest message, with the focus on its first answer button.
      if (card) {
        var title = card.querySelector('.tg-card-title');
        title.setAttribute('tabindex', '-1');
        if (viaButton) title.focus({ preventScroll: true });
        log.scrollTop = card.offsetTop - 8;
      } else {
        scrollDown();
        if (viaButton && firstNew) firstNew.focus();
      }
    }).catch(function () {
      status.textContent = 'Træningsguiden svarer ikke lige nu. Prøv igen om lidt.';
    }).then(function () {
      busy = false;
      panel.removeAttribute('aria-busy');
    });
  }

  function open() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    state.open = true;
    save();
    scrollDown();
    input.focus();
    if (!state.items.length) send(GREETING, null, false);
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    state.open = false;
    save();
    launcher.focus();
  }

  function askReset() {
    confirmBox.hidden = false;
    resetButton.hidden = true;
    confirmYes.focus();
  }

  function cancelReset() {
    confirmBox.hidden = true;
    resetButton.hidden = false;
    resetButton.focus();
  }

  function reset() {
    if (busy) return;
    busy = true;
    status.textContent = 'Sletter samtalen …';
    TG.postJson(origin + '/api/slet', { sender: state.sender }).then(function () {
      state = { sender: TG.uuid(), kommune: kommune, open: true, items: [] };
      save();
      renderAll();
      confirmBox.hidden = true;
      resetButton.hidden = false;
      busy = false;
      input.value = '';
      input.focus();
      send(GREETING, null, false, 'Samtalen er slettet. Du kan starte forfra.');
    }).catch(function () {
      busy = false;
      status.textContent = 'Samtalen kunne ikke slettes. Prøv igen.';
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || busy) return;
    input.value = '';
    send(text, text, false);
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
  launcher.addEventListener('click', open);
  closeButton.addEventListener('click', close);
  resetButton.addEventListener('click', askReset);
  confirmNo.addEventListener('click', cancelReset);
  confirmYes.addEventListener('click', reset);
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (!confirmBox.hidden) cancelReset(); else close();
    }
  });

  function start() {
    renderAll();  // before the log is on the page, so a restored conversation is not read aloud again
    document.body.appendChild(root);
    Array.prototype.forEach.call(document.querySelectorAll('[data-tg-open]'), function (button) {
      button.addEventListener('click', open);
    });
    if (state.open) {
      panel.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute('aria-expanded', 'true');
      scrollDown();
    }
  }

  TG.widget = { open: open, close: close };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
