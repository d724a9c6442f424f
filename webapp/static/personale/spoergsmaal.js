/* Questions the assistant could not answer: one table per municipality the staff member may see,
   newest first, each question once with how often it was asked. Everything is shown as text. */
(function () {
  'use strict';
  var R = window.Traeningsguiden.render;
  var status = document.getElementById('status');
  var list = document.getElementById('kommuner');

  function day(iso) {
    var date = new Date(iso + 'T12:00:00');
    if (!iso || isNaN(date.getTime())) return String(iso || '');
    return date.toLocaleDateString('da-DK', { dateStyle: 'long' });
  }

  function section(group) {
    var title = group.navn + (group.kode ? ' (' + group.kode + ')' : '');
    var id = 'kommune-' + (group.kode || 'ingen');
    var head = R.el('tr', {}, ['Spørgsmål', 'Antal gange', 'Senest stillet', 'Først stillet'].map(function (t) {
      return R.el('th', { scope: 'col', text: t });
    }));
    var body = R.el('tbody', {}, group.spoergsmaal.map(function (q) {
      return R.el('tr', {}, [
        R.el('td', { text: q.spoergsmaal }), R.el('td', { text: String(q.antal) }),
        R.el('td', { text: day(q.senest) }), R.el('td', { text: day(q.foerst) })
      ]);
    }));
    var caption = R.el('caption', { text: group.spoergsmaal.length + ' forskellige spørgsmål, stillet ' +
      group.i_alt + ' gange, nyeste først' });
    return R.el('section', { className: 'panel', 'aria-labelledby': id }, [
      R.el('h2', { id: id, text: title }),
      R.el('div', { className: 'table-wrap' }, [R.el('table', {}, [caption, R.el('thead', {}, [head]), body])])
    ]);
  }

  fetch('/personale/api/spoergsmaal', { credentials: 'same-origin' }).then(function (resp) {
    if (resp.status === 401) { window.location.assign('/personale/login'); }
    return resp.json().catch(function () { return {}; }).then(function (data) {
      if (!resp.ok) throw new Error(data.error || 'HTTP ' + resp.status);
      return data;
    });
  }).then(function (data) {
    var groups = data.kommuner || [];
    list.textContent = '';
    groups.forEach(function (g) { list.appendChild(section(g)); });
    status.textContent = groups.length ? '' : 'Der er ingen ubesvarede spørgsmål.';
  }).catch(function (error) {
    status.textContent = 'Spørgsmålene kan ikke vises: ' + error.message;
  });
})();
