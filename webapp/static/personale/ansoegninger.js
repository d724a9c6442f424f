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

  function table(rows) {
    var columns = ['reference', 'created_at', 'municipality_name', 'outcome', 'status', 'applicant_role'];
    var head = R.el('tr', {}, columns.map(function (c) { return R.el('th', { scope: 'col', text: LABELS[c] }); }));
    var body = rows.map(function (row) {
      return R.el('tr', {}, columns.map(function (c) {
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
    return R.el('table', {}, [
      R.el('caption', { text: rows.length + ' ansøgninger, nyeste først' }),
      R.el('thead', {}, [head]), R.el('tbody', {}, body)
    ]);
  }

  getJson('/personale/api/ansoegninger').then(function (data) {
    var rows = data.ansoegninger || [];
    ui.list.textContent = '';
    if (!rows.length) { ui.status.textContent = 'Der er ingen ansøgninger endnu.'; return; }
    ui.list.appendChild(table(rows));
    ui.status.textContent = '';
  }).catch(function (error) {
    ui.status.textContent = 'Ansøgningerne kan ikke vises: ' + error.message;
  });
})();
