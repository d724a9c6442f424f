/* The staff console: the call script one question at a time, why it is asked, quick answers,
   the assessment and the journal note with a copy button. Rendering comes from traeningsguiden.js. */
(function () {
  'use strict';
  var TG = window.Traeningsguiden;
  var R = TG.render;
  var STORE_KEY = 'traeningsguiden:personale';
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    start: $('nyt-opkald'), status: $('status'), next: $('naeste-indhold'), buttons: $('svar-knapper'),
    form: $('svar-form'), answer: $('svar'), assessment: $('vurdering'), card: $('vurdering-kort'),
    journal: $('journal'), note: $('journalnotat'), copy: $('kopier'), copyStatus: $('kopier-status'),
    transcript: $('forloeb'), assessmentTitle: $('vurdering-titel')
  };
  ui.assessmentTitle.setAttribute('tabindex', '-1');
  var busy = false;

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || 'null');
      if (saved && typeof saved.sender === 'string' && Array.isArray(saved.items)) return saved;
    } catch (e) { /* start afresh */ }
    return null;
  }
  var state = load();

  function save() {
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  /** "Indlagt nu?\nHvorfor: … (Kilde: …)" → the question, and why it is asked with its source. */
  function splitQuestion(text) {
    var lines = String(text || '').split('\n');
    var at = lines.findIndex(function (line) { return line.indexOf('Hvorfor:') === 0; });
    if (at < 0) return { question: text, why: '', source: '' };
    var why = lines.slice(at).join(' ');
    var match = why.match(/^(.*?)\s*\(Kilde: (.*)\)\s*$/);
    return { question: lines.slice(0, at).join('\n'), why: match ? match[1] : why, source: match ? match[2] : '' };
  }

  function transcriptEntry(item) {
    var li = R.el('li', {});
    if (item.who === 'user') {
      li.appendChild(R.el('span', { className: 'who', text: 'Svar: ' }));
      li.appendChild(document.createTextNode(item.text));
    } else if (item.kind === 'card') {
      li.appendChild(R.el('span', { className: 'who', text: 'Guiden: ' }));
      li.appendChild(document.createTextNode('Vurdering givet (se Vurdering).'));
    } else if (item.kind === 'note') {
      li.appendChild(R.el('span', { className: 'who', text: 'Guiden: ' }));
      li.appendChild(document.createTextNode('Journalnotat klar (se Journalnotat).'));
    } else if (item.text) {
      li.appendChild(R.el('span', { className: 'who', text: 'Guiden: ' }));
      R.appendText(li, item.text);
    } else {
      return null;
    }
    return li;
  }

  function showNext(items) {
    var texts = items.filter(function (item) { return item.who === 'bot' && item.kind === 'text'; });
    var last = texts[texts.length - 1];
    ui.next.textContent = '';
    ui.buttons.textContent = '';
    if (!last) return null;
    var parts = splitQuestion(last.text);
    ui.next.appendChild(R.appendText(R.el('p', { className: 'question' }), parts.question));
    if (parts.why) {
      var why = R.el('p', { className: 'why' });
      R.appendText(why, parts.why);
      if (parts.source) why.appendChild(R.el('span', { className: 'tg-source', text: 'Kilde: ' + parts.source }));
      ui.next.appendChild(why);
    }
    var first = null;
    (last.buttons || []).forEach(function (button) {
      var b = R.el('button', { type: 'button', text: button.title });
      b.addEventListener('click', function () { send(button.payload, button.title, true); });
      ui.buttons.appendChild(b);
      first = first || b;
    });
    return first;
  }

  function showResults(items) {
    items.forEach(function (item) {
      if (item.kind === 'card') {
        ui.card.textContent = '';
        ui.card.appendChild(R.assessmentCard(item.payload, 3));
        ui.assessment.hidden = false;
      } else if (item.kind === 'note') {
        ui.note.textContent = item.text;
        ui.journal.hidden = false;
      }
    });
  }

  function renderAll() {
    ui.transcript.textContent = '';
    ui.card.textContent = '';
    ui.note.textContent = '';
    ui.assessment.hidden = true;
    ui.journal.hidden = true;
    ui.copyStatus.textContent = '';
    if (!state) return;
    state.items.forEach(function (item) {
      var li = transcriptEntry(item);
      if (li) ui.transcript.appendChild(li);
    });
    showResults(state.items);
    showNext(state.last || []);
  }

  function send(message, shown, viaButton) {
    if (busy || !state || !message.trim()) return;
    busy = true;
    ui.buttons.textContent = '';
    if (shown) {
      var mine = { who: 'user', kind: 'text', text: shown };
      state.items.push(mine);
      ui.transcript.appendChild(transcriptEntry(mine));
    }
    if (viaButton) ui.answer.focus();
    ui.status.textContent = 'Henter næste skridt …';
    TG.postJson('/personale/api/besked', { sender: state.sender, message: message }, 'same-origin').then(function (replies) {
      var items = R.replyItems(replies);
      state.items = state.items.concat(items);
      state.last = items;
      save();
      items.forEach(function (item) {
        var li = transcriptEntry(item);
        if (li) ui.transcript.appendChild(li);
      });
      ui.transcript.scrollTop = ui.transcript.scrollHeight;
      var firstButton = showNext(items);
      showResults(items);
      ui.status.textContent = '';
      if (items.some(function (item) { return item.kind === 'card'; })) ui.assessmentTitle.focus();
      else if (viaButton && firstButton) firstButton.focus();
    }).catch(function (error) {
      if (error.status === 401) { window.location.assign('/personale/login'); return; }
      ui.status.textContent = 'Træningsguiden svarer ikke lige nu. Prøv igen om lidt.';
    }).then(function () { busy = false; });
  }

  function startCall() {
    // The previous call is deleted from the tracker store: the journal note is the record of it.
    var previous = state && state.sender;
    if (previous) TG.postJson('/personale/api/slet', { sender: previous }, 'same-origin').catch(function () {});
    state = { sender: TG.uuid(), items: [], last: [] };
    save();
    renderAll();
    ui.answer.value = '';
    ui.answer.focus();
    send('/greet', null, false);
  }

  ui.start.addEventListener('click', startCall);
  ui.form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = ui.answer.value;
    if (!text.trim() || busy) return;
    if (!state) { ui.status.textContent = 'Tryk først på »Start nyt opkald«.'; return; }
    ui.answer.value = '';
    send(text, text, false);
  });
  ui.copy.addEventListener('click', function () {
    var note = ui.note.textContent;
    var done = function () { ui.copyStatus.textContent = 'Journalnotatet er kopieret.'; };
    var manual = function () {
      var range = document.createRange();
      range.selectNodeContents(ui.note);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      ui.copyStatus.textContent = 'Notatet er markeret. Kopiér med Ctrl+C.';
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(note).then(done, manual);
    else manual();
  });

  renderAll();
})();
