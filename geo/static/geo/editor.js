/* Kent map editor, part 3 of 3 (after editor-core.js and editor-form.js). Draws the picked layer
   from Kent's API for the current view and edits it with Leaflet-Geoman. Every save goes through
   the JSON API with the version the form was opened at (optimistic locking), and the API's own
   (Turkish-first) messages are shown as they come. Nothing is loaded from outside: the tiles are
   Kent's own (map-base.js), no fonts or scripts beyond Kent's static files. */
(function () {
  "use strict";

  const { cfg, T, el, fmt, make, featureOf, api, say, form } = window.KentEditor;
  const SHAPES = { point: "CircleMarker", line: "Line", polygon: "Polygon" };
  const STYLE = { color: "#1f4e79", weight: 2, fillOpacity: 0.25, radius: 7 };
  const SELECTED = { color: "#b45309", weight: 4, fillOpacity: 0.35 };
  const UNDER = { color: "#6b7280", weight: 1, fillOpacity: 0.1, radius: 5, interactive: false, pane: "kentUnder" };

  function showError(err) {
    if (err.name === "AbortError") return;
    const detail = (err.data && err.data.detail) || {};
    let text = err.message;
    if (err.status === 409 && detail.current_version !== undefined) {
      text += " " + fmt(T.conflict, { current: detail.current_version, yours: detail.your_version });
    }
    say(text, "error", err.status === 409 ? { label: T.reload, run: () => cancelEdit(true) } : null);
    form.markInvalid([...(Array.isArray(detail.missing) ? detail.missing : []),
                      ...(Array.isArray(detail.invalid) ? detail.invalid : [])]);
  }

  // ---------------------------------------------------------------- map and state
  // Kent's base map (imagery as the alternative) opened on the municipality: the shared map-base.js
  const map = window.KentMap.create("kent-map", cfg.map).map;
  map.createPane("kentUnder").style.zIndex = 350;   // read-only layers lie under the edited one
  L.control.scale({ imperial: false }).addTo(map);
  map.pm.setLang(cfg.lang);

  const state = {
    layers: new Map(),    // slug -> layer description from the API
    active: null,         // description of the layer being worked on
    group: null,          // L.GeoJSON holding the active layer's rows
    under: new Map(),     // slug -> L.GeoJSON shown read-only underneath
    selected: null,       // Leaflet layer whose form is open; a new shape has no feature id yet
    editing: null,        // {id, version} the form was opened at: saves send this version
    dirty: new Set(),     // saved rows whose geometry was changed on the map but not yet saved
    loads: new Map(),     // slug -> AbortController of the request in flight
  };
  const isNew = (layer) => !!layer && !featureOf(layer).id;
  const unsaved = () => state.dirty.size > 0 || isNew(state.selected);
  const featureUrl = (id) => state.active.urls.features + id + "/";

  function bbox() {
    const b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(7)).join(",");
  }

  function findLayer(id) {
    let found = null;
    state.group.eachLayer((l) => { if (featureOf(l).id === id) found = l; });
    return found;
  }

  async function loadInto(desc, group, active) {
    if (active && unsaved()) return;   // never throw away shapes the user has not saved
    const previous = state.loads.get(desc.slug);
    if (previous) previous.abort();
    const ctrl = new AbortController();
    state.loads.set(desc.slug, ctrl);
    let data;
    try {
      data = await api("GET", desc.urls.features + "?bbox=" + bbox(), undefined, ctrl.signal);
    } catch (err) {
      if (err.name !== "AbortError") showError(err);
      return;
    } finally {
      if (state.loads.get(desc.slug) === ctrl) state.loads.delete(desc.slug);
    }
    if (group !== (active ? state.group : state.under.get(desc.slug))) return;   // switched meanwhile
    const open = active ? state.selected : null;
    group.clearLayers();
    group.addData(data);
    if (open) {   // keep the open form (and the version it started from) on the reloaded row
      state.selected = findLayer(featureOf(open).id) || open;
      if (state.selected === open) group.addLayer(open);   // scrolled out of view: keep it anyway
      highlight(state.selected, true);
    }
    if (data.truncated) say(fmt(T.truncated, { limit: data.limit }), "warn");
  }

  function refresh() {
    if (state.active) loadInto(state.active, state.group, true);
    for (const slug of state.under.keys()) loadInto(state.layers.get(slug), state.under.get(slug), false);
  }

  let moveTimer = null;
  map.on("moveend", () => { clearTimeout(moveTimer); moveTimer = setTimeout(refresh, 250); });

  // ---------------------------------------------------------------- layer picker
  async function loadCatalog() {
    const data = await api("GET", cfg.layersUrl);
    for (const d of data.layers) {
      state.layers.set(d.slug, d);
      const text = d.title + " (" + d.geometry_label + ")" + (d.editable ? " ✎ " + T.editable : "");
      el(d.editable ? "kent-layers-editable" : "kent-layers-readonly").append(new Option(text, d.slug));
      el("kent-overlays").append(underToggle(d));
    }
    const wanted = state.layers.has(cfg.initialLayer) ? cfg.initialLayer : "";
    el("kent-layer-select").value = wanted;
    if (wanted) activate(wanted); else say(T.pickLayer);
  }

  function underToggle(d) {
    const box = make("input", { type: "checkbox", id: "kent-under-" + d.slug });
    box.dataset.testid = "under-" + d.slug;
    box.addEventListener("change", () => showUnder(d.slug, box.checked));
    return make("div", {}, box, " ", make("label", { htmlFor: box.id }, d.title));
  }

  function showUnder(slug, on) {
    const existing = state.under.get(slug);
    if (existing) { map.removeLayer(existing); state.under.delete(slug); }
    if (!on) return;
    const group = L.geoJSON(null, { pmIgnore: true, ...UNDER, style: () => UNDER,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...UNDER, pmIgnore: true }) }).addTo(map);
    state.under.set(slug, group);
    loadInto(state.layers.get(slug), group, false);
  }

  function activate(slug) {
    if (unsaved() && !window.confirm(T.discard)) {
      el("kent-layer-select").value = state.active ? state.active.slug : "";
      return;
    }
    stopModes();
    if (isNew(state.selected)) map.removeLayer(state.selected);
    clearSelection();
    state.dirty.clear();
    if (state.group) map.removeLayer(state.group);
    const d = state.layers.get(slug) || null;
    state.active = d;
    state.group = null;
    for (const box of el("kent-overlays").querySelectorAll("input")) box.disabled = false;
    const link = el("kent-history-link");
    link.hidden = !d;
    if (!d) { el("kent-layer-info").textContent = ""; updateTools(); say(T.pickLayer); return; }
    const underBox = el("kent-under-" + slug);
    if (underBox) { underBox.checked = false; underBox.disabled = true; showUnder(slug, false); }
    link.href = d.urls.history_page;
    el("kent-layer-info").textContent = [d.theme.code + " " + d.theme.name, d.geometry_label, d.access_label].join(" · ");
    state.group = L.geoJSON(null, {
      pmIgnore: !d.editable,
      style: () => STYLE,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...STYLE, pmIgnore: !d.editable }),
      onEachFeature: (f, layer) => layer.on("click", () => {
        if (!map.pm.globalRemovalModeEnabled() && !map.pm.globalDrawModeEnabled()) choose(layer);
      }),
    }).addTo(map);
    state.group.on("pm:edit pm:dragend", (e) => geometryChanged(e.layer || e.propagatedFrom));
    say(d.editable ? "" : (d.editable_source ? T.readOnly : T.typedReadOnly), d.editable ? "" : "info");
    updateTools();
    if (d.extent) {
      const bounds = window.KentMap.boundsOf(d.extent);
      if (!map.getBounds().intersects(bounds)) map.fitBounds(bounds, { maxZoom: 17 });
    }
    loadInto(d, state.group, true);
  }

  // ---------------------------------------------------------------- selection and the attribute form
  function highlight(layer, on) {
    if (!layer || !layer.setStyle) return;
    if (on) layer.setStyle(SELECTED);
    else if (state.group && state.group.hasLayer(layer)) state.group.resetStyle(layer);
    else layer.setStyle(STYLE);
  }

  function choose(layer) {
    if (state.selected === layer) return;
    if (isNew(state.selected)) { say(T.newFeature, "info"); return; }   // finish the new shape first
    highlight(state.selected, false);
    state.selected = layer;
    highlight(layer, true);
    renderForm(layer);
    updateTools();
  }

  function clearSelection() {
    highlight(state.selected, false);
    state.selected = null;
    state.editing = null;
    el("kent-feature-panel").hidden = true;
    el("kent-attr-fields").replaceChildren();
    updateTools();
  }

  function renderForm(layer) {
    const f = featureOf(layer);
    const d = state.active;
    state.editing = { id: f.id || null, version: f.version || null };
    el("kent-feature-title").textContent = f.id ? fmt(T.featureTitle, { id: f.id, version: f.version }) : T.newTitle;
    form.render(d.attributes, f.properties || {}, d.editable, !!f.id);
    el("kent-save").hidden = !d.editable;
    el("kent-delete").hidden = !d.editable || !f.id;
    el("kent-feature-panel").hidden = false;
  }

  // ---------------------------------------------------------------- saving and deleting
  function replaceLayer(old, saved) {
    state.dirty.delete(old);
    if (state.group.hasLayer(old)) state.group.removeLayer(old);
    if (map.hasLayer(old)) map.removeLayer(old);
    highlight(old, false);
    state.selected = null;
    state.group.addData(saved);
    const fresh = findLayer(saved.id);
    if (fresh) choose(fresh); else clearSelection();
  }

  async function save(ev) {
    ev.preventDefault();
    const layer = state.selected;
    if (!layer || !state.active || !state.active.editable) return;
    let values;
    try { values = form.read(state.active.attributes); } catch (err) { say(err.message, "error"); return; }
    form.markInvalid([]);
    const properties = { ...(featureOf(layer).properties || {}) };
    for (const [k, v] of Object.entries(values)) { if (v === null) delete properties[k]; else properties[k] = v; }
    const creating = !state.editing.id;
    const body = { type: "Feature", properties };
    if (creating || state.dirty.has(layer)) body.geometry = layer.toGeoJSON(false).geometry;
    if (!creating) body.version = state.editing.version;
    el("kent-save").disabled = true;
    try {
      const saved = await api(creating ? "POST" : "PUT", creating ? state.active.urls.features : featureUrl(state.editing.id), body);
      replaceLayer(layer, saved);
      const note = saved.repair ? " " + fmt(T.repaired, { reason: saved.repair }) : "";
      say(fmt(creating ? T.created : T.saved, { id: saved.id, version: saved.version }) + note, saved.repair ? "warn" : "ok");
    } catch (err) {
      showError(err);
    } finally {
      el("kent-save").disabled = false;
    }
  }

  async function deleteFeature(layer, id, version) {
    try {
      await api("DELETE", featureUrl(id) + "?version=" + encodeURIComponent(version));
      state.dirty.delete(layer);
      if (state.selected === layer) clearSelection();
      state.group.removeLayer(layer);
      if (map.hasLayer(layer)) map.removeLayer(layer);
      say(fmt(T.deleted, { id }), "ok");
    } catch (err) {
      state.group.addLayer(layer);   // removal mode took it off the map already: put it back
      showError(err);
    }
  }

  function deleteSelected() {
    const layer = state.selected;
    if (!layer) return;
    if (isNew(layer)) { cancelEdit(false); return; }
    if (window.confirm(fmt(T.confirmDelete, { id: state.editing.id }))) deleteFeature(layer, state.editing.id, state.editing.version);
  }

  // close the form, dropping a new shape; geometry edits are undone by reloading the stored rows
  function cancelEdit(reload) {
    if (isNew(state.selected)) map.removeLayer(state.selected);
    clearSelection();
    say("");
    if (reload === true || state.dirty.size) { state.dirty.clear(); loadInto(state.active, state.group, true); }
  }

  function geometryChanged(layer) {
    if (!layer) return;
    if (!isNew(layer)) state.dirty.add(layer);
    if (state.selected !== layer) choose(layer);
    if (state.selected === layer) say(T.geometryChanged, "warn");
  }

  // ---------------------------------------------------------------- drawing tools
  function stopModes(keep) {
    if (map.pm.globalDrawModeEnabled()) map.pm.disableDraw();
    if (keep !== "edit" && map.pm.globalEditModeEnabled()) map.pm.disableGlobalEditMode();
    if (keep !== "drag" && map.pm.globalDragModeEnabled()) map.pm.disableGlobalDragMode();
    if (keep !== "remove" && map.pm.globalRemovalModeEnabled()) map.pm.disableGlobalRemovalMode();
  }

  function setTool(id, enabled, pressed) {
    el(id).disabled = !enabled;
    if (pressed !== undefined) el(id).setAttribute("aria-pressed", String(pressed));
  }

  function updateTools() {
    const editable = !!(state.active && state.active.editable);
    const drawing = map.pm.globalDrawModeEnabled();
    setTool("kent-tool-draw", editable && !drawing && !isNew(state.selected));
    setTool("kent-tool-finish", drawing && state.active.geometry_family !== "point");
    setTool("kent-tool-cancel", drawing);
    setTool("kent-tool-edit", editable && !drawing, map.pm.globalEditModeEnabled());
    setTool("kent-tool-drag", editable && !drawing, map.pm.globalDragModeEnabled());
    setTool("kent-tool-remove", editable && !drawing, map.pm.globalRemovalModeEnabled());
  }

  function startDraw() {
    if (!state.active || !state.active.editable) return;
    stopModes();
    // one shape at a time: Geoman would keep placing points otherwise, and the form holds one row
    map.pm.enableDraw(SHAPES[state.active.geometry_family], { pathOptions: STYLE, templineStyle: STYLE,
                                                              continueDrawing: false });
    say(T.drawHint, "info");
  }

  function finishDraw() {
    const shape = map.pm.Draw.getActiveShape();
    const drawer = shape && map.pm.Draw[shape];
    if (drawer && typeof drawer._finishShape === "function") drawer._finishShape();
  }

  map.on("pm:create", (e) => {
    const layer = e.layer;
    if (!state.active || !state.active.editable) { map.removeLayer(layer); return; }
    layer.feature = { type: "Feature", properties: {} };   // waits outside the layer group until saved
    layer.on("click", () => choose(layer));
    highlight(state.selected, false);
    state.selected = null;
    choose(layer);
    say(T.newFeature, "info");
    const first = el("kent-attr-fields").querySelector("input, select, textarea");
    if (first) first.focus();
  });
  map.on("pm:remove", (e) => {
    const layer = e.layer;
    if (isNew(layer)) { if (state.selected === layer) clearSelection(); return; }
    const f = featureOf(layer);
    if (!f.id || !state.group) return;
    const version = state.selected === layer && state.editing ? state.editing.version : f.version;
    deleteFeature(layer, f.id, version);
  });
  map.on("pm:drawstart pm:drawend pm:globaleditmodetoggled pm:globaldragmodetoggled pm:globalremovalmodetoggled",
         () => setTimeout(updateTools, 0));

  el("kent-layer-select").addEventListener("change", (e) => activate(e.target.value));
  el("kent-tool-draw").addEventListener("click", startDraw);
  el("kent-tool-finish").addEventListener("click", finishDraw);
  el("kent-tool-cancel").addEventListener("click", () => map.pm.disableDraw());
  el("kent-tool-edit").addEventListener("click", () => { stopModes("edit"); map.pm.toggleGlobalEditMode(); });
  el("kent-tool-drag").addEventListener("click", () => { stopModes("drag"); map.pm.toggleGlobalDragMode(); });
  el("kent-tool-remove").addEventListener("click", () => { stopModes("remove"); map.pm.toggleGlobalRemovalMode(); });
  el("kent-feature-form").addEventListener("submit", save);
  el("kent-cancel").addEventListener("click", () => cancelEdit(false));
  el("kent-delete").addEventListener("click", deleteSelected);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && map.pm.globalDrawModeEnabled()) map.pm.disableDraw(); });

  loadCatalog().catch(showError);
})();
