/* Kent's OpenAPI page: lists the document's operations itself (no outside viewer, no CDN). */
(function () {
  'use strict';
  var box = document.getElementById('ogc-openapi');
  fetch(box.dataset.src, { headers: { Accept: 'application/json' } })
    .then(function (r) { return r.json(); })
    .then(function (doc) {
      box.textContent = '';
      var info = document.createElement('p');
      info.textContent = (doc.info && doc.info.title ? doc.info.title + ' · ' : '') + 'OpenAPI ' + doc.openapi;
      box.appendChild(info);
      Object.keys(doc.paths || {}).forEach(function (path) {
        Object.keys(doc.paths[path]).forEach(function (method) {
          var op = doc.paths[path][method];
          var div = document.createElement('div');
          div.className = 'ogc-op';
          var m = document.createElement('code');
          m.className = 'ogc-method';
          m.textContent = method.toUpperCase();
          var p = document.createElement('code');
          p.textContent = path;
          var s = document.createElement('span');
          s.textContent = ' ' + (op.summary || '');
          div.appendChild(m); div.appendChild(p); div.appendChild(s);
          box.appendChild(div);
        });
      });
    })
    .catch(function (e) { box.textContent = String(e); });
}());
