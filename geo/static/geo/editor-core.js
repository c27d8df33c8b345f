/* Kent map editor, part 1 of 3: the page's configuration, small DOM helpers, the JSON API client
   and the message box. Shared through window.KentEditor with editor-form.js and editor.js, which
   load after it; nothing is fetched from outside Kent. */
(function () {
  "use strict";

  const cfg = JSON.parse(document.getElementById("kent-editor-config").textContent);
  const T = cfg.messages;
  const el = (id) => document.getElementById(id);
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  const featureOf = (layer) => (layer && layer.feature) || {};
  // make("p", {className: "x"}, "text"): an element with properties and children, in one line
  function make(tag, props, ...children) {
    const node = Object.assign(document.createElement(tag), props || {});
    node.append(...children);
    return node;
  }

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  class ApiError extends Error {
    constructor(status, data) {
      super((data && data.description) || T["http" + status] || T.failed + " (HTTP " + status + ")");
      this.status = status;
      this.data = data || {};
    }
  }

  async function api(method, url, body, signal) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let resp;
    try {
      resp = await fetch(url, { method, headers, signal, credentials: "same-origin",
                                body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, { description: T.network });
    }
    let data = null;
    if (resp.status !== 204) {
      try { data = await resp.json(); } catch (err) { data = null; }
    }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  // one line in the status box, optionally with a button ({label, run}) that acts on it
  function say(text, kind, action) {
    const box = el("kent-message");
    box.className = "kent-message" + (kind ? " kent-message-" + kind : "");
    box.replaceChildren(...(text ? [make("p", {}, text)] : []));
    if (text && action) box.append(make("button", { type: "button", onclick: action.run }, action.label));
  }

  window.KentEditor = { cfg, T, el, fmt, make, featureOf, api, ApiError, say };
})();
