/* zonedesk pages: shared helpers. Everything user-provided is inserted as text (never innerHTML). */
"use strict";

const ZD = (() => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const labelsNode = document.getElementById("labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : { categories: {}, statuses: {}, verdicts: {} };

  class ApiError extends Error {
    constructor(status, detail, body) {
      super(detail);
      this.status = status;
      this.detail = detail;
      this.body = body;
    }
  }

  /** Call the JSON API with the session cookie; state-changing calls echo the CSRF token. */
  async function api(method, path, body, extraHeaders) {
    const headers = { Accept: "application/json", ...(extraHeaders || {}) };
    const init = { method, headers, credentials: "same-origin" };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new ApiError(0, "网络连接失败，请检查网络后重试 (network error)", null);
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try { data = JSON.parse(text); } catch (err) { data = { detail: text }; }
    }
    if (response.status === 401) {
      const expired = document.getElementById("session-expired");
      if (expired) expired.hidden = false; // the signed cookie outlived the API token: offer a fresh login
    }
    if (!response.ok) {
      const detail = data && typeof data.detail === "string" ? data.detail : `请求失败（HTTP ${response.status}）`;
      throw new ApiError(response.status, detail, data);
    }
    return data;
  }

  /** Build an element: h("div", {class: "x", onclick: fn}, "text", child). Strings become text nodes. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replace a node's children, skipping null/false placeholders of conditional parts. */
  function put(node, ...children) {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
    return node;
  }

  let toastTimer = null;
  function toast(message, kind) {
    const box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message;
    box.className = `toast ${kind || ""}`;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  function fmtTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  const statusLabel = (s) => labels.statuses[s] || s || "";
  const categoryLabel = (c) => labels.categories[c] || c || "";

  /** Subscribe to ticket events (SSE, resumed by the browser with Last-Event-ID); returns the source. */
  function liveEvents(onEvent, dot) {
    if (!window.EventSource) return null;
    const source = new EventSource("/api/v1/events");
    // EventSource has no wildcard: every event type the desk emits (DESIGN.md "Events"), plus unnamed ones.
    const types = ["created", "updated", "message", "note", "claimed", "waiting", "transferred", "resolved",
      "cancelled", "closed", "rated", "sla_warning", "sla_breached", "supervised", "supervision_acknowledged"]
      .map((t) => `ticket.${t}`).concat(["message"]);
    for (const type of types) {
      source.addEventListener(type, (ev) => {
        let data = {};
        try { data = JSON.parse(ev.data); } catch (err) { data = {}; }
        onEvent(type, data, ev.lastEventId);
        window.dispatchEvent(new CustomEvent("zd:event", { detail: { type, data } })); // for page add-ons
      });
    }
    const mark = (state) => { if (dot) { dot.dataset.state = state; dot.title = state === "on" ? "实时更新已连接" : "实时更新重连中…"; } };
    source.addEventListener("open", () => mark("on"));
    source.addEventListener("error", () => mark("off"));
    window.addEventListener("beforeunload", () => source.close());
    return source;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `k-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }

  return { api, h, put, toast, fmtTime, statusLabel, categoryLabel, labels, liveEvents, newKey, ApiError, csrf };
})();
