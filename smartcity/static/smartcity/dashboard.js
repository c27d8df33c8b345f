/* Kent smart-city indicators page: draws /api/smartcity/indicators/ with Chart.js, every minute. */
(function () {
  "use strict";
  const root = document.getElementById("sc-dashboard");
  const K = window.KentCharts;
  const L = K.labels();
  const charts = {};

  function cell(text, href) {
    const td = document.createElement("td");
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function fillTable(tbody, rows) {
    tbody.replaceChildren(...rows.map((cells) => {
      const tr = document.createElement("tr");
      cells.forEach((c) => tr.appendChild(c));
      return tr;
    }));
  }

  function replace(name, make) {
    if (charts[name]) charts[name].destroy();
    charts[name] = make();
  }

  function draw(d) {
    document.getElementById("sc-generated").textContent = "· " + K.fmtDateTime(d.generatedAt);
    const range = [new Date(Date.parse(d.generatedAt) - d.hours * 3600e3).toISOString(), d.generatedAt];
    replace("parking", () => K.timeLine(document.getElementById("sc-parking"),
      d.parking.map((p) => ({label: p.name, data: K.points(p.points)})),
      {max: 1, ticks: {callback: (v) => Math.round(v * 100) + " %"}}, range));
    replace("fill", () => K.bars(document.getElementById("sc-fill"), d.containers.labels, d.containers.counts,
      L.containers, "#2a9d8f"));
    replace("uptime", () => K.timeLine(document.getElementById("sc-uptime"),
      [{label: L.uptime, data: K.points(d.signals.uptime)}],
      {max: 1, ticks: {callback: (v) => Math.round(v * 100) + " %"}}, range));
    document.getElementById("sc-modes").textContent = Object.entries(d.signals.modes)
      .map(([mode, n]) => (L.modes[mode] || mode) + ": " + n).join(" · ");
    const kinds = Object.keys(d.stale.byKind);
    document.getElementById("sc-stale-chart").hidden = kinds.length === 0;
    document.getElementById("sc-stale-none").hidden = kinds.length > 0;
    replace("stale", () => K.bars(document.getElementById("sc-stale"), kinds.map((k) => L.kinds[k] || k),
      kinds.map((k) => d.stale.byKind[k]), L.stale, "#c8553d"));
    const assetUrl = (id) => root.dataset.assetUrl.replace("ASSET", encodeURIComponent(id));
    fillTable(document.getElementById("sc-stale-list"), d.stale.assets.map((s) =>
      [cell(s.name || s.assetId, assetUrl(s.assetId)), cell(K.fmtDateTime(s.observedAt))]));
    fillTable(document.getElementById("sc-alerts"), d.alerts.filter((a) => a.open > 0).map((a) =>
      [cell(a.title), cell(String(a.open))]));
  }

  function load() {
    fetch(root.dataset.url, {credentials: "same-origin"})
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then(draw)
      .catch((e) => console.error("indicators", e));
  }

  load();
  setInterval(load, 60000);
})();
