/* Received applications: a table from the records store, and one record in full. Keys the page
   does not know are shown as they come (a definition list), so the view survives new fields. */
(function () {
  'use strict';
  var R = window.Traeningsguiden.render;
  var $ = function (id) { return document.getElementById(id); };
  var ui = { status: $('status'), list: $('liste'), details: $('detaljer'), title: $('detaljer-titel'), body: $('detaljer-indhold') };

  var ROLES = { citizen: 'Borger', relative: 'Pårørende', staff: 'Personale' };
  var STATUSES = { modtaget: 'Modtaget', 'overført': 'Overført', fejlet: 'Fejlet' };
  var LABELS = {
    reference: 'Reference', created_at: 'Modtaget', municipality_code: 'Kommunekode', municipality_name: 'Kommune',
    outcome: 'Vurdering', status: 'Status', applicant_role: 'Ansøger', contact: 'Kontakt', facts: 'Oplysninger',
    assessment: 'Vurdering (detaljer)', consent: 'Samtykke', status_history: 'Statushistorik',
    name: 'Navn', phone: 'Telefon', email: 'E-mail', at: 'Tidspunkt', reasons: 'Begrundelser', caveats: 'Forbehold',
    text: 'Tekst', source: 'Kilde', met: 'Opfyldt', legal_basis: 'Lovgrundlag', municipality: 'Kommune', code: 'Kode',
    citizen_name: 'Borgerens navn', contact_name: 'Kontaktperson', address: 'Adresse', call_time: 'Ring helst',
    updated_at: 'Opdateret', standard: 'Kvalitetsstandard', file: 'Fil', date: 'Dato', deadlines: 'Frister',
    applicant: 'Ansøger (detaljer)', role: 'Rolle', relation: 'Relation', fuldmagt: 'Fuldmagt', version: 'Version',
    given_at: 'Givet', channel: 'Kanal', deliveries: 'Overførsler', target: 'Modtager', state: 'Tilstand',
    attempts: 'Forsøg', delivered_at: 'Overført', last_error: 'Seneste fejl', note: 'Note', goal: 'Kommunens mål',
    schema: 'Format', track: 'Spor'
  };

  function when(iso) {
    var date = new Date(iso);
    if (!iso || isNaN(date.getTime())) return String(iso || '');
    return date.toLocaleString('da-DK', { dateStyle: 'long', timeStyle: 'short' });
  }

  function shown(key, value, row) {
    if (value === null || value === undefined || value === '') return '–';
    if (value === true) return 'Ja';
    if (value === false) return 'Nej';
    if (key === 'outcome' && row && row.outcome_label) return row.outcome_label;
    if (key === 'applicant_role') return ROLES[value] || String(value);
    if (key === 'status') return STATUSES[value] || String(value);
    if (key === 'created_at' || key === 'at') return when(value);
    return String(value);
  }

  /** Any JSON value as nested definition lists (objects) and lists (arrays), always as text. */
  function describe(value, key) {
    if (Array.isArray(value)) {
      if (!value.length) return document.createTextNode('–');
      return R.el('ul', {}, value.map(function (v) { return R.el('li', {}, [describe(v, key)]); }));
    }
    if (value && typeof value === 'object') {
      var dl = R.el('dl', { className: 'record' });
      Object.keys(value).forEach(function (k) {
        dl.appendChild(R.el('dt', { text: LABELS[k] || k }));
        dl.appendChild(R.el('dd', {}, [describe(value[k], k)]));
      });
      return dl;
    }
    return document.createTextNode(shown(key, value));
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (resp.status === 401) { window.location.assign('/personale/login'); }
        if (!resp.ok) throw new Error(data.error || 'HTTP ' + resp.status);
        return data;
      });
    });
  }

  function showRecord(reference) {
    ui.status.textContent = 'Henter ansøgning ' + reference + ' …';
    getJson('/personale/api/ansoegninger/' + encodeURIComponent(reference)).then(function (record) {
      ui.title.textContent = 'Ansøgning ' + reference;
      ui.body.textContent = '';
      var rest = Object.assign({}, record);
      if (record.assessment && typeof record.assessment === 'object') {
        ui.body.appendChild(R.assessmentCard(record.assessment, 3));  // the assessment reads best as the card
        delete rest.assessment;
      }
      ui.body.appendChild(describe(rest, ''));
      ui.details.hidden = false;
      ui.status.textContent = '';
      ui.title.focus();
    }).catch(function (error) {
      ui.status.textContent = 'Ansøgningen kunne ikke hentes: ' + error.message;
    });
  }

  var COLUMNS = ['reference', 'created_at', 'municipality_name', 'outcome', 'status', 'applicant_role'];

  function tableRows(rows) {
    return rows.map(function (row) {
      return R.el('tr', {}, COLUMNS.map(function (c) {
        if (c === 'reference') {
          var button = R.el('button', { type: 'button', className: 'link-button', text: row.reference,
            'aria-label': 'Vis ansøgning ' + row.reference });
          button.addEventListener('click', function () { showRecord(row.reference); });
          return R.el('th', { scope: 'row' }, [button]);
        }
        var value = c === 'municipality_name' && row.municipality_code
          ? shown(c, row[c], row) + ' (' + row.municipality_code + ')' : shown(c, row[c], row);
        return R.el('td', { text: value });
      }));
    });
  }

  /* The list comes in pages (newest first); »Vis flere« fetches the next one, so every
     application can be reached however many there are. */
  var list = { body: null, caption: null, more: null, shown: 0, next: null };

  function showPage(data) {
    var rows = data.ansoegninger || [];
    if (!list.body) {
      ui.list.textContent = '';
      if (!rows.length) { ui.status.textContent = 'Der er ingen ansøgninger endnu.'; return; }
      var head = R.el('tr', {}, COLUMNS.map(function (c) { return R.el('th', { scope: 'col', text: LABELS[c] }); }));
      list.caption = R.el('caption');
      list.body = R.el('tbody');
      ui.list.appendChild(R.el('table', {}, [list.caption, R.el('thead', {}, [head]), list.body]));
      list.more = R.el('button', { type: 'button', className: 'button-secondary', text: 'Vis flere ansøgninger' });
      list.more.addEventListener('click', function () { load(list.next); });
      ui.list.appendChild(list.more);
    }
    tableRows(rows).forEach(function (tr) { list.body.appendChild(tr); });
    list.shown += rows.length;
    list.next = data.naeste;
    var total = data.i_alt || list.shown;
    list.caption.textContent = (list.shown < total ? 'Viser ' + list.shown + ' af ' + total : total) +
      ' ansøgninger, nyeste først';
    list.more.hidden = !list.next;
    ui.status.textContent = '';
  }

  function load(before) {
    ui.status.textContent = 'Henter ansøgninger …';
    getJson('/personale/api/ansoegninger' + (before ? '?foer=' + encodeURIComponent(before) : ''))
      .then(showPage).catch(function (error) {
        ui.status.textContent = 'Ansøgningerne kan ikke vises: ' + error.message;
      });
  }

  load(null);
})();
