/* Reviewing a numbering plan (numarataj/register/plan_detail.html): on Kent's base map (KentMap),
   each door with its current and proposed number, the two sides in two colours (left odd, right
   even), changed doors ringed, each street's start with its reason, the area drawn for the plan
   and the buildings with no street within 60 m; the table below sorts by any column. Approving,
   rejecting, the documents' one click and units for a door without any post to the plan's API. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("plan-config").textContent);
  const msg = cfg.messages;
  const SIDE = { sol: "#1565c0", sag: "#8e24aa", "": "#5f6b76" };
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1]
    || (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  const base = KentMap.create("plan-map", cfg.map);
  const map = base.map;

  function doorLabel(p) {
    return (p.eski && p.eski !== p.no) ? `${p.eski} → ${p.no}` : (p.no || "—");
  }

  fetch(cfg.geojson, { credentials: "same-origin" }).then((r) => r.json()).then((fc) => {
    const doors = fc.features.filter((f) => f.properties.kind === "kapi");
    const many = doors.length > 400;   // labels on demand past that: a district would be unreadable
    const layer = L.geoJSON(fc, {
      style: (f) => ({
        alan: { color: "#1a6b2a", weight: 2, dashArray: "6 4", fill: false },
        yapi: { color: "#8a939c", weight: 1, fillColor: "#d5dae0", fillOpacity: 0.8 },
        sokaksiz: { color: "#b3261e", weight: 2, fillColor: "#f4b6b0", fillOpacity: 0.8 },
        csbm: { color: "#1f4e79", weight: 4, opacity: 0.6 },
      }[f.properties.kind] || {}),
      pointToLayer: (f, latlng) => {
        const p = f.properties;
        if (p.kind === "baslangic") {
          return L.circleMarker(latlng, { radius: 10, weight: 3, color: "#1a6b2a", fill: false, className: "plan-start" });
        }
        if (p.kind === "komsu") {   // an infill plan's numbered neighbours: context, not proposals
          return L.circleMarker(latlng, { radius: 5, weight: 1, color: "#ffffff", fillColor: SIDE[p.taraf || ""] || SIDE[""],
                                          fillOpacity: 0.5, className: "plan-neighbour" });
        }
        return L.circleMarker(latlng, {
          radius: p.degisiyor ? 8 : 6, weight: p.degisiyor ? 3 : 1,
          color: p.degisiyor ? "#f08c00" : "#ffffff", fillColor: SIDE[p.taraf || ""] || SIDE[""], fillOpacity: 0.95,
          className: "plan-door" + (p.degisiyor ? " degisiyor" : ""),
        });
      },
      onEachFeature: (f, lyr) => {
        const p = f.properties;
        if (p.kind === "yapi" || p.kind === "alan") return;
        if (p.kind === "csbm") { lyr.bindTooltip(p.ad, { sticky: true }); return; }
        if (p.kind === "sokaksiz") { lyr.bindTooltip(`${p.ad}: ${msg.nostreet}`, { sticky: true }); return; }
        if (p.kind === "baslangic") {
          lyr.bindTooltip(`${p.ad}: ${msg.start} (${p.neden})`, { permanent: !many, direction: "bottom" });
          return;
        }
        if (p.kind === "komsu") {
          lyr.bindTooltip(p.no, { permanent: !many, direction: "top", className: "kapi-no komsu" });
          return;
        }
        const text = doorLabel(p);
        lyr.bindTooltip(text, {
          permanent: !many, direction: "top", className: "kapi-no" + (p.degisiyor ? " degisiyor" : ""),
        });
        const side = p.taraf === "sol" ? msg.left : p.taraf === "sag" ? msg.right : "";
        const popup = document.createElement("div");
        popup.append(Object.assign(document.createElement("strong"), { textContent: p.csbm }),
                     document.createElement("br"), `${text} ${side} ${p.not || ""}`);
        lyr.bindPopup(popup);
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 19 });
    document.getElementById("plan-map").dataset.ready = String(doors.length);
  });

  // ---- the table: click a heading to sort, again to reverse ----------------------------------
  const doorKey = (text) => {
    const m = /^(\d+)\s*([A-ZÇĞİÖŞÜ]?)/i.exec(text.trim());
    return m ? [Number(m[1]), m[2].toUpperCase()] : [Infinity, text];
  };
  const compare = (type) => (a, b) => {
    if (type === "number") return Number(a) - Number(b);
    if (type === "door") {
      const [x, y] = [doorKey(a), doorKey(b)];
      return x[0] - y[0] || String(x[1]).localeCompare(String(y[1]), "tr");
    }
    return a.localeCompare(b, "tr");
  };
  document.querySelectorAll("table.sortable").forEach((table) => {
    const heads = Array.from(table.tHead.rows[0].cells);
    heads.forEach((th, col) => th.addEventListener("click", () => {
      const asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      const body = table.tBodies[0];
      const cmp = compare(th.dataset.type);
      const rows = Array.from(body.rows);
      rows.sort((r1, r2) => cmp(r1.cells[col].textContent.trim(), r2.cells[col].textContent.trim()) * (asc ? 1 : -1));
      rows.forEach((r) => body.appendChild(r));
    }));
  });

  // ---- decisions and documents -----------------------------------------------------------------
  const message = document.getElementById("plan-message");
  function post(url, body, btn) {
    if (btn) btn.disabled = true;
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" }, body: JSON.stringify(body),
    }).then((r) => r.json().then((data) => ({ ok: r.ok, data })))
      .then(({ ok, data }) => {
        if (ok) { window.location.reload(); return; }
        message.textContent = data.description || msg.failed;
        if (btn) btn.disabled = false;
      })
      .catch(() => { message.textContent = msg.failed; if (btn) btn.disabled = false; });
  }
  document.querySelectorAll("button[data-action]").forEach((btn) => btn.addEventListener("click", () => {
    const comment = document.getElementById("plan-comment");
    post(btn.dataset.action, { aciklama: comment ? comment.value : "" }, btn);
  }));
  const docs = document.getElementById("plan-documents");
  if (docs) docs.addEventListener("click", () => post(cfg.documents, {}, docs));
  document.querySelectorAll("button[data-add-units]").forEach((btn) => btn.addEventListener("click", () => {
    const count = document.querySelector(`input[data-units-for="${btn.dataset.addUnits}"]`).value;
    post(cfg.units, { adres: btn.dataset.addUnits, adet: count }, btn);
  }));
})();
