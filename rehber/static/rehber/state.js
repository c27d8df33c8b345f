// The view in the URL hash, so a copied link (or a kiosk's QR code) reopens the same view:
// #z=17&lat=39.86&lon=32.92&sel=a-328&cat=eczane&lyr=parklar,okullar&lang=en

const REF = /^[asmyfv]-\d{1,18}$/;
const SLUG = /^[-a-z0-9_]{1,80}$/;

/** The view written in the hash, with anything malformed dropped. */
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const view = {};
  const z = Number.parseInt(params.get("z"), 10);
  const lat = Number.parseFloat(params.get("lat"));
  const lon = Number.parseFloat(params.get("lon"));
  if (Number.isFinite(z) && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    Object.assign(view, {z: Math.max(0, Math.min(22, z)), lat, lon});
  }
  const sel = params.get("sel");
  if (sel && REF.test(sel)) view.sel = sel;
  const cat = params.get("cat");
  if (cat && SLUG.test(cat)) view.cat = cat;
  const lyr = (params.get("lyr") || "").split(",").filter((s) => SLUG.test(s));
  if (lyr.length) view.lyr = lyr;
  const lang = params.get("lang");
  if (lang === "tr" || lang === "en") view.lang = lang;
  return view;
}

/** The hash for a view (keys in a fixed order, coordinates to ~1 m). */
export function hashOf(view) {
  const params = new URLSearchParams();
  if (view.lat !== undefined) {
    params.set("z", String(Math.round(view.z)));
    params.set("lat", view.lat.toFixed(5));
    params.set("lon", view.lon.toFixed(5));
  }
  if (view.sel) params.set("sel", view.sel);
  if (view.cat) params.set("cat", view.cat);
  if (view.lyr && view.lyr.length) params.set("lyr", view.lyr.join(","));
  params.set("lang", view.lang || "tr");
  return `#${params.toString().replace(/%2C/g, ",")}`;
}

/** Replace the hash without a history entry per map move. */
export function writeHash(view) {
  const hash = hashOf(view);
  if (hash !== location.hash) history.replaceState(null, "", `${location.pathname}${location.search}${hash}`);
  return hash;
}

/** The query string of the QR endpoint for a view (the server validates it again). */
export function qrQuery(view) {
  const params = new URLSearchParams({z: String(Math.round(view.z)), lat: view.lat.toFixed(5), lon: view.lon.toFixed(5)});
  if (view.sel) params.set("sel", view.sel);
  if (view.cat) params.set("cat", view.cat);
  params.set("lang", view.lang || "tr");
  return params.toString();
}
