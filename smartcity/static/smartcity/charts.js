/* Kent smart-city: the few Chart.js helpers the dashboard and the asset page share. */
(function () {
  "use strict";
  const PALETTE = ["#1f4e79", "#c8553d", "#2a9d8f", "#e9c46a", "#6a4c93", "#8ab17d", "#f28482",
                   "#264653", "#f4a261", "#457b9d", "#b5838d", "#588157"];
  const lang = document.documentElement.lang || "tr";
  const timeFmt = new Intl.DateTimeFormat(lang, {hour: "2-digit", minute: "2-digit"});
  const dateTimeFmt = new Intl.DateTimeFormat(lang, {dateStyle: "short", timeStyle: "short"});

  function labels() {
    const el = document.getElementById("sc-labels");
    return el ? JSON.parse(el.textContent) : {};
  }

  function points(pairs) {
    return pairs.map(([t, v]) => ({x: Date.parse(t), y: v}));
  }

  /* A line chart over time: x is epoch milliseconds, ticks shown as local HH:MM; `range` is the
     [from, to] the data was asked for, so the axis shows the window even when data is sparse. */
  function timeLine(canvas, datasets, yOptions, range) {
    const x = {type: "linear", ticks: {callback: (v) => timeFmt.format(new Date(v)), maxTicksLimit: 12}};
    if (range) Object.assign(x, {min: Date.parse(range[0]), max: Date.parse(range[1])});
    return new Chart(canvas, {
      type: "line",
      data: {datasets: datasets.map((d, i) => Object.assign(
        {borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length],
         pointRadius: 1.5, borderWidth: 2, tension: 0.2}, d))},
      options: {
        animation: false, parsing: false, normalized: true,
        interaction: {mode: "nearest", intersect: false},
        scales: {x: x, y: Object.assign({beginAtZero: true}, yOptions || {})},
        plugins: {tooltip: {callbacks: {title: (items) => dateTimeFmt.format(new Date(items[0].parsed.x))}},
                  legend: {position: "bottom"}},
      },
    });
  }

  function bars(canvas, labelsList, values, label, color) {
    return new Chart(canvas, {
      type: "bar",
      data: {labels: labelsList, datasets: [{label: label, data: values, backgroundColor: color || PALETTE[0]}]},
      options: {animation: false, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}},
    });
  }

  function fmtDateTime(iso) {
    return iso ? dateTimeFmt.format(new Date(iso)) : "—";
  }

  window.KentCharts = {PALETTE, labels, points, timeLine, bars, fmtDateTime};
})();
