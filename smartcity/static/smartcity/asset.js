/* Kent smart-city asset page: the last day of readings, one chart per charted attribute
   (numbers as lines; enumerations such as a signal's mode as steps between their values). */
(function () {
  "use strict";
  const box = document.getElementById("sc-asset-charts");
  const K = window.KentCharts;
  const attrs = JSON.parse(document.getElementById("sc-attrs").textContent);

  function chartFor(attr, observations, range) {
    const pairs = observations.filter((o) => o[attr.name] !== undefined && o[attr.name] !== null)
      .map((o) => [o.dateObserved, attr.enum ? attr.enum.indexOf(o[attr.name]) : o[attr.name]]);
    if (!pairs.length) return false;
    const figure = document.createElement("figure");
    const caption = document.createElement("figcaption");
    caption.textContent = attr.name;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", attr.name);
    figure.append(caption, canvas);
    box.appendChild(figure);
    const y = attr.enum ? {min: 0, max: attr.enum.length - 1, ticks: {stepSize: 1, callback: (v) => attr.enum[v]}} : {};
    K.timeLine(canvas, [{label: attr.name, data: K.points(pairs), stepped: Boolean(attr.enum)}], y, range);
    return true;
  }

  fetch(box.dataset.url, {credentials: "same-origin"})
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((d) => {
      const drawn = attrs.map((a) => chartFor(a, d.observations, [d.from, d.to])).some(Boolean);
      document.getElementById("sc-asset-empty").hidden = drawn;
    })
    .catch((e) => console.error("history", e));
})();
